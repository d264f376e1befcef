#include "crypto/random.hpp"

#include "crypto/sodium.hpp"

#include <sodium.h>

namespace confidant::crypto {

system_random::system_random() { ensure_sodium(); }

void system_random::fill(std::span<byte> out) {
  if (!out.empty()) randombytes_buf(out.data(), out.size());
}

deterministic_random::deterministic_random(std::uint64_t seed) {
  ensure_sodium();
  for (std::size_t i = 0; i < 8; ++i) seed_[i] = static_cast<byte>(seed >> (8 * i));
}

deterministic_random::~deterministic_random() { sodium_memzero(seed_.data(), seed_.size()); }

void deterministic_random::fill(std::span<byte> out) {
  // Each call draws from its own stream: key = BLAKE2b-256(seed ‖ counter).
  std::array<byte, 40> input{};
  std::copy(seed_.begin(), seed_.end(), input.begin());
  for (std::size_t i = 0; i < 8; ++i) input[32 + i] = static_cast<byte>(counter_ >> (8 * i));
  ++counter_;
  std::array<byte, randombytes_SEEDBYTES> key{};
  crypto_generichash(key.data(), key.size(), input.data(), input.size(), nullptr, 0);
  if (!out.empty()) randombytes_buf_deterministic(out.data(), out.size(), key.data());
  sodium_memzero(key.data(), key.size());
}

}  // namespace confidant::crypto
