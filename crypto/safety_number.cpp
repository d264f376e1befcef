#include "crypto/safety_number.hpp"

#include <array>

namespace confidant::crypto::safety {

result<sha512_digest> fingerprint(byte_view stable_id, byte_view key, std::uint32_t iterations) {
  if (iterations <= 1 || iterations > 1000000) return errc::invalid_argument;
  static constexpr std::array<byte, 2> version{0, 0};
  auto h = sha512({version, key, stable_id, key});
  for (std::uint32_t i = 1; i < iterations; ++i) h = sha512({h, key});
  return h;
}

std::string digits(const sha512_digest& fp) {
  std::string out;
  out.reserve(30);
  for (std::size_t chunk = 0; chunk < 6; ++chunk) {
    std::uint64_t x = 0;
    for (std::size_t i = 0; i < 5; ++i) x = (x << 8) | fp[chunk * 5 + i];
    auto group = std::to_string(x % 100000);
    out.append(5 - group.size(), '0').append(group);
  }
  return out;
}

result<std::string> number(byte_view local_id, byte_view local_key, byte_view remote_id, byte_view remote_key,
                           std::uint32_t iterations) {
  auto local = fingerprint(local_id, local_key, iterations);
  if (!local) return local.error();
  auto remote = fingerprint(remote_id, remote_key, iterations);
  if (!remote) return remote.error();
  auto a = digits(*local);
  auto b = digits(*remote);
  return a < b ? a + b : b + a;
}

std::string number(std::string_view local_id, const identity_public& local, std::string_view remote_id,
                   const identity_public& remote) {
  const auto lk = local.key_bytes();
  const auto rk = remote.key_bytes();
  return number(as_bytes(local_id), lk, as_bytes(remote_id), rk).value();
}

std::string grouped(std::string_view sixty_digits) {
  std::string out;
  for (std::size_t i = 0; i < sixty_digits.size(); i += 5) {
    if (i != 0) out.push_back(' ');
    out.append(sixty_digits.substr(i, 5));
  }
  return out;
}

}  // namespace confidant::crypto::safety
