#pragma once

#include "crypto/bytes.hpp"
#include "crypto/keys.hpp"

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

}  // namespace confidant::crypto
