#pragma once

// Personal contact windows on the wire (docs/protocol.md 7.22-7.22a): a user narrows their own
// days and hours inside the policy's; `windows` reports the result.

#include "server/rules/window_hours.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace confidant::service {

// {"days": [1..7 ISO weekdays], "start": "HH:MM", "end": "HH:MM"} (local time).
[[nodiscard]] boost::json::object hours_json(const rules::window_hours& h);
[[nodiscard]] std::string clock_text(std::chrono::minutes m);
// "HH:MM" from 00:00 to 24:00.
[[nodiscard]] std::optional<std::chrono::minutes> parse_clock(std::string_view text);

}  // namespace confidant::service
