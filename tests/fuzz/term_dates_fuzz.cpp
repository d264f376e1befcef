// TOML term dates (rules::parse_term_dates): what parses keeps the promises of academic_year
// (terms in order without overlaps, half terms inside their term, everything inside the year)
// and makes a school contact calendar whose open days are term days. Errors print.
#include "server/rules/calendar.hpp"
#include "server/rules/term_dates.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace {

using namespace confidant::rules;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "term_dates_fuzz: invariant broken: %s\n", what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > max_term_dates_size) return 0;
  const std::string_view text{reinterpret_cast<const char*>(data), size};
  auto parsed = parse_term_dates(text);
  if (!parsed) {
    check(!parsed.error().to_string().empty(), "an error without a message");
    return 0;
  }
  const auto& y = *parsed;
  check(y.dates.first <= y.dates.last, "year ends before it starts");
  check(!y.terms.empty(), "a year without terms");
  for (std::size_t i = 0; i < y.terms.size(); ++i) {
    const auto& t = y.terms[i];
    check(t.dates.first <= t.dates.last && y.dates.contains(t.dates), "a term outside its year");
    if (i > 0) check(y.terms[i - 1].dates.last < t.dates.first, "terms out of order or overlapping");
    for (std::size_t j = 0; j < t.half_terms.size(); ++j) {
      const auto& h = t.half_terms[j].dates;
      check(h.first <= h.last && t.dates.contains(h), "a half term outside its term");
      if (j > 0) check(t.half_terms[j - 1].dates.last < h.first, "half terms out of order");
    }
  }
  for (const auto& c : y.closures) check(c.dates.first <= c.dates.last && y.dates.contains(c.dates), "a closure outside the year");

  auto school = calendar::school_contact(std::vector<academic_year>{y}, bank_holidays{}, window_hours{});
  check(school.has_value(), "no school calendar from a valid year");
  // The first 400 days of the year: an open day is a term day (never the other way round).
  for (int i = 0; i < 400; ++i) {
    const auto d = y.dates.first + date::days{i};
    if (d > y.dates.last) break;
    if (school->is_open_day(d)) check(y.is_term_day(d), "open on a day that is not a term day");
    if (y.is_term_day(d)) check(y.term_on(d) != nullptr, "a term day outside every term");
  }
  return 0;
}
