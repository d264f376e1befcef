#include "server/rules/policy.hpp"

#include <gtest/gtest.h>

namespace confidant::rules {
namespace {

TEST(Policy, LaPeerSupportFollowsSeed003) {
  auto p = preset("la-peer-support");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->initial_meeting_max, std::chrono::minutes{60});
  EXPECT_EQ(p->max_in_person_meetings, 6);
  EXPECT_EQ(p->cycle_months, 6);
  EXPECT_EQ(p->contact_start, std::chrono::hours{8});
  EXPECT_EQ(p->contact_end, std::chrono::hours{18});
  EXPECT_EQ(p->outside, policy::outside_window::hold);
}

TEST(Policy, PastoralAssociatesFollowsSeed000) {
  auto p = preset("pastoral-associates");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->min_meetings_per_term, 1);
  EXPECT_EQ(p->max_meetings_per_term, 2);
  EXPECT_FALSE(p->cycle_months.has_value());
  EXPECT_FALSE(p->max_in_person_meetings.has_value());
}

TEST(Policy, UnknownPresetIsRefusedAndEveryNameResolves) {
  EXPECT_FALSE(preset("la-peer-suport"));
  for (auto n : preset_names()) EXPECT_TRUE(preset(n)) << n;
}

}  // namespace
}  // namespace confidant::rules
