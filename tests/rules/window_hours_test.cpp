#include "server/rules/window_hours.hpp"

#include <gtest/gtest.h>

namespace confidant::rules {
namespace {

using namespace std::chrono_literals;

TEST(WindowHours, PolicyContactHoursAreMondayToFriday) {
  auto h = contact_hours(*preset("la-peer-support"));
  ASSERT_TRUE(h);
  EXPECT_EQ(h->days, weekday_set::monday_to_friday());
  EXPECT_EQ(h->start, 8h);
  EXPECT_EQ(h->end, 18h);
  policy bad = *preset("la-peer-support");
  bad.contact_end = 7h;
  EXPECT_EQ(contact_hours(bad).error(), calendar_errc::bad_hours);
  bad.contact_end = 25h;
  EXPECT_EQ(contact_hours(bad).error(), calendar_errc::bad_hours);
}

struct narrow_case {
  const char* what;
  personal_window w;
  bool ok;
  window_hours expected;
};

TEST(WindowHours, NarrowingNeverWidens) {
  const window_hours policy_hours{};
  const narrow_case cases[] = {
      {"as policy", {}, true, policy_hours},
      {"afternoons", {weekday_set::monday_to_friday(), 13h, std::nullopt}, true, {weekday_set::monday_to_friday(), 13h, 18h}},
      {"Tue and Thu 9-12", {{2, 4}, 9h, 12h}, true, {{2, 4}, 9h, 12h}},
      {"starts before policy", {weekday_set::monday_to_friday(), 7h, 12h}, false, {}},
      {"ends after policy", {weekday_set::monday_to_friday(), 9h, 19h}, false, {}},
      {"adds Saturday", {{1, 6}, std::nullopt, std::nullopt}, false, {}},
  };
  for (const auto& c : cases) {
    auto r = narrow(policy_hours, c.w);
    ASSERT_EQ(r.has_value(), c.ok) << c.what;
    if (c.ok) {
      EXPECT_EQ(*r, c.expected) << c.what;
    } else {
      EXPECT_EQ(r.error(), calendar_errc::outside_policy) << c.what;
    }
  }
  EXPECT_EQ(narrow(policy_hours, {{}, std::nullopt, std::nullopt}).error(), calendar_errc::bad_hours);
  EXPECT_EQ(narrow(policy_hours, {weekday_set::monday_to_friday(), 12h, 12h}).error(), calendar_errc::bad_hours);
}

TEST(WindowHours, WeekdaySet) {
  weekday_set s{1, 3};
  EXPECT_TRUE(s.contains(1));
  EXPECT_FALSE(s.contains(2));
  EXPECT_FALSE(s.contains(0));
  EXPECT_FALSE(s.contains(8));
  EXPECT_TRUE(s.subset_of(weekday_set::monday_to_friday()));
  EXPECT_FALSE(weekday_set::every_day().subset_of(weekday_set::monday_to_friday()));
}

}  // namespace
}  // namespace confidant::rules
