#include "server/rules/cycles.hpp"

#include <algorithm>
#include <initializer_list>

namespace confidant::rules {
namespace {

using S = cycle_state;
using A = cycle_action;
using R = cycle_actor;

struct rule {
  A action;
  std::initializer_list<R> actors;
  std::initializer_list<S> from;
  // nullopt: the state does not change (re-ranking preferences).
  std::optional<S> to;
};

// The whole machine, one line per action.
const rule rules_table[] = {
    {A::send_offers, {R::headteacher, R::coordinator}, {S::requested}, S::offered},
    {A::prefer, {R::headteacher}, {S::offered, S::preferred}, S::preferred},
    {A::pair, {R::coordinator}, {S::requested, S::offered, S::preferred}, S::paired},
    {A::decline, {R::coordinator}, {S::requested, S::offered, S::preferred}, S::closed},
    {A::withdraw, {R::headteacher}, {S::requested, S::offered, S::preferred}, S::closed},
    {A::first_meeting, {R::server}, {S::paired}, S::active},
    {A::reach_review, {R::server}, {S::active}, S::review_due},
    {A::extend, {R::coordinator}, {S::review_due}, S::extended},
    {A::close, {R::coordinator}, {S::active, S::review_due}, S::closed},
    {A::end_early, {R::coordinator}, {S::paired, S::active, S::review_due}, S::ended_early},
};

template <class T>
bool contains(std::initializer_list<T> list, T v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

}  // namespace

cycle_actor actor_of(role r) noexcept {
  switch (r) {
    case role::headteacher: return R::headteacher;
    case role::associate: return R::associate;
    case role::coordinator: return R::coordinator;
    case role::spoc: return R::spoc;
  }
  return R::spoc;
}

std::string_view name(cycle_state s) noexcept {
  switch (s) {
    case S::requested: return "requested";
    case S::offered: return "offered";
    case S::preferred: return "preferred";
    case S::paired: return "paired";
    case S::active: return "active";
    case S::review_due: return "review_due";
    case S::extended: return "extended";
    case S::closed: return "closed";
    case S::ended_early: return "ended_early";
  }
  return "requested";
}

std::string_view name(cycle_action a) noexcept {
  switch (a) {
    case A::send_offers: return "send_offers";
    case A::prefer: return "prefer";
    case A::pair: return "pair";
    case A::decline: return "decline";
    case A::withdraw: return "withdraw";
    case A::first_meeting: return "first_meeting";
    case A::reach_review: return "reach_review";
    case A::extend: return "extend";
    case A::close: return "close";
    case A::end_early: return "end_early";
  }
  return "send_offers";
}

std::optional<cycle_state> parse_cycle_state(std::string_view s) noexcept {
  for (auto st : all_cycle_states)
    if (name(st) == s) return st;
  return std::nullopt;
}

bool is_final(cycle_state s) noexcept { return s == S::extended || s == S::closed || s == S::ended_early; }
bool pairing_open(cycle_state s) noexcept { return s == S::paired || s == S::active || s == S::review_due; }

cycle_step step(cycle_state s, cycle_action action, cycle_actor actor) noexcept {
  for (const auto& r : rules_table) {
    if (r.action != action) continue;
    if (!contains(r.actors, actor)) return {std::nullopt, cycle_refusal::forbidden};
    if (!contains(r.from, s)) return {std::nullopt, cycle_refusal::wrong_state};
    return {r.to.value_or(s), std::nullopt};
  }
  return {std::nullopt, cycle_refusal::forbidden};
}

}  // namespace confidant::rules
