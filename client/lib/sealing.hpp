#pragma once

// Sealed bodies (client/lib/sealed_body.hpp) on a messenger's account: whose devices a body is
// sealed to, and opening one with the author's identity as this device knows it. Used for meeting
// details, concerns, feedback and notes (docs/protocol.md 7.16, 7.29).
//
// A body for this account is sealed to its active devices as the server lists them (`devices`);
// a body for someone else to that user's devices whose identities this device has pinned, learnt
// (and pinned on first use) from their bundle when none is known yet, exactly as for a first
// message. The server allows a bundle only of users the caller may message (7.8), so a body for
// someone no longer reachable needs identities pinned earlier (messages, meeting details).

#include "client/lib/messenger.hpp"
#include "client/lib/sealed_body.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::client::sealing {

using sealed_body::addressed;

// The devices a body for `owner` is sealed to (above). Fails with errc::unknown_contact when no
// device of `owner` is known and none can be learnt.
[[nodiscard]] outcome<std::vector<sealed_body::recipient>> recipients(messenger& m, std::int64_t owner);

// Seals `text` for `owner`, authored by this device.
[[nodiscard]] outcome<addressed> seal_for(messenger& m, sealed_body::purpose p, std::int64_t owner,
                                          std::string_view text);
// One body per owner, in order.
[[nodiscard]] outcome<std::vector<addressed>> seal_for_each(messenger& m, sealed_body::purpose p,
                                                            const std::vector<std::int64_t>& owners,
                                                            std::string_view text);

// Opens a body of purpose `from` that this account wrote for itself and seals it again as `to` for
// `owner` (sealed_body::reseal): how a headteacher releases a feedback answer to the associate.
[[nodiscard]] outcome<addressed> reseal_for(messenger& m, sealed_body::purpose from, sealed_body::purpose to,
                                            std::int64_t owner, std::span<const std::uint8_t> body);

// Opens a body for this device; the author's identity is this device's own, one of this account's
// devices, or a pinned one (learnt from the author's bundle on first sight when connected).
[[nodiscard]] outcome<sealed_body::opened> open(messenger& m, sealed_body::purpose p, std::span<const std::uint8_t> body);

// The text for its reader: the text, "(unverified) " and the text when the author's signature
// could not be checked, or "[not readable on this device: <what>: <why>]".
[[nodiscard]] std::string readable(messenger& m, sealed_body::purpose p, std::span<const std::uint8_t> body);

}  // namespace confidant::client::sealing
