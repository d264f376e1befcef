#include "server/rules/calendar_queries.hpp"

#include "server/rules/time_format.hpp"
#include "tests/rules/calendar_fixtures.hpp"

#include <gtest/gtest.h>

namespace confidant::rules {
namespace {

using namespace std::chrono_literals;
using testing::london_at;
using testing::utc;

struct opening_case {
  const char* what;
  time_point t;
  bool open;
  time_point next;
};

TEST(CalendarQueries, IsOpenAndNextOpeningAcrossDstHalfTermsAndHolidays) {
  const auto school = testing::school_calendar();
  const opening_case cases[] = {
      // DST: 08:00 local is 07:00Z in summer time, 08:00Z in winter.
      {"Monday 30 March 2026 is outside any loaded year", utc(2026, 3, 30, 7), false, utc(2026, 9, 3, 7)},
      {"BST: 07:30Z is 08:30 local", utc(2026, 9, 3, 7, 30), true, utc(2026, 9, 3, 7, 30)},
      {"BST: 06:59Z is 07:59 local", utc(2026, 9, 3, 6, 59), false, utc(2026, 9, 3, 7)},
      {"BST: 17:00Z is 18:00 local, closed", utc(2026, 9, 3, 17), false, utc(2026, 9, 4, 7)},
      {"Friday 23 Oct 2026 (BST) 16:59Z", utc(2026, 10, 23, 16, 59), true, utc(2026, 10, 23, 16, 59)},
      {"Friday 23 Oct 2026 after hours: half term, then GMT", utc(2026, 10, 23, 17), false, utc(2026, 11, 2, 8)},
      {"GMT: 07:30Z is 07:30 local", utc(2026, 11, 2, 7, 30), false, utc(2026, 11, 2, 8)},
      {"GMT: 17:30Z is 17:30 local", utc(2026, 11, 2, 17, 30), true, utc(2026, 11, 2, 17, 30)},
      {"end of autumn term", london_at(2026, 12, 18, 18), false, london_at(2027, 1, 5, 8)},
      {"Christmas Day", utc(2026, 12, 25, 12), false, utc(2027, 1, 5, 8)},
      {"last day of spring term 2027 (GMT)", london_at(2027, 3, 25, 17, 59), true, utc(2027, 3, 25, 17, 59)},
      {"Easter 2027 and the change on 28 March", london_at(2027, 3, 25, 18), false, utc(2027, 4, 12, 7)},
      {"Early May bank holiday 2027", london_at(2027, 5, 3, 10), false, utc(2027, 5, 4, 7)},
      {"Friday before the May half term", london_at(2027, 5, 28, 18), false, utc(2027, 6, 7, 7)},
      {"end of the academic year", london_at(2027, 7, 20, 18), false, utc(2027, 9, 3, 7)},
      {"Friday 29 Oct 2027, half term before the change", london_at(2027, 10, 22, 18), false, utc(2027, 11, 1, 8)},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(is_open(school, c.t), c.open) << c.what;
    auto next = next_opening(school, c.t);
    ASSERT_TRUE(next) << c.what;
    EXPECT_EQ(*next, c.next) << c.what << ": got " << format_utc(*next);
  }
}

TEST(CalendarQueries, NoOpeningAfterTheLastLoadedYear) {
  auto only_2026 = calendar::school_contact({testing::shipped_year("terms-2026-27.toml")},
                                            testing::shipped_holidays(), {});
  ASSERT_TRUE(only_2026);
  EXPECT_EQ(next_opening(*only_2026, london_at(2027, 7, 20, 18)).error(), calendar_errc::no_opening);
  EXPECT_EQ(next_opening(*only_2026, london_at(2027, 7, 20, 17)).value(), london_at(2027, 7, 20, 17));
  // A short bound fails where a longer one succeeds.
  const auto school = testing::school_calendar();
  EXPECT_EQ(next_opening(school, london_at(2027, 7, 20, 18), 30).error(), calendar_errc::no_opening);
  EXPECT_TRUE(next_opening(school, london_at(2027, 7, 20, 18), 60));
}

TEST(CalendarQueries, NarrowedWindow) {
  auto mine = testing::school_calendar().narrowed({{2, 4}, 15h, 17h});
  ASSERT_TRUE(mine);
  // Monday 2 November 2026, 10:00 GMT: next is Tuesday 15:00.
  EXPECT_FALSE(is_open(*mine, utc(2026, 11, 2, 10)));
  EXPECT_EQ(next_opening(*mine, utc(2026, 11, 2, 10)).value(), utc(2026, 11, 3, 15));
  EXPECT_TRUE(is_open(*mine, utc(2026, 11, 3, 16, 59)));
  EXPECT_EQ(next_opening(*mine, utc(2026, 11, 3, 17)).value(), utc(2026, 11, 5, 15));
}

TEST(CalendarQueries, WindowsBetween) {
  const auto school = testing::school_calendar();
  // The week of the October 2026 change: Thu 22 and Fri 23 open (BST), then half term.
  auto w = windows_between(school, utc(2026, 10, 22, 12), utc(2026, 11, 3, 0));
  ASSERT_TRUE(w);
  const std::vector<interval> expected{
      {utc(2026, 10, 22, 12), utc(2026, 10, 22, 17)},
      {utc(2026, 10, 23, 7), utc(2026, 10, 23, 17)},
      {utc(2026, 11, 2, 8), utc(2026, 11, 2, 18)},
  };
  EXPECT_EQ(*w, expected);
  auto empty = windows_between(school, utc(2026, 12, 19, 0), utc(2027, 1, 5, 0));
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  EXPECT_EQ(windows_between(school, utc(2026, 10, 2, 0), utc(2026, 10, 1, 0)).error(), calendar_errc::bad_range);
  EXPECT_EQ(windows_between(school, utc(2026, 1, 1, 0), utc(2030, 1, 1, 0)).error(), calendar_errc::bad_range);
  // Every window of the 2026-27 year is 10 hours long whatever the season.
  auto year = windows_between(school, utc(2026, 9, 1, 0), utc(2027, 9, 1, 0));
  ASSERT_TRUE(year);
  for (const auto& i : *year) EXPECT_EQ(i.end - i.start, 10h) << format_utc(i.start);
  EXPECT_EQ(year->size(), 191u);  // 195 days in term minus 4 INSET days; checked independently
}

}  // namespace
}  // namespace confidant::rules
