#pragma once

// A quoted message: the proof a recipient attaches to a safeguarding flag so the SPOC can check,
// alone, that the server relayed exactly this message from this sender to this recipient.
//   quote = version (1) ‖ blob(context) ‖ blob(message) ‖ Kf (32) ‖ blob(stamp)

#include "crypto/franking.hpp"
#include "crypto/stamp.hpp"

namespace confidant::crypto::franking {

struct quote {
  context ctx;
  bytes message;
  key k;  // revealing Kf opens only this one message's commitment
  stamp st;

  [[nodiscard]] bytes to_bytes() const;
  [[nodiscard]] static result<quote> from_bytes(byte_view b);
};

// Recipient side, on delivery: the stamp verifies, is over this commitment, and names the
// sender and recipient the context names. Use before accepting a franked message.
[[nodiscard]] result<void> check_delivery(const ed25519_public_key& server, const opened& o, const stamp& st);

[[nodiscard]] quote make_quote(const opened& o, const stamp& st);

// Third party (SPOC): errc::bad_stamp, commitment_mismatch or binding_mismatch.
[[nodiscard]] result<void> verify_quote(const ed25519_public_key& server, const quote& q);

}  // namespace confidant::crypto::franking
