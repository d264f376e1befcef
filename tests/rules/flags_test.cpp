#include "server/rules/flags.hpp"

#include "server/rules/calendar_queries.hpp"
#include "tests/rules/calendar_fixtures.hpp"

#include <gtest/gtest.h>

namespace confidant::rules {
namespace {

using namespace std::chrono_literals;
using testing::london_at;

constexpr flag_state all_states[] = {flag_state::received, flag_state::acknowledged, flag_state::resolved};
constexpr flag_action all_actions[] = {flag_action::acknowledge, flag_action::add_note, flag_action::resolve,
                                       flag_action::set_hold};

// Every state x every action: the whole machine, written out.
TEST(FlagStates, EveryStateAndActionHasItsAnswer) {
  struct row {
    flag_state from;
    flag_action action;
    std::optional<flag_state> to;
  };
  const row table[] = {
      {flag_state::received, flag_action::acknowledge, flag_state::acknowledged},
      {flag_state::received, flag_action::add_note, flag_state::received},
      {flag_state::received, flag_action::resolve, std::nullopt},
      {flag_state::received, flag_action::set_hold, flag_state::received},
      {flag_state::acknowledged, flag_action::acknowledge, std::nullopt},
      {flag_state::acknowledged, flag_action::add_note, flag_state::acknowledged},
      {flag_state::acknowledged, flag_action::resolve, flag_state::resolved},
      {flag_state::acknowledged, flag_action::set_hold, flag_state::acknowledged},
      {flag_state::resolved, flag_action::acknowledge, std::nullopt},
      {flag_state::resolved, flag_action::add_note, std::nullopt},
      {flag_state::resolved, flag_action::resolve, std::nullopt},
      {flag_state::resolved, flag_action::set_hold, flag_state::resolved},
  };
  ASSERT_EQ(std::size(table), std::size(all_states) * std::size(all_actions));
  for (const auto& r : table)
    EXPECT_EQ(after(r.from, r.action), r.to) << name(r.from) << " + action " << static_cast<int>(r.action);
}

TEST(FlagStates, NamesRoundTripAndUnknownOnesAreRefused) {
  for (auto s : all_states) EXPECT_EQ(parse_flag_state(name(s)), s);
  EXPECT_FALSE(parse_flag_state("closed"));
  EXPECT_FALSE(parse_flag_state(""));
}

TEST(FlagVocabulary, OnlyTheListedWordsAreAccepted) {
  for (auto c : flag_categories) EXPECT_TRUE(is_flag_category(c));
  for (auto u : flag_urgencies) EXPECT_TRUE(is_flag_urgency(u));
  for (auto o : flag_outcomes) EXPECT_TRUE(is_flag_outcome(o));
  EXPECT_FALSE(is_flag_category("Child_Protection"));
  EXPECT_FALSE(is_flag_urgency("low"));
  EXPECT_FALSE(is_flag_outcome("closed"));
  EXPECT_FALSE(is_flag_category("immediate"));  // an urgency is not a category
}

TEST(FlagRoles, SpocsHandleAndEveryoneElseRaises) {
  for (auto r : {role::headteacher, role::associate, role::coordinator}) {
    EXPECT_TRUE(may_raise_flag(r));
    EXPECT_FALSE(may_handle_flag(r));
  }
  EXPECT_FALSE(may_raise_flag(role::spoc));
  EXPECT_TRUE(may_handle_flag(role::spoc));
}

// The deadline is 2 working hours on the LA calendar; escalations repeat each working hour.
TEST(FlagDeadline, CountsWorkingTimeAcrossAWeekendAndABankHoliday) {
  const auto la = testing::la_calendar();
  // Saturday night 21 November 2026: Monday 10:00.
  EXPECT_EQ(*flag_deadline(la, london_at(2026, 11, 21, 22, 40), 120min), london_at(2026, 11, 23, 10));
  // Thursday 24 December 2026 17:00: one hour on Thursday; Friday 25, Saturday, Sunday and the
  // Boxing Day substitute Monday 28 are shut; one more hour on Tuesday 29 December.
  EXPECT_EQ(*flag_deadline(la, london_at(2026, 12, 24, 17), 120min), london_at(2026, 12, 29, 9));
  // Escalations: an hour of working time after each run, so Friday 17:30 is followed by Monday 08:30.
  EXPECT_EQ(*next_escalation(la, london_at(2026, 11, 27, 17, 30), 60min), london_at(2026, 11, 30, 8, 30));
  // A zero interval would spin; it is at least a minute.
  EXPECT_EQ(*next_escalation(la, london_at(2026, 11, 23, 9), 0min), london_at(2026, 11, 23, 9, 1));
}

}  // namespace
}  // namespace confidant::rules
