#pragma once

// HKDF-SHA256 (RFC 5869) on crypto_auth_hmacsha256_*: libsodium 1.0.18 has no HKDF.

#include "crypto/bytes.hpp"
#include "crypto/secret.hpp"

#include <span>

namespace confidant::crypto::hkdf {

struct prk_tag;
using prk = secret<prk_tag, 32>;

inline constexpr std::size_t hash_len = 32;
inline constexpr std::size_t max_output = 255 * hash_len;

// PRK = HMAC(salt, ikm). An empty salt means HashLen zero bytes (as the RFC says).
[[nodiscard]] prk extract(byte_view salt, byte_view ikm);

// Fills out (1..8160 bytes) with T(1) ‖ T(2) ‖ …; errc::invalid_argument for other lengths.
[[nodiscard]] result<void> expand(const prk& key, byte_view info, std::span<byte> out);

// extract then expand.
[[nodiscard]] result<void> derive(byte_view salt, byte_view ikm, byte_view info, std::span<byte> out);

}  // namespace confidant::crypto::hkdf
