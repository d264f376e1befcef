#pragma once

#include "server/rules/calendar_error.hpp"
#include "server/rules/civil_time.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::rules {

struct bank_holiday {
  civil_date day;
  std::string title;
  std::string notes;  // GOV.UK: "Substitute day", "Royal wedding", ... or empty
};

// One division's bank holidays, sorted by date, no date twice.
class bank_holidays {
 public:
  bank_holidays() = default;
  // Sorts; refuses a date given twice (duplicate).
  [[nodiscard]] static query_result<bank_holidays> from(std::vector<bank_holiday> days);

  [[nodiscard]] bool contains(civil_date d) const;
  [[nodiscard]] const bank_holiday* find(civil_date d) const;
  [[nodiscard]] const std::vector<bank_holiday>& all() const { return days_; }
  // Whether the data names at least one holiday in this calendar year: a year with none is
  // almost certainly a year the file does not cover yet (England and Wales have 8 a year).
  [[nodiscard]] bool covers_year(int year) const;

 private:
  std::vector<bank_holiday> days_;
};

// The largest bank-holidays.json accepted (GOV.UK's, with three divisions since 2018, is ~20 KiB).
inline constexpr std::size_t max_bank_holidays_size = 1024 * 1024;

// GOV.UK's https://www.gov.uk/bank-holidays.json: a top-level object of divisions
// ("england-and-wales", "scotland", "northern-ireland"), each
//   {"division": "...", "events": [{"title", "date": "YYYY-MM-DD", "notes", "bunting"}]}.
// title and date are required; notes (string) and bunting (bool) are checked when present.
// Syntax errors carry LINE:COL; errors in values name the JSON path instead.
[[nodiscard]] parse_result<bank_holidays> parse_bank_holidays(std::string_view json,
                                                              std::string_view division = "england-and-wales");

}  // namespace confidant::rules
