#include "crypto/hkdf.hpp"

#include "crypto/hash.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>

namespace confidant::crypto::hkdf {

prk extract(byte_view salt, byte_view ikm) {
  // RFC 5869's default salt (hash_len zero bytes) is public and constant: keyed once.
  static const hmac_sha256_keyed zero_salt{byte_view(std::array<byte, hash_len>{})};
  auto t = salt.empty() ? zero_salt.tag({ikm}) : hmac_sha256(salt, {ikm});
  prk out(t.view());
  sodium_memzero(t.data(), t.size);
  return out;
}

result<void> expand(const prk& key, byte_view info, std::span<byte> out) {
  if (out.empty() || out.size() > max_output) return errc::invalid_argument;
  const hmac_sha256_keyed mac(key.view());
  hmac_sha256_tag t;
  std::size_t have = 0;
  for (byte counter = 1; have < out.size(); ++counter) {
    const byte c[1] = {counter};
    const byte_view prev = counter == 1 ? byte_view{} : byte_view(t.view());
    t = mac.tag({prev, info, byte_view(c)});
    const std::size_t n = std::min(t.size, out.size() - have);
    std::copy_n(t.bytes.begin(), n, out.begin() + static_cast<std::ptrdiff_t>(have));
    have += n;
  }
  sodium_memzero(t.data(), t.size);
  return {};
}

result<void> derive(byte_view salt, byte_view ikm, byte_view info, std::span<byte> out) {
  return expand(extract(salt, ikm), info, out);
}

}  // namespace confidant::crypto::hkdf
