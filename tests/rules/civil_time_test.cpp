#include "server/rules/civil_time.hpp"

#include "tests/rules/calendar_fixtures.hpp"

#include <gtest/gtest.h>

namespace confidant::rules {
namespace {

using namespace std::chrono_literals;
using testing::day;
using testing::utc;

struct dst_case {
  int y;
  unsigned m, d;
  int local_hour;
  time_point expected_utc;
};

// 08:00 and 18:00 in London either side of each change (last Sundays of March and October).
TEST(CivilTime, LondonLocalTimesAcrossDstChanges) {
  const dst_case cases[] = {
      {2026, 3, 27, 8, utc(2026, 3, 27, 8)},    // Friday before: GMT
      {2026, 3, 30, 8, utc(2026, 3, 30, 7)},    // Monday after 29 March: BST
      {2026, 3, 30, 18, utc(2026, 3, 30, 17)},
      {2026, 10, 23, 8, utc(2026, 10, 23, 7)},  // Friday before 25 October: BST
      {2026, 10, 26, 8, utc(2026, 10, 26, 8)},  // Monday after: GMT
      {2027, 3, 26, 18, utc(2027, 3, 26, 18)},  // before 28 March 2027
      {2027, 3, 29, 8, utc(2027, 3, 29, 7)},
      {2027, 10, 29, 8, utc(2027, 10, 29, 7)},  // before 31 October 2027
      {2027, 11, 1, 8, utc(2027, 11, 1, 8)},
      {2027, 7, 1, 12, utc(2027, 7, 1, 11)},
      {2027, 1, 15, 12, utc(2027, 1, 15, 12)},
  };
  for (const auto& c : cases) {
    const auto t = from_civil(london(), day(c.y, c.m, c.d), std::chrono::hours{c.local_hour});
    EXPECT_EQ(t, c.expected_utc) << c.y << "-" << c.m << "-" << c.d << " " << c.local_hour << ":00";
    const auto back = to_civil(london(), t);
    EXPECT_EQ(back.day, day(c.y, c.m, c.d));
    EXPECT_EQ(back.since_midnight, std::chrono::hours{c.local_hour});
  }
}

TEST(CivilTime, GapAndRepeatedHourOnChangeDays) {
  // 01:30 on 29 March 2026 does not exist: it maps to the change, 01:00Z (02:00 BST).
  EXPECT_EQ(from_civil(london(), day(2026, 3, 29), 90min), utc(2026, 3, 29, 1));
  // 01:30 on 25 October 2026 happens twice: the first (BST) one, 00:30Z.
  EXPECT_EQ(from_civil(london(), day(2026, 10, 25), 90min), utc(2026, 10, 25, 0, 30));
  // The local day changes at 23:00Z in summer.
  EXPECT_EQ(to_civil(london(), utc(2026, 6, 30, 23)).day, day(2026, 7, 1));
  EXPECT_EQ(to_civil(london(), utc(2026, 12, 31, 23)).day, day(2026, 12, 31));
}

TEST(CivilTime, StrictIsoDates) {
  EXPECT_EQ(parse_civil_date("2026-12-28"), day(2026, 12, 28));
  EXPECT_EQ(parse_civil_date("2028-02-29"), day(2028, 2, 29));
  for (const char* bad : {"2027-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-01-01", "2026/01/01",
                          "2026-01-01 ", "2026-01-32", "", "abcd-ef-gh"}) {
    EXPECT_FALSE(parse_civil_date(bad)) << bad;
  }
  EXPECT_EQ(format_civil_date(day(2027, 3, 5)), "2027-03-05");
  EXPECT_EQ(iso_weekday(day(2026, 12, 28)), 1u);
  EXPECT_EQ(iso_weekday(day(2026, 12, 26)), 6u);
}

}  // namespace
}  // namespace confidant::rules
