#include "server/rules/calendar.hpp"

#include "tests/rules/calendar_fixtures.hpp"

#include <gtest/gtest.h>

namespace confidant::rules {
namespace {

using namespace std::chrono_literals;
using testing::day;

struct day_case {
  civil_date d;
  bool school_open;
  bool la_open;
  const char* why;
};

TEST(Calendar, SchoolContactAndLaWorkingDays) {
  const auto school = testing::school_calendar();
  const auto la = testing::la_calendar();
  const day_case cases[] = {
      {day(2026, 9, 1), false, true, "INSET day (first day of autumn term)"},
      {day(2026, 9, 3), true, true, "ordinary Thursday in term"},
      {day(2026, 9, 5), false, false, "Saturday"},
      {day(2026, 9, 6), false, false, "Sunday"},
      {day(2026, 10, 23), true, true, "Friday before half term"},
      {day(2026, 10, 26), false, true, "October half term Monday"},
      {day(2026, 10, 30), false, true, "October half term Friday"},
      {day(2026, 11, 2), true, true, "back after half term"},
      {day(2026, 12, 18), true, true, "last day of autumn term"},
      {day(2026, 12, 21), false, true, "Christmas holiday, LA working"},
      {day(2026, 12, 25), false, false, "Christmas Day"},
      {day(2026, 12, 28), false, false, "Boxing Day substitute"},
      {day(2027, 1, 1), false, false, "New Year's Day (Friday)"},
      {day(2027, 1, 4), false, true, "INSET day"},
      {day(2027, 1, 5), true, true, "first teaching day of spring term"},
      {day(2027, 2, 17), false, true, "February half term"},
      {day(2027, 3, 25), true, true, "last day of spring term"},
      {day(2027, 3, 26), false, false, "Good Friday"},
      {day(2027, 3, 29), false, false, "Easter Monday"},
      {day(2027, 3, 30), false, true, "Easter holiday"},
      {day(2027, 4, 12), true, true, "first day of summer term"},
      {day(2027, 5, 3), false, false, "Early May bank holiday in term"},
      {day(2027, 5, 31), false, false, "Spring bank holiday in half term"},
      {day(2027, 6, 2), false, true, "May half term"},
      {day(2027, 7, 20), true, true, "last open day of the year"},
      {day(2027, 7, 21), false, true, "INSET on the last day of term"},
      {day(2027, 8, 30), false, false, "Summer bank holiday"},
      {day(2027, 8, 31), false, true, "last day of the academic year, a holiday"},
      {day(2027, 9, 1), false, true, "INSET, 2027-28"},
      {day(2027, 9, 3), true, true, "2027-28 autumn term"},
      {day(2027, 12, 27), false, false, "Christmas substitute"},
      {day(2027, 12, 28), false, false, "Boxing Day substitute"},
      {day(2028, 1, 3), false, false, "New Year's Day substitute"},
      {day(2028, 9, 4), false, true, "after the last loaded academic year"},
      {day(2026, 7, 1), false, true, "before the first loaded academic year"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(school.is_open_day(c.d), c.school_open) << format_civil_date(c.d) << ": " << c.why;
    EXPECT_EQ(la.is_open_day(c.d), c.la_open) << format_civil_date(c.d) << ": " << c.why;
  }
  EXPECT_TRUE(school.uses_term_time());
  EXPECT_FALSE(la.uses_term_time());
}

TEST(Calendar, InjectedOneOffBankHolidayClosesBothCalendars) {
  // A one-off extra bank holiday, as GOV.UK publishes for national events.
  auto json = testing::read_shipped("bank-holidays.json");
  const auto at = json.find("\"events\": [") + 11;
  json.insert(at, R"({"title": "Extra bank holiday", "date": "2026-11-20", "notes": "One-off", "bunting": true},)");
  auto holidays = parse_bank_holidays(json);
  ASSERT_TRUE(holidays) << holidays.error().to_string();
  EXPECT_EQ(holidays->find(day(2026, 11, 20))->notes, "One-off");
  EXPECT_FALSE(testing::school_calendar(*holidays).is_open_day(day(2026, 11, 20)));
  EXPECT_FALSE(testing::la_calendar(*holidays).is_open_day(day(2026, 11, 20)));
  EXPECT_TRUE(testing::school_calendar().is_open_day(day(2026, 11, 20)));
}

TEST(Calendar, NarrowedUserWindow) {
  const auto school = testing::school_calendar();
  auto mine = school.narrowed({{2, 4}, 15h, 17h});  // Tuesdays and Thursdays, 15:00-17:00
  ASSERT_TRUE(mine);
  EXPECT_FALSE(mine->is_open_day(day(2026, 9, 7)));  // Monday
  EXPECT_TRUE(mine->is_open_day(day(2026, 9, 8)));   // Tuesday
  EXPECT_FALSE(mine->is_open_day(day(2026, 10, 27)));  // Tuesday in half term: still closed
  EXPECT_EQ(mine->window_on(day(2026, 9, 8)).start, testing::utc(2026, 9, 8, 14));
  // Narrowing a narrowed calendar works; widening it back does not.
  EXPECT_TRUE(mine->narrowed({{2}, 15h, 16h}));
  EXPECT_EQ(mine->narrowed({{2, 4}, 8h, 18h}).error(), calendar_errc::outside_policy);
  EXPECT_EQ(school.narrowed({{1, 2, 3, 4, 5, 6}, std::nullopt, std::nullopt}).error(), calendar_errc::outside_policy);
}

TEST(Calendar, RefusesBadHoursAndOverlappingYears) {
  EXPECT_EQ(calendar::la_working({}, {weekday_set::monday_to_friday(), 18h, 8h}).error(), calendar_errc::bad_hours);
  const auto y = testing::shipped_year("terms-2026-27.toml");
  EXPECT_EQ(calendar::school_contact({y, y}, {}, {}).error(), calendar_errc::years_overlap);
}

}  // namespace
}  // namespace confidant::rules
