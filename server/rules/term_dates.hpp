#pragma once

#include "server/rules/academic_year.hpp"
#include "server/rules/calendar_error.hpp"

#include <cstddef>
#include <string_view>

namespace confidant::rules {

// The largest term-dates text accepted (a real file is about 2 KiB).
inline constexpr std::size_t max_term_dates_size = 256 * 1024;

// Parses and validates one academic year's term dates from TOML text (docs/calendars.md):
//
//   [academic_year]  name, starts, ends
//   [[term]]         name, starts, ends        (at least one; in date order; no overlaps)
//   [[term.half_term]] name (optional), starts, ends   (inside its term; in order)
//   [[closure]]      date, or starts and ends; reason  (inside the year)
//
// Dates are TOML local dates or "YYYY-MM-DD" strings; ranges are inclusive. Errors read
// "LINE:COL: what is wrong".
[[nodiscard]] parse_result<academic_year> parse_term_dates(std::string_view toml_text);

}  // namespace confidant::rules
