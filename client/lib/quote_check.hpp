#pragma once

// Quoted messages in a safeguarding flag (docs/crypto.md, "Quote"; client/lib/flag_body.hpp):
// the raiser builds one from a message it received and stored (context, franked message, Kf and
// the server's stamp), and a SPOC checks it alone with the server's public key from `hello`.

#include "client/lib/failure.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace confidant::client::quote_check {

using bytes = std::vector<std::uint8_t>;

// The quote bytes (crypto::franking::quote) of one stored message. errc::protocol_error when a
// piece is missing or unreadable (an outgoing message, a rejected one, or one stored before
// franking keys were kept).
[[nodiscard]] outcome<bytes> make(std::span<const std::uint8_t> context, std::span<const std::uint8_t> message,
                                  std::span<const std::uint8_t> franking_key, std::span<const std::uint8_t> stamp);

struct verdict {
  bool verified = false;
  std::string problem;            // why it failed, for people (empty when verified)
  std::string sender;             // the context's users (decimal ids), when the quote parses
  std::string recipient;
  std::int64_t stamped_at_ms = 0; // the server's acceptance time from the stamp
  std::int64_t sent_at_ms = 0;    // the sender's clock from the context
  std::string text;               // the quoted text, when the message is a text payload
};

// Verified only when the stamp verifies under `server_key`, the commitment matches the message,
// the stamp names the context's sender and recipient, the recipient is `raiser` (the quote is of
// a message the raiser received), and the message is a text payload. The text is filled in even
// when verification fails, so the SPOC sees what the raiser claims, marked as unverified.
[[nodiscard]] verdict check(const std::array<std::uint8_t, 32>& server_key, std::int64_t raiser,
                            std::span<const std::uint8_t> quote);

}  // namespace confidant::client::quote_check
