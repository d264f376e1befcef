#include "server/rules/window_hours.hpp"

namespace confidant::rules {

using namespace std::chrono_literals;

query_result<window_hours> checked(window_hours h) {
  if (h.days.empty() || h.start < 0min || h.end > 24h || h.start >= h.end) {
    return make_error_code(calendar_errc::bad_hours);
  }
  return h;
}

query_result<window_hours> contact_hours(const policy& p) {
  return checked(window_hours{weekday_set::monday_to_friday(), p.contact_start, p.contact_end});
}

query_result<window_hours> narrow(const window_hours& allowed, const personal_window& w) {
  window_hours out{w.days, w.start.value_or(allowed.start), w.end.value_or(allowed.end)};
  auto ok = checked(out);
  if (!ok) return ok;
  if (!out.days.subset_of(allowed.days) || out.start < allowed.start || out.end > allowed.end) {
    return make_error_code(calendar_errc::outside_policy);
  }
  return out;
}

}  // namespace confidant::rules
