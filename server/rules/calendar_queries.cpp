#include "server/rules/calendar_queries.hpp"

#include <algorithm>

namespace confidant::rules {
namespace {

constexpr int max_scan_days = 3660;  // ten years: the bound of add_working_time

civil_date day_of(const calendar& cal, time_point t) { return to_civil(cal.zone(), t).day; }

}  // namespace

bool is_open(const calendar& cal, time_point t) {
  const civil_date d = day_of(cal, t);
  return cal.is_open_day(d) && cal.window_on(d).contains(t);
}

query_result<time_point> next_opening(const calendar& cal, time_point t, int max_days) {
  const civil_date first = day_of(cal, t);
  for (int i = 0; i <= max_days; ++i) {
    const civil_date d = first + date::days{i};
    if (!cal.is_open_day(d)) continue;
    const interval w = cal.window_on(d);
    if (w.end > t && w.start < w.end) return std::max(w.start, t);
  }
  return make_error_code(calendar_errc::no_opening);
}

query_result<std::vector<interval>> windows_between(const calendar& cal, time_point from, time_point to) {
  if (to < from) return make_error_code(calendar_errc::bad_range);
  const civil_date first = day_of(cal, from);
  const civil_date last = day_of(cal, to);
  if (last - first > date::days{max_range_days}) return make_error_code(calendar_errc::bad_range);
  std::vector<interval> out;
  for (civil_date d = first; d <= last; d += date::days{1}) {
    if (!cal.is_open_day(d)) continue;
    const interval w = cal.window_on(d);
    const interval clipped{std::max(w.start, from), std::min(w.end, to)};
    if (clipped.start < clipped.end) out.push_back(clipped);
  }
  return out;
}

query_result<time_point> add_working_time(const calendar& cal, time_point t, std::chrono::milliseconds amount,
                                          int max_days) {
  if (amount < std::chrono::milliseconds{0}) return make_error_code(calendar_errc::bad_duration);
  if (amount == std::chrono::milliseconds{0}) return t;
  const civil_date first = day_of(cal, t);
  int idle = 0;
  for (int i = 0; i <= max_scan_days; ++i) {
    const civil_date d = first + date::days{i};
    if (!cal.is_open_day(d)) {
      if (++idle > max_days) return make_error_code(calendar_errc::no_opening);
      continue;
    }
    const interval w = cal.window_on(d);
    if (w.end <= t) continue;
    const time_point from = std::max(w.start, t);
    const auto available = w.end - from;
    if (amount <= available) return from + amount;
    amount -= available;
    idle = 0;
  }
  return make_error_code(calendar_errc::bad_duration);
}

}  // namespace confidant::rules
