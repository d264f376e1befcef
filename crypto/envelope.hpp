#pragma once

// The per-device ciphertext Sesame sends: a ratchet message, preceded until the peer has
// answered by the X3DH fields the responder needs to build the session.
//   envelope = version (1) ‖ type (1 = prekey, 2 = message) ‖ [prekey fields] ‖ ratchet message
//   prekey   = initiator identity (128) ‖ ephemeral (32) ‖ spk id (u32) ‖ has_otk (1) ‖ otk id (u32)
// Everything before the ratchet message is passed to the ratchet as associated data.

#include "crypto/identity.hpp"
#include "crypto/ratchet/header.hpp"

#include <optional>

namespace confidant::crypto::sesame {

inline constexpr byte envelope_version = 1;

struct prekey_fields {
  identity_public initiator;
  x25519_public_key ephemeral;
  std::uint32_t signed_prekey_id = 0;
  std::optional<std::uint32_t> one_time_prekey_id;
};

struct envelope {
  std::optional<prekey_fields> prekey;
  ratchet::message msg;

  // The bytes before the ratchet message (the ratchet's associated data).
  [[nodiscard]] bytes prefix() const;
  [[nodiscard]] bytes to_bytes() const;
  // Layout and the initiator identity's self-signature are checked here.
  [[nodiscard]] static result<envelope> from_bytes(byte_view b);
};

[[nodiscard]] bytes prefix_for(const std::optional<prekey_fields>& prekey);

}  // namespace confidant::crypto::sesame
