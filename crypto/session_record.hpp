#pragma once

// What Sesame stores per peer device: the ratchet session plus what the X3DH handshake still
// needs. The initiator keeps sending prekey envelopes (pending) until the peer answers; the
// responder remembers the initiator's ephemeral key (base key) so a repeated prekey envelope
// reuses the session instead of consuming prekeys again.
//   record = version (1) ‖ flags (1: pending, 2: base key) ‖ [ephemeral (32) ‖ spk id (u32) ‖
//            has_otk (1) ‖ otk id (u32)] ‖ [base key (32)] ‖ blob(ratchet session)

#include "crypto/envelope.hpp"
#include "crypto/ratchet/session.hpp"

#include <optional>

namespace confidant::crypto::sesame {

struct session_record {
  ratchet::session session;
  std::optional<prekey_fields> pending;      // initiator side, identity is our own
  std::optional<x25519_public_key> base_key;  // responder side

  [[nodiscard]] bytes to_bytes() const;
  [[nodiscard]] static result<session_record> from_bytes(byte_view b, const identity_public& own,
                                                         ratchet::labels l);
};

}  // namespace confidant::crypto::sesame
