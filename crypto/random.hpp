#pragma once

// Randomness is injected: the library never calls a global RNG on its own (libsodium's
// crypto_box_seal does, so flag sealing re-implements its construction on injected randomness).

#include "crypto/bytes.hpp"

#include <array>
#include <cstdint>
#include <span>

namespace confidant::crypto {

class random_source {
 public:
  virtual ~random_source() = default;
  virtual void fill(std::span<byte> out) = 0;

  template <std::size_t N>
  [[nodiscard]] std::array<byte, N> array() {
    std::array<byte, N> a{};
    fill(a);
    return a;
  }
};

// The operating system's CSPRNG through libsodium (randombytes_buf).
class system_random final : public random_source {
 public:
  system_random();
  void fill(std::span<byte> out) override;
};

// A reproducible stream for tests: ChaCha20 keyed by the seed, advancing a counter per call.
// Never use it outside tests.
class deterministic_random final : public random_source {
 public:
  explicit deterministic_random(std::uint64_t seed);
  ~deterministic_random() override;
  deterministic_random(const deterministic_random&) = delete;
  deterministic_random& operator=(const deterministic_random&) = delete;
  void fill(std::span<byte> out) override;

 private:
  std::array<byte, 32> seed_{};
  std::uint64_t counter_ = 0;
};

}  // namespace confidant::crypto
