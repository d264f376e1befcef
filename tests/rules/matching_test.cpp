// Eligibility of associates and the profiles a headteacher is offered (seed 003, issue 6).
#include "server/rules/matching.hpp"

#include <gtest/gtest.h>

namespace confidant::rules {
namespace {

TEST(Eligibility, EveryCriterionIsNamedWhenUnmet) {
  EXPECT_TRUE(unmet_criteria({5, inspection::good, true, true}).empty());
  EXPECT_TRUE(unmet_criteria({12, inspection::outstanding, true, true}).empty());
  const auto all = unmet_criteria({4, inspection::requires_improvement, false, false});
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].criterion, "years_as_headteacher");
  EXPECT_NE(all[0].sentence.find("4 recorded"), std::string::npos);
  EXPECT_EQ(all[1].criterion, "last_inspection");
  EXPECT_NE(all[1].sentence.find("requires_improvement"), std::string::npos);
  EXPECT_EQ(all[2].criterion, "training_completed");
  EXPECT_EQ(all[3].criterion, "coaching_record");
  EXPECT_EQ(unmet_criteria({9, inspection::inadequate, true, true}).size(), 1u);
  EXPECT_EQ(unmet_criteria({9, inspection::good, true, false}).size(), 1u);
}

TEST(Eligibility, InspectionNamesRoundTrip) {
  for (auto i : {inspection::outstanding, inspection::good, inspection::requires_improvement, inspection::inadequate})
    EXPECT_EQ(parse_inspection(name(i)), i);
  EXPECT_FALSE(parse_inspection("Good"));
}

associate_profile profile(std::int64_t user, std::string region, std::string school, int capacity = 2, int load = 0) {
  associate_profile a;
  a.user = user;
  a.region = std::move(region);
  a.size_band = "medium";
  a.school_types = {"rural", "church"};
  a.phase = "primary";
  a.skills = {"finance", "staff wellbeing"};
  a.school = std::move(school);
  a.capacity = capacity;
  a.load = load;
  a.approved = true;
  return a;
}

std::vector<std::int64_t> users(const std::vector<associate_profile>& v) {
  std::vector<std::int64_t> out;
  for (const auto& a : v) out.push_back(a.user);
  return out;
}

TEST(Offers, OnlyApprovedAssociatesWithRoomAndNoConflict) {
  std::vector<associate_profile> all{profile(1, "North", "Oak Primary"), profile(2, "North", "Elm Primary"),
                                     profile(3, "North", "Ash Primary", 2, 2), profile(4, "North", "Yew Primary"),
                                     profile(5, "North", "Fir Primary"), profile(6, "North", "Pine Primary")};
  all[3].approved = false;                 // not approved: never offered
  all[4].federation = "Three Rivers Federation";
  all[5].conflicts = {"  hazel primary "};  // declared conflict, written differently
  const headteacher_school head{"Hazel Primary", "three rivers federation"};
  EXPECT_EQ(users(offers(all, head, {}, "North")), (std::vector<std::int64_t>{1, 2}));
  // The associate's own school is the headteacher's: not offered either.
  const headteacher_school oak{"oak primary", ""};
  EXPECT_EQ(users(offers(all, oak, {}, "North")), (std::vector<std::int64_t>{2, 5, 6}));
}

TEST(Offers, SchoolsAndFederationsAreComparedAcross) {
  auto a = profile(1, "North", "Three Rivers Federation");  // leads the federation itself
  EXPECT_TRUE(excluded(a, {"Hazel Primary", "three rivers federation"}));
  a.school = "Oak Primary";
  a.federation = "Hazel Primary";  // a federation named like the headteacher's school
  EXPECT_TRUE(excluded(a, {"hazel primary", ""}));
  a.federation.clear();
  EXPECT_FALSE(excluded(a, {"Hazel Primary", ""}));  // an empty federation matches nothing
}

TEST(Offers, FiltersNarrowAndTheOrderPrefersTheRegionThenFreePlaces) {
  std::vector<associate_profile> all{profile(1, "South", "A", 3, 0), profile(2, "North", "B", 1, 0),
                                     profile(3, "North", "C", 3, 1), profile(4, "North", "D", 3, 0)};
  all[1].phase = "secondary";
  all[2].skills = {"governance"};
  const headteacher_school head{"Z", ""};
  const auto only = [](auto member, std::string value) {
    offer_filter f;
    f.*member = std::move(value);
    return f;
  };
  // North first; among them more free places first (4: 3 free, 3: 2 free, 2: 1 free); then South.
  EXPECT_EQ(users(offers(all, head, {}, "north")), (std::vector<std::int64_t>{4, 3, 2, 1}));
  EXPECT_EQ(users(offers(all, head, only(&offer_filter::phase, "secondary"), "North")), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(users(offers(all, head, only(&offer_filter::skill, "Governance"), "North")), (std::vector<std::int64_t>{3}));
  EXPECT_EQ(users(offers(all, head, only(&offer_filter::region, "South"), "North")), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(users(offers(all, head, only(&offer_filter::school_type, "academy"), "North")), (std::vector<std::int64_t>{}));
  auto both = only(&offer_filter::size_band, "medium");
  both.school_type = "rural";
  EXPECT_EQ(users(offers(all, head, both, "North")).size(), 4u);
}

TEST(Offers, AFullAssociateHasNoFreePlace) {
  EXPECT_TRUE(has_free_place(profile(1, "N", "A", 2, 1)));
  EXPECT_FALSE(has_free_place(profile(1, "N", "A", 2, 2)));
  auto unapproved = profile(1, "N", "A", 2, 0);
  unapproved.approved = false;
  EXPECT_FALSE(has_free_place(unapproved));
}

}  // namespace
}  // namespace confidant::rules
