#pragma once

// What the `meetings` and `windows` commands share: times as people type and read them (local
// time of this machine, TZ honoured; or UTC with a trailing Z), names of contacts, and the
// end-to-end details of a meeting sealed to and opened from the participants' devices.

#include "client/lib/meetings.hpp"
#include "client/lib/messenger.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::cli {

// "2026-11-26 10:00" or "2026-11-26T10:00" (local time), with ":SS" optionally, or the same
// ending in "Z" (UTC), or the wire form "2026-11-26T10:00:00.000Z". Milliseconds since the epoch.
[[nodiscard]] std::optional<std::int64_t> parse_when(std::string_view text);
// "Thu 26 Nov 2026 10:00 GMT" in this machine's local time zone.
[[nodiscard]] std::string local_time(std::int64_t ms);
// "10:00 GMT" (the time of day only).
[[nodiscard]] std::string local_clock(std::int64_t ms);
[[nodiscard]] std::int64_t now_ms();

// user id -> display name, from the server's contact list (refreshed once).
[[nodiscard]] std::map<std::int64_t, std::string> contact_names(client::messenger& m);

// Seals `text` for both participants' devices (the caller's active devices from the server, the
// other's pinned identities, fetched and pinned on first use). Failures are returned.
[[nodiscard]] client::outcome<std::vector<client::meetings::details_for>> seal_details(client::messenger& m,
                                                                                      std::int64_t other,
                                                                                      std::string_view text);
// The details of a meeting as readable text: the text, "(unverified) text", or nullopt when the
// meeting has none; a short reason in brackets when they cannot be read on this device.
[[nodiscard]] std::optional<std::string> open_details(client::messenger& m, const client::meetings::meeting& mt);

}  // namespace confidant::cli
