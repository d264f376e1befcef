#include "server/rules/calendar_queries.hpp"

#include "server/rules/time_format.hpp"
#include "tests/rules/calendar_fixtures.hpp"

#include <gtest/gtest.h>

#include <random>

namespace confidant::rules {
namespace {

using namespace std::chrono_literals;

// For random instants t: next_opening(t) is open, and no sampled minute in [t, next) is open.
// Fixed seed and a bounded number of iterations, so a failure always reproduces. Instants run
// from August 2026 to the last open day of the loaded years (20 July 2028).
void check_next_opening(const calendar& cal, std::uint32_t seed) {
  std::mt19937 rng{seed};
  const auto from = testing::utc(2026, 8, 1, 0);
  const auto span_minutes = std::chrono::duration_cast<std::chrono::minutes>(testing::utc(2028, 7, 20, 0) - from).count();
  std::uniform_int_distribution<long long> pick{0, span_minutes - 1};
  std::uniform_int_distribution<int> ms{0, 59'999};
  for (int i = 0; i < 300; ++i) {
    const time_point t = from + std::chrono::minutes{pick(rng)} + std::chrono::milliseconds{ms(rng)};
    auto next = next_opening(cal, t);
    if (!next) {
      // Only after the last window of the loaded years: then nothing at all is open later.
      ASSERT_EQ(next.error(), calendar_errc::no_opening) << format_utc(t);
      auto later = windows_between(cal, t, testing::utc(2028, 9, 1, 0));
      ASSERT_TRUE(later);
      ASSERT_TRUE(later->empty()) << format_utc(t);
      continue;
    }
    ASSERT_GE(*next, t);
    ASSERT_TRUE(is_open(cal, *next)) << format_utc(t) << " -> " << format_utc(*next);
    EXPECT_EQ(is_open(cal, t), *next == t) << format_utc(t);
    // Minutes in [t, next): all of them when close, else a sample of 2000 (plus the last one).
    const auto gap = std::chrono::duration_cast<std::chrono::minutes>(*next - t).count();
    const long long step = std::max<long long>(1, gap / 2000);
    for (long long m = 0; m < gap; m += step) {
      const time_point s = t + std::chrono::minutes{m};
      ASSERT_FALSE(is_open(cal, s)) << format_utc(t) << " -> " << format_utc(*next) << " but open at " << format_utc(s);
    }
    if (*next > t) {
      ASSERT_FALSE(is_open(cal, *next - 1ms)) << format_utc(*next);
    }
    // The opening is the start of one of the listed windows (or t itself).
    auto ws = windows_between(cal, t, *next + 1min);
    ASSERT_TRUE(ws);
    ASSERT_FALSE(ws->empty());
    EXPECT_EQ(ws->front().start, *next);
  }
}

TEST(CalendarProperty, NextOpeningIsTheFirstOpenInstantOnTheSchoolCalendar) {
  check_next_opening(testing::school_calendar(), 20260901);
}

TEST(CalendarProperty, NextOpeningIsTheFirstOpenInstantOnANarrowedWindow) {
  auto mine = testing::school_calendar().narrowed({{1, 3}, 9h + 30min, 11h});
  ASSERT_TRUE(mine);
  check_next_opening(*mine, 7);
}

TEST(CalendarProperty, NextOpeningIsTheFirstOpenInstantOnTheLaCalendar) {
  check_next_opening(testing::la_calendar(), 42);
}

TEST(CalendarProperty, WorkingTimeAddsUp) {
  // add(t, a + b) == add(add(t, a), b), and the open time in [t, add(t, a)) is a.
  const auto la = testing::la_calendar();
  std::mt19937 rng{5};
  std::uniform_int_distribution<int> minutes{0, 60 * 24 * 400};
  std::uniform_int_distribution<int> amount{0, 60 * 40};
  for (int i = 0; i < 200; ++i) {
    const time_point t = testing::utc(2026, 9, 1, 0) + std::chrono::minutes{minutes(rng)};
    const std::chrono::minutes a{amount(rng)}, b{amount(rng)};
    auto ta = add_working_time(la, t, a);
    ASSERT_TRUE(ta);
    auto tab = add_working_time(la, *ta, b);
    auto direct = add_working_time(la, t, a + b);
    ASSERT_TRUE(tab);
    ASSERT_TRUE(direct);
    EXPECT_EQ(*tab, *direct) << format_utc(t) << " + " << a.count() << " + " << b.count();
    auto ws = windows_between(la, t, *ta);
    ASSERT_TRUE(ws);
    std::chrono::milliseconds open{0};
    for (const auto& w : *ws) open += w.end - w.start;
    EXPECT_EQ(open, a) << format_utc(t);
  }
}

}  // namespace
}  // namespace confidant::rules
