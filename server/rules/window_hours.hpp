#pragma once

#include "server/rules/calendar_error.hpp"
#include "server/rules/policy.hpp"

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>

namespace confidant::rules {

// A set of ISO weekdays (Monday = 1 ... Sunday = 7).
class weekday_set {
 public:
  constexpr weekday_set() = default;
  constexpr weekday_set(std::initializer_list<unsigned> iso_days) {
    for (unsigned d : iso_days) add(d);
  }
  [[nodiscard]] static constexpr weekday_set monday_to_friday() { return {1, 2, 3, 4, 5}; }
  [[nodiscard]] static constexpr weekday_set every_day() { return {1, 2, 3, 4, 5, 6, 7}; }

  constexpr void add(unsigned iso_day) {
    if (iso_day >= 1 && iso_day <= 7) bits_ = static_cast<std::uint8_t>(bits_ | (1u << (iso_day - 1)));
  }
  [[nodiscard]] constexpr bool contains(unsigned iso_day) const {
    return iso_day >= 1 && iso_day <= 7 && (bits_ & (1u << (iso_day - 1))) != 0;
  }
  [[nodiscard]] constexpr bool empty() const { return bits_ == 0; }
  [[nodiscard]] constexpr bool subset_of(weekday_set other) const { return (bits_ & ~other.bits_) == 0; }
  friend constexpr bool operator==(weekday_set, weekday_set) = default;

 private:
  std::uint8_t bits_ = 0;
};

// When a calendar is open on its open days: the weekdays, and [start, end) in local minutes
// since midnight (end at most 24:00).
struct window_hours {
  weekday_set days = weekday_set::monday_to_friday();
  std::chrono::minutes start{8 * 60};
  std::chrono::minutes end{18 * 60};
  friend bool operator==(const window_hours&, const window_hours&) = default;
};

// A user's own narrowing of the contact window. Unset hours mean "as policy".
struct personal_window {
  weekday_set days = weekday_set::monday_to_friday();
  std::optional<std::chrono::minutes> start{};
  std::optional<std::chrono::minutes> end{};
};

// Checks start < end inside 00:00-24:00 and a non-empty weekday set (bad_hours otherwise).
[[nodiscard]] query_result<window_hours> checked(window_hours h);

// Policy's contact hours (DESIGN.md 2: Monday to Friday, contact_start-contact_end local).
[[nodiscard]] query_result<window_hours> contact_hours(const policy& p);

// A personal window inside `allowed`. Narrowing never widens: a window reaching outside
// `allowed` (an earlier start, a later end, or an extra weekday) is refused with
// outside_policy rather than silently clamped, so a user sees why their setting did not apply.
[[nodiscard]] query_result<window_hours> narrow(const window_hours& allowed, const personal_window& w);

}  // namespace confidant::rules
