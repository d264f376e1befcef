#include "server/rules/calendar_queries.hpp"

#include "server/rules/time_format.hpp"
#include "tests/rules/calendar_fixtures.hpp"

#include <gtest/gtest.h>

namespace confidant::rules {
namespace {

using namespace std::chrono_literals;
using testing::london_at;

struct add_case {
  const char* what;
  time_point from;
  std::chrono::minutes amount;
  time_point expected;
};

// SPOC deadlines on the LA working-day calendar (Monday-Friday minus bank holidays, 08:00-18:00).
TEST(WorkingTime, AddsAcrossEveningsWeekendsAndBankHolidays) {
  const auto la = testing::la_calendar();
  const add_case cases[] = {
      {"inside one day", london_at(2026, 11, 4, 9), 120min, london_at(2026, 11, 4, 11)},
      {"ends exactly at close", london_at(2026, 11, 4, 16), 120min, london_at(2026, 11, 4, 18)},
      {"Friday 17:30 + 2h is Monday 09:30", london_at(2026, 11, 6, 17, 30), 120min, london_at(2026, 11, 9, 9, 30)},
      {"raised on Saturday", london_at(2026, 11, 7, 11), 120min, london_at(2026, 11, 9, 10)},
      {"raised at night", london_at(2026, 11, 4, 22), 120min, london_at(2026, 11, 5, 10)},
      {"raised before opening", london_at(2026, 11, 4, 6), 30min, london_at(2026, 11, 4, 8, 30)},
      {"Easter 2026: Thursday 17:00 to Tuesday", london_at(2026, 4, 2, 17), 120min, london_at(2026, 4, 7, 9)},
      {"Easter 2027: over Good Friday, Easter Monday and the clock change", london_at(2027, 3, 25, 17), 120min,
       london_at(2027, 3, 30, 9)},
      {"Christmas 2026: over the Boxing Day substitute", london_at(2026, 12, 24, 17), 120min,
       london_at(2026, 12, 29, 9)},
      {"Christmas 2027: two substitutes", london_at(2027, 12, 24, 17, 30), 120min, london_at(2027, 12, 29, 9, 30)},
      {"New Year 2027 (Friday)", london_at(2026, 12, 31, 17), 120min, london_at(2027, 1, 4, 9)},
      {"October 2026 change weekend", london_at(2026, 10, 23, 17), 120min, london_at(2026, 10, 26, 9)},
      {"half term is a working week for the LA", london_at(2026, 10, 26, 9), 600min, london_at(2026, 10, 27, 9)},
      {"three working days", london_at(2026, 11, 4, 8), 30h, london_at(2026, 11, 6, 18)},
      {"zero is the instant itself", london_at(2026, 11, 7, 11), 0min, london_at(2026, 11, 7, 11)},
  };
  for (const auto& c : cases) {
    auto r = add_working_time(la, c.from, c.amount);
    ASSERT_TRUE(r) << c.what;
    EXPECT_EQ(*r, c.expected) << c.what << ": got " << format_utc(*r);
  }
}

TEST(WorkingTime, BoundsAndErrors) {
  const auto la = testing::la_calendar();
  EXPECT_EQ(add_working_time(la, london_at(2026, 11, 4, 9), -1min).error(), calendar_errc::bad_duration);
  EXPECT_EQ(add_working_time(la, london_at(2026, 11, 4, 9), std::chrono::hours{24 * 365 * 20}).error(),
            calendar_errc::bad_duration);
  // On the school calendar the summer holiday is longer than a 30-day bound.
  const auto school = testing::school_calendar();
  EXPECT_EQ(add_working_time(school, london_at(2027, 7, 20, 17), 120min, 30).error(), calendar_errc::no_opening);
  EXPECT_EQ(add_working_time(school, london_at(2027, 7, 20, 17), 120min).value(), london_at(2027, 9, 3, 9));
}

}  // namespace
}  // namespace confidant::rules
