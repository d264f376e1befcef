#pragma once

#include "server/rules/clock.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace confidant::rules {

// A civil (wall-calendar) date in the programme's time zone. Instants are UTC time_points;
// calendar rules are written on civil dates and local minutes since midnight.
using civil_date = date::local_days;

// Europe/London from the system tzdata (USE_OS_TZDB). Looked up once; throws at start-up if the
// system has no tzdata (configuration, not the data path).
[[nodiscard]] const date::time_zone& london();

struct civil_time {
  civil_date day;
  std::chrono::milliseconds since_midnight;
};

// The civil date and local time of an instant in zone.
[[nodiscard]] civil_time to_civil(const date::time_zone& zone, time_point t);

// The instant at which the local clock in zone shows `since_midnight` on `day`. A local time in
// the spring-forward gap (01:00-02:00 on the last Sunday of March in London) maps to the moment
// the clocks change; one repeated in autumn maps to its first (summer time) occurrence.
[[nodiscard]] time_point from_civil(const date::time_zone& zone, civil_date day,
                                    std::chrono::minutes since_midnight);

// Strict YYYY-MM-DD (ISO 8601 calendar date, four-digit year); nullopt for anything else,
// including 2027-02-29.
[[nodiscard]] std::optional<civil_date> parse_civil_date(std::string_view text);
[[nodiscard]] std::string format_civil_date(civil_date d);

// ISO weekday: Monday = 1 ... Sunday = 7.
[[nodiscard]] inline unsigned iso_weekday(civil_date d) { return date::weekday{d}.iso_encoding(); }

}  // namespace confidant::rules
