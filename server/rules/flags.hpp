#pragma once

// Safeguarding flags (DESIGN.md 2, docs/protocol.md 7.23): the vocabularies, who may raise and
// handle them, the state machine, and the deadline arithmetic on the LA working-day calendar.

#include "server/rules/calendar.hpp"
#include "server/rules/roles.hpp"

#include <array>
#include <chrono>
#include <optional>
#include <string_view>

namespace confidant::rules {

inline constexpr std::array<std::string_view, 5> flag_categories{
    "child_protection", "staff_allegation", "whistleblowing", "leader_wellbeing", "other"};
inline constexpr std::array<std::string_view, 3> flag_urgencies{"immediate", "urgent", "standard"};
inline constexpr std::array<std::string_view, 7> flag_outcomes{
    "referred_to_childrens_social_care", "referred_to_police", "referred_to_lado", "wellbeing_support_arranged",
    "advice_given", "no_further_action", "other"};

[[nodiscard]] bool is_flag_category(std::string_view s) noexcept;
[[nodiscard]] bool is_flag_urgency(std::string_view s) noexcept;
[[nodiscard]] bool is_flag_outcome(std::string_view s) noexcept;

// Everyone in the programme may raise a flag except the SPOCs who receive them; only SPOCs
// handle them.
[[nodiscard]] constexpr bool may_raise_flag(role r) noexcept { return r != role::spoc; }
[[nodiscard]] constexpr bool may_handle_flag(role r) noexcept { return r == role::spoc; }

enum class flag_state { received, acknowledged, resolved };
enum class flag_action { acknowledge, add_note, resolve, set_hold };

[[nodiscard]] std::string_view name(flag_state s) noexcept;
[[nodiscard]] std::optional<flag_state> parse_flag_state(std::string_view s) noexcept;

// The state after `action`, or nullopt when the state does not allow it (wrong_state):
// acknowledge only a received flag, resolve only an acknowledged one, add notes until resolved,
// set the legal hold at any time.
[[nodiscard]] std::optional<flag_state> after(flag_state s, flag_action action) noexcept;

// When a flag raised at `raised` must be acknowledged: `within` of open time on the LA
// working-day calendar. The first escalation is due then; each later one `interval` of open
// time after the previous run.
[[nodiscard]] query_result<time_point> flag_deadline(const calendar& la_working, time_point raised,
                                                     std::chrono::minutes within);
[[nodiscard]] query_result<time_point> next_escalation(const calendar& la_working, time_point last_run,
                                                       std::chrono::minutes interval);

}  // namespace confidant::rules
