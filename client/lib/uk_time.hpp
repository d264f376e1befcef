#pragma once

// Times in Europe/London for people (flag deadlines, protocol 7.23), whatever this machine's own
// time zone: GMT, or BST (UTC+1) from 01:00 UTC on the last Sunday of March to 01:00 UTC on the
// last Sunday of October (the UK's rule since 1996). No time zone database is needed.

#include <cstdint>
#include <string>

namespace confidant::client::uk_time {

// True when `ms` (since the epoch, UTC) falls in British Summer Time.
[[nodiscard]] bool summer_time(std::int64_t ms);
// "Mon 23 Nov 2026 12:00 GMT" / "Fri 23 Oct 2026 09:30 BST".
[[nodiscard]] std::string format(std::int64_t ms);

}  // namespace confidant::client::uk_time
