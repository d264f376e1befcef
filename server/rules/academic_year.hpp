#pragma once

#include "server/rules/calendar_error.hpp"
#include "server/rules/civil_time.hpp"

#include <span>
#include <string>
#include <vector>

namespace confidant::rules {

// An inclusive range of civil dates: [first, last].
struct date_range {
  civil_date first;
  civil_date last;
  [[nodiscard]] bool contains(civil_date d) const { return first <= d && d <= last; }
  [[nodiscard]] bool contains(const date_range& r) const { return first <= r.first && r.last <= last; }
  [[nodiscard]] bool overlaps(const date_range& r) const { return first <= r.last && r.first <= last; }
  friend bool operator==(const date_range&, const date_range&) = default;
};

struct half_term {
  std::string name;
  date_range dates;
};

struct term {
  std::string name;
  date_range dates;
  std::vector<half_term> half_terms;  // in order, inside the term, not overlapping
};

// A school override: a day or days inside the year when the school is closed (INSET, closure).
struct closure {
  date_range dates;
  std::string reason;
};

// One academic year's term dates, as validated by parse_term_dates(): terms in order without
// overlaps, everything inside the year.
struct academic_year {
  std::string name;
  date_range dates;
  std::vector<term> terms;
  std::vector<closure> closures;

  // In a term, not in its half term and not closed. Weekends and bank holidays are the
  // calendar's business, not the term dates'.
  [[nodiscard]] bool is_term_day(civil_date d) const;
  [[nodiscard]] const term* term_on(civil_date d) const;
};

// Refuses years whose date ranges overlap (years_overlap); returns them sorted by start.
[[nodiscard]] query_result<std::vector<academic_year>> sorted_years(std::vector<academic_year> years);

}  // namespace confidant::rules
