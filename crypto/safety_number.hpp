#pragma once

// Safety numbers in the style of libsignal's fingerprint.rs: for each party
//   h0 = SHA-512(0x0000 ‖ key ‖ stable_id ‖ key),  h(i) = SHA-512(h(i-1) ‖ key), `iterations` hashes;
// the first 30 bytes give six 5-digit groups (big-endian 40-bit chunks mod 100000). The two
// 30-digit halves are sorted and joined, so both sides see the same 60 digits.

#include "crypto/hash.hpp"
#include "crypto/identity.hpp"

#include <string>
#include <string_view>

namespace confidant::crypto::safety {

inline constexpr std::uint32_t default_iterations = 5200;

// errc::invalid_argument unless 1 < iterations <= 1,000,000 (libsignal's bounds).
[[nodiscard]] result<sha512_digest> fingerprint(byte_view stable_id, byte_view key, std::uint32_t iterations);
// 30 digits from the first 30 bytes of a fingerprint.
[[nodiscard]] std::string digits(const sha512_digest& fp);

// 60 digits for any key encoding (libsignal's known answers use 0x05 ‖ X25519 key).
[[nodiscard]] result<std::string> number(byte_view local_id, byte_view local_key, byte_view remote_id,
                                         byte_view remote_key, std::uint32_t iterations = default_iterations);
// Confidant's: each identity as signing key ‖ DH key, each id a user's stable identifier.
[[nodiscard]] std::string number(std::string_view local_id, const identity_public& local, std::string_view remote_id,
                                 const identity_public& remote);

// "12345 67890 …": 12 groups of 5 for display.
[[nodiscard]] std::string grouped(std::string_view sixty_digits);

}  // namespace confidant::crypto::safety
