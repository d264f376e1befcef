#pragma once

// XChaCha20-Poly1305-IETF. Keys are single-use in the ratchet, but the nonce is still derived
// with the key so no (key, nonce) pair ever repeats even if a key were reused by a bug.

#include "crypto/bytes.hpp"
#include "crypto/secret.hpp"

namespace confidant::crypto::aead {

struct key_tag;
using key = secret<key_tag, 32>;
inline constexpr std::size_t nonce_size = 24;
inline constexpr std::size_t tag_size = 16;
using nonce = std::array<byte, nonce_size>;

[[nodiscard]] bytes seal(const key& k, const nonce& n, byte_view plaintext, byte_view ad);
// errc::decrypt_failed when the tag does not verify.
[[nodiscard]] result<bytes> open(const key& k, const nonce& n, byte_view ciphertext, byte_view ad);

}  // namespace confidant::crypto::aead
