#include "server/rules/flags.hpp"

#include "server/rules/calendar_queries.hpp"

#include <algorithm>

namespace confidant::rules {
namespace {

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& names, std::string_view s) noexcept {
  return std::ranges::find(names, s) != names.end();
}

}  // namespace

bool is_flag_category(std::string_view s) noexcept { return one_of(flag_categories, s); }
bool is_flag_urgency(std::string_view s) noexcept { return one_of(flag_urgencies, s); }
bool is_flag_outcome(std::string_view s) noexcept { return one_of(flag_outcomes, s); }

std::string_view name(flag_state s) noexcept {
  switch (s) {
    case flag_state::received: return "received";
    case flag_state::acknowledged: return "acknowledged";
    case flag_state::resolved: return "resolved";
  }
  return "received";
}

std::optional<flag_state> parse_flag_state(std::string_view s) noexcept {
  for (auto st : {flag_state::received, flag_state::acknowledged, flag_state::resolved})
    if (name(st) == s) return st;
  return std::nullopt;
}

std::optional<flag_state> after(flag_state s, flag_action action) noexcept {
  switch (action) {
    case flag_action::acknowledge:
      if (s == flag_state::received) return flag_state::acknowledged;
      return std::nullopt;
    case flag_action::resolve:
      if (s == flag_state::acknowledged) return flag_state::resolved;
      return std::nullopt;
    case flag_action::add_note:
      if (s != flag_state::resolved) return s;
      return std::nullopt;
    case flag_action::set_hold:
      return s;
  }
  return std::nullopt;
}

query_result<time_point> flag_deadline(const calendar& la_working, time_point raised, std::chrono::minutes within) {
  return add_working_time(la_working, raised, within);
}

query_result<time_point> next_escalation(const calendar& la_working, time_point last_run,
                                         std::chrono::minutes interval) {
  return add_working_time(la_working, last_run, std::max(interval, std::chrono::minutes{1}));
}

}  // namespace confidant::rules
