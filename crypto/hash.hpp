#pragma once

#include "crypto/bytes.hpp"
#include "crypto/keys.hpp"

#include <sodium.h>

#include <array>
#include <initializer_list>

namespace confidant::crypto {

using sha256_digest = std::array<byte, 32>;
using sha512_digest = std::array<byte, 64>;

// SHA-256 and SHA-512 over the concatenation of the parts.
[[nodiscard]] sha256_digest sha256(std::initializer_list<byte_view> parts);
[[nodiscard]] sha512_digest sha512(std::initializer_list<byte_view> parts);

// HMAC-SHA256 (crypto_auth_hmacsha256_*, any key length) over the concatenation of the parts.
[[nodiscard]] hmac_sha256_tag hmac_sha256(byte_view key, std::initializer_list<byte_view> parts);

// HMAC-SHA256 keyed once for several tags: the key's inner and outer pads are hashed at
// construction (two SHA-256 blocks), not again for every tag. The ratchet's chain step and HKDF's
// expansion take two tags under one key; the state is wiped on destruction.
class hmac_sha256_keyed {
 public:
  explicit hmac_sha256_keyed(byte_view key);
  ~hmac_sha256_keyed();
  hmac_sha256_keyed(const hmac_sha256_keyed&) = delete;
  hmac_sha256_keyed& operator=(const hmac_sha256_keyed&) = delete;

  [[nodiscard]] hmac_sha256_tag tag(std::initializer_list<byte_view> parts) const;

 private:
  crypto_auth_hmacsha256_state keyed_;
};

}  // namespace confidant::crypto
