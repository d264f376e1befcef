// GOV.UK bank-holiday JSON (rules::parse_bank_holidays) for two divisions: what parses is sorted,
// has no date twice, answers contains()/find() for each of its days, and makes an LA working-day
// calendar whose holidays are closed. Errors print.
#include "server/rules/bank_holidays.hpp"
#include "server/rules/calendar.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

using namespace confidant::rules;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "bank_holidays_fuzz: invariant broken: %s\n", what);
    std::abort();
  }
}

void one(std::string_view json, std::string_view division) {
  auto parsed = parse_bank_holidays(json, division);
  if (!parsed) {
    check(!parsed.error().to_string().empty(), "an error without a message");
    return;
  }
  const auto& days = parsed->all();
  for (std::size_t i = 0; i < days.size(); ++i) {
    if (i > 0) check(days[i - 1].day < days[i].day, "holidays not sorted or a date twice");
    check(parsed->contains(days[i].day), "contains() misses a holiday");
    check(parsed->find(days[i].day) == &days[i], "find() misses a holiday");
    (void)format_civil_date(days[i].day);
  }
  auto la = calendar::la_working(*parsed);
  check(la.has_value(), "no LA calendar from valid holidays");
  for (std::size_t i = 0; i < days.size() && i < 64; ++i) check(!la->is_open_day(days[i].day), "open on a bank holiday");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > max_bank_holidays_size) return 0;
  const std::string_view json{reinterpret_cast<const char*>(data), size};
  one(json, "england-and-wales");
  one(json, "scotland");
  return 0;
}
