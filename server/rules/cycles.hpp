#pragma once

// The support cycle's state machine (DESIGN.md 2, issue 6): a headteacher's request becomes a
// pairing with an associate, runs its meetings, reaches review, and is extended into a new cycle
// or closed; either side can end it early. Pure: the service stores states and asks `step`.
//
//   requested -> offered -> preferred -> paired -> active -> review_due -> extended | closed
//   (paired | active | review_due) -> ended_early
//
// `extended` closes this cycle's record; the extension is a new cycle that starts `active`.

#include "server/rules/roles.hpp"

#include <array>
#include <optional>
#include <string_view>

namespace confidant::rules {

enum class cycle_state { requested, offered, preferred, paired, active, review_due, extended, closed, ended_early };
inline constexpr std::array all_cycle_states{cycle_state::requested,  cycle_state::offered,    cycle_state::preferred,
                                             cycle_state::paired,     cycle_state::active,     cycle_state::review_due,
                                             cycle_state::extended,   cycle_state::closed,     cycle_state::ended_early};

enum class cycle_action {
  send_offers,    // profiles offered to the headteacher
  prefer,         // the headteacher ranks up to three associates (again: re-ranks)
  pair,           // the coordinator arranges the pairing
  decline,        // the coordinator declines the request, with a reason
  withdraw,       // the headteacher withdraws the request
  first_meeting,  // the first meeting of the pairing took place (server)
  reach_review,   // the cap or the end date was reached (server)
  extend,         // the coordinator extends into a new cycle
  close,          // the coordinator closes the cycle
  end_early,      // the coordinator confirms an early end asked for by either side (or decides it)
};
inline constexpr std::array all_cycle_actions{cycle_action::send_offers, cycle_action::prefer,       cycle_action::pair,
                                              cycle_action::decline,     cycle_action::withdraw,     cycle_action::first_meeting,
                                              cycle_action::reach_review, cycle_action::extend,      cycle_action::close,
                                              cycle_action::end_early};

// Who acts: a programme role, or the server itself (for what follows from meetings and dates).
enum class cycle_actor { headteacher, associate, coordinator, spoc, server };
inline constexpr std::array all_cycle_actors{cycle_actor::headteacher, cycle_actor::associate, cycle_actor::coordinator,
                                             cycle_actor::spoc, cycle_actor::server};
[[nodiscard]] cycle_actor actor_of(role r) noexcept;

[[nodiscard]] std::string_view name(cycle_state s) noexcept;
[[nodiscard]] std::string_view name(cycle_action a) noexcept;
[[nodiscard]] std::optional<cycle_state> parse_cycle_state(std::string_view s) noexcept;
// extended, closed and ended_early: nothing more happens to this cycle's record.
[[nodiscard]] bool is_final(cycle_state s) noexcept;
// The pair may write to each other and meet: paired, active, review_due.
[[nodiscard]] bool pairing_open(cycle_state s) noexcept;

enum class cycle_refusal {
  forbidden,    // this actor may never take this action
  wrong_state,  // this actor may, but not in this state
};

struct cycle_step {
  std::optional<cycle_state> next;  // set when allowed
  std::optional<cycle_refusal> refusal;
};

// The transition for `action` by `actor` in state `s`. A forbidden actor is refused as such in
// every state, so an answer never reveals a cycle's state to someone who may not act on it.
[[nodiscard]] cycle_step step(cycle_state s, cycle_action action, cycle_actor actor) noexcept;

}  // namespace confidant::rules
