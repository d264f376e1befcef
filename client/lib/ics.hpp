#pragma once

// A meeting as an iCalendar object (RFC 5545) for the user's own calendar program, with iTIP's
// METHOD (RFC 5546): REQUEST for a proposed or accepted meeting, CANCEL for a cancelled or
// declined one. The UID is stable for a meeting on a server (so an import updates the event),
// SEQUENCE is the server's change counter, times are UTC, CLASS is PRIVATE, and the file says
// nothing confidential: no names, no place, no agenda, no kind of support; only that there is a
// Confidant meeting, when, and how (in person, online, phone). Lines end with CRLF and are folded
// at 75 octets without splitting a UTF-8 character.

#include "client/lib/meetings.hpp"

#include <string>
#include <string_view>

namespace confidant::client::ics {

// `uid_domain`: what makes the UID unique to a server (e.g. a fingerprint of its key), written
// after "@". The UID is "confidant-meeting-<id>@<uid_domain>".
[[nodiscard]] std::string export_meeting(const meetings::meeting& m, std::string_view uid_domain);

// RFC 5545 3.1: lines over 75 octets continue on the next line after CRLF and one space.
[[nodiscard]] std::string fold(std::string_view line);
// RFC 5545 3.3.11: TEXT values escape backslash, semicolon, comma and newline.
[[nodiscard]] std::string escape_text(std::string_view text);
// 20261126T100000Z
[[nodiscard]] std::string utc_stamp(std::int64_t ms);

}  // namespace confidant::client::ics
