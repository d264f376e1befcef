#pragma once

#include "server/rules/clock.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace confidant::rules {

// RFC 3339 in UTC with milliseconds: 2026-11-23T14:05:09.123Z (the wire's time format).
[[nodiscard]] std::string format_utc(time_point t);

// Parses exactly the format above; nullopt for anything else.
[[nodiscard]] std::optional<time_point> parse_utc(std::string_view text);

}  // namespace confidant::rules
