#pragma once

// The Double Ratchet KDFs (Signal specification rev. 1, §5.2 recommendations):
//   KDF_RK(rk, dh)  = HKDF-SHA256(salt = rk, ikm = dh, info = labels.root, 64) → (rk', ck)
//   KDF_CK(ck)      = (HMAC-SHA256(ck, 0x02) as ck', HMAC-SHA256(ck, 0x01) as the message seed)
//   message keys    = HKDF-SHA256(salt = zeros, ikm = seed, info = labels.message)
// The labels are parameters so the same functions reproduce libsignal's known answers.

#include "crypto/aead.hpp"
#include "crypto/secret.hpp"
#include "crypto/x25519.hpp"

#include <span>
#include <string_view>

namespace confidant::crypto::ratchet {

struct labels {
  std::string_view root = "Confidant_Ratchet_Root_v1";
  std::string_view message = "Confidant_Ratchet_Message_v1";
};

struct root_key_tag;
struct chain_key_tag;
struct message_seed_tag;
using root_key = secret<root_key_tag, 32>;
using chain_key = secret<chain_key_tag, 32>;
using message_seed = secret<message_seed_tag, 32>;

struct root_step {
  root_key root;
  chain_key chain;
};
[[nodiscard]] root_step kdf_rk(const root_key& rk, const x25519::shared_secret& dh, std::string_view info);

struct chain_step {
  chain_key next;
  message_seed seed;
};
[[nodiscard]] chain_step kdf_ck(const chain_key& ck);

// HKDF(zeros, seed, info) into out (libsignal takes 80 bytes: cipher key, MAC key, IV).
[[nodiscard]] result<void> message_key_material(const message_seed& seed, std::string_view info,
                                                std::span<byte> out);

// Confidant's use of the seed: 56 bytes = XChaCha20-Poly1305 key (32) ‖ nonce (24).
struct message_keys {
  aead::key key;
  aead::nonce nonce{};
};
[[nodiscard]] message_keys derive_message_keys(const message_seed& seed, std::string_view info);

}  // namespace confidant::crypto::ratchet
