#include "server/rules/time_format.hpp"

#include <date/date.h>
#include <gtest/gtest.h>

namespace confidant::rules {
namespace {

using namespace std::chrono_literals;

TEST(TimeFormat, Rfc3339UtcWithMilliseconds) {
  const time_point t = date::sys_days{date::year{2026} / 11 / 23} + 14h + 5min + 9s + 123ms;
  EXPECT_EQ(format_utc(t), "2026-11-23T14:05:09.123Z");
  EXPECT_EQ(format_utc(time_point{}), "1970-01-01T00:00:00.000Z");
}

TEST(TimeFormat, ParseIsTheInverse) {
  const time_point t = date::sys_days{date::year{2027} / 3 / 28} + 1h + 0min + 0s + 7ms;
  EXPECT_EQ(parse_utc(format_utc(t)), t);
  for (const char* bad : {"", "2026-11-23", "2026-11-23T14:05:09Z", "2026-11-23T14:05:09.123+01:00",
                          "2026-13-23T14:05:09.123Z", "2026-11-23 14:05:09.123Z"}) {
    EXPECT_FALSE(parse_utc(bad)) << bad;
  }
}

TEST(Clock, FixedClockMovesOnlyWhenTold) {
  fixed_clock c{time_point{1000ms}};
  EXPECT_EQ(c.now(), time_point{1000ms});
  c.advance(500ms);
  EXPECT_EQ(c.now(), time_point{1500ms});
}

}  // namespace
}  // namespace confidant::rules
