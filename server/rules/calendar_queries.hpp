#pragma once

#include "server/rules/calendar.hpp"

#include <chrono>
#include <vector>

namespace confidant::rules {

// How far ahead a search looks for an open window (covers a summer holiday and more).
inline constexpr int default_search_days = 400;
// The longest range windows_between() lists.
inline constexpr int max_range_days = 800;

// Whether instant t is inside an open window of cal.
[[nodiscard]] bool is_open(const calendar& cal, time_point t);

// The first instant at or after t inside an open window: t itself when open, else the start
// of the next window. no_opening when no window opens within max_days civil days.
[[nodiscard]] query_result<time_point> next_opening(const calendar& cal, time_point t,
                                                   int max_days = default_search_days);

// The open windows intersected with [from, to), in order. bad_range if to < from or the range
// spans more than max_range_days.
[[nodiscard]] query_result<std::vector<interval>> windows_between(const calendar& cal, time_point from,
                                                                  time_point to);

// The earliest instant s >= t such that [t, s) holds `amount` of open time: working-time
// arithmetic for deadlines ("2 working hours after Friday 17:30" is Monday 09:30 on an
// 08:00-18:00 working day). amount 0 gives t. bad_duration for a negative amount or one that
// would need more than ten years; no_opening if the calendar stays shut for max_days days.
[[nodiscard]] query_result<time_point> add_working_time(const calendar& cal, time_point t,
                                                        std::chrono::milliseconds amount,
                                                        int max_days = default_search_days);

}  // namespace confidant::rules
