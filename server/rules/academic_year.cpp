#include "server/rules/academic_year.hpp"

#include <algorithm>

namespace confidant::rules {

const term* academic_year::term_on(civil_date d) const {
  for (const auto& t : terms) {
    if (t.dates.contains(d)) return &t;
  }
  return nullptr;
}

bool academic_year::is_term_day(civil_date d) const {
  const term* t = term_on(d);
  if (!t) return false;
  for (const auto& h : t->half_terms) {
    if (h.dates.contains(d)) return false;
  }
  for (const auto& c : closures) {
    if (c.dates.contains(d)) return false;
  }
  return true;
}

query_result<std::vector<academic_year>> sorted_years(std::vector<academic_year> years) {
  std::sort(years.begin(), years.end(),
            [](const auto& a, const auto& b) { return a.dates.first < b.dates.first; });
  for (std::size_t i = 1; i < years.size(); ++i) {
    if (years[i - 1].dates.overlaps(years[i].dates)) return make_error_code(calendar_errc::years_overlap);
  }
  return years;
}

}  // namespace confidant::rules
