// The support cycle's state machine, exhaustively: every state x every action x every actor.
#include "server/rules/cycles.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <tuple>

namespace confidant::rules {
namespace {

using S = cycle_state;
using A = cycle_action;
using R = cycle_actor;

// Every allowed (state, action, actor) and where it leads, written out one by one (DESIGN.md 2).
const std::map<std::tuple<S, A, R>, S> allowed{
    {{S::requested, A::send_offers, R::headteacher}, S::offered},
    {{S::requested, A::send_offers, R::coordinator}, S::offered},
    {{S::offered, A::prefer, R::headteacher}, S::preferred},
    {{S::preferred, A::prefer, R::headteacher}, S::preferred},  // re-ranking
    {{S::requested, A::pair, R::coordinator}, S::paired},
    {{S::offered, A::pair, R::coordinator}, S::paired},
    {{S::preferred, A::pair, R::coordinator}, S::paired},
    {{S::requested, A::decline, R::coordinator}, S::closed},
    {{S::offered, A::decline, R::coordinator}, S::closed},
    {{S::preferred, A::decline, R::coordinator}, S::closed},
    {{S::requested, A::withdraw, R::headteacher}, S::closed},
    {{S::offered, A::withdraw, R::headteacher}, S::closed},
    {{S::preferred, A::withdraw, R::headteacher}, S::closed},
    {{S::paired, A::first_meeting, R::server}, S::active},
    {{S::active, A::reach_review, R::server}, S::review_due},
    {{S::review_due, A::extend, R::coordinator}, S::extended},
    {{S::active, A::close, R::coordinator}, S::closed},
    {{S::review_due, A::close, R::coordinator}, S::closed},
    {{S::paired, A::end_early, R::coordinator}, S::ended_early},
    {{S::active, A::end_early, R::coordinator}, S::ended_early},
    {{S::review_due, A::end_early, R::coordinator}, S::ended_early},
};

// Who may ever take each action (anyone else is `forbidden` in every state).
const std::map<A, std::set<R>> actors_of{
    {A::send_offers, {R::headteacher, R::coordinator}}, {A::prefer, {R::headteacher}},
    {A::pair, {R::coordinator}},                         {A::decline, {R::coordinator}},
    {A::withdraw, {R::headteacher}},                     {A::first_meeting, {R::server}},
    {A::reach_review, {R::server}},                      {A::extend, {R::coordinator}},
    {A::close, {R::coordinator}},                        {A::end_early, {R::coordinator}},
};

TEST(CycleStates, EveryStateActionAndActorIsDecidedAsWritten) {
  int checked = 0;
  for (const auto s : all_cycle_states) {
    for (const auto a : all_cycle_actions) {
      for (const auto r : all_cycle_actors) {
        ++checked;
        const auto got = step(s, a, r);
        const auto it = allowed.find({s, a, r});
        const auto what = std::string{name(s)} + " + " + std::string{name(a)} + " by actor " +
                          std::to_string(static_cast<int>(r));
        if (it != allowed.end()) {
          EXPECT_EQ(got.next, it->second) << what;
          EXPECT_FALSE(got.refusal) << what;
        } else {
          EXPECT_FALSE(got.next) << what;
          EXPECT_EQ(got.refusal, actors_of.at(a).contains(r) ? cycle_refusal::wrong_state : cycle_refusal::forbidden)
              << what;
        }
      }
    }
  }
  EXPECT_EQ(checked, 9 * 10 * 5);
}

TEST(CycleStates, FinalStatesAllowNothingAndOnlyOpenPairingsMayTalk) {
  for (const auto s : all_cycle_states) {
    if (is_final(s)) {
      for (const auto a : all_cycle_actions)
        for (const auto r : all_cycle_actors) EXPECT_FALSE(step(s, a, r).next) << name(s);
    }
    EXPECT_EQ(pairing_open(s), s == S::paired || s == S::active || s == S::review_due) << name(s);
    EXPECT_EQ(parse_cycle_state(name(s)), s);
  }
  EXPECT_FALSE(parse_cycle_state("cancelled"));
}

TEST(CycleStates, RolesMapToActorsAndAssociatesOnlyAskThroughTheCoordinator) {
  EXPECT_EQ(actor_of(role::headteacher), R::headteacher);
  EXPECT_EQ(actor_of(role::associate), R::associate);
  EXPECT_EQ(actor_of(role::coordinator), R::coordinator);
  EXPECT_EQ(actor_of(role::spoc), R::spoc);
  // An associate takes no transition alone: asking to end early is a request the coordinator confirms.
  for (const auto s : all_cycle_states)
    for (const auto a : all_cycle_actions) EXPECT_EQ(step(s, a, R::associate).refusal, cycle_refusal::forbidden);
}

}  // namespace
}  // namespace confidant::rules
