#pragma once

// Message franking (DESIGN.md §3). The sender commits to each message with a fresh key Kf:
//   c = HMAC-SHA256(Kf, context ‖ SHA-256(m))
// Kf and the context travel inside the end-to-end ciphertext (the franked payload below); c
// travels outside, where the server stamps it. libsodium's AEADs are not key-committing, so the
// commitment is this HMAC, never the ciphertext. The recipient drops a message whose commitment
// does not match what it decrypted.
//   payload = version (1) ‖ Kf (32) ‖ blob(context) ‖ blob(message)
//   context = version (1) ‖ u8 len ‖ sender ‖ u8 len ‖ recipient ‖ sent_at (u64) ‖ message_id (16)

#include "crypto/keys.hpp"
#include "crypto/random.hpp"

#include <array>
#include <cstdint>
#include <string>

namespace confidant::crypto::franking {

struct key_tag;
struct commitment_tag;
using key = secret<key_tag, 32>;
using commitment = fixed_bytes<commitment_tag, 32>;

inline constexpr std::size_t max_message = 1u << 20;

struct context {
  std::string sender;     // stable user ids, at most 255 bytes each
  std::string recipient;
  std::uint64_t sent_at = 0;           // sender's clock, seconds
  std::array<byte, 16> message_id{};   // sender-chosen, unique per message

  [[nodiscard]] result<bytes> encode() const;
  [[nodiscard]] static result<context> decode(byte_view b);
  friend bool operator==(const context&, const context&) = default;
};

[[nodiscard]] result<commitment> compute(const key& k, const context& ctx, byte_view message);

struct franked {
  bytes payload;  // encrypt this with the ratchet; wipe after use
  commitment c;   // send this beside the ciphertext
};
[[nodiscard]] result<franked> commit(random_source& rng, const context& ctx, byte_view message);

struct opened {
  context ctx;
  bytes message;
  key k;
  commitment c;
};
// Parses a decrypted payload and checks it against the commitment that came with it:
// errc::commitment_mismatch (drop the message) or errc::malformed.
[[nodiscard]] result<opened> open(byte_view payload, const commitment& claimed);

}  // namespace confidant::crypto::franking
