#include "server/rules/civil_time.hpp"

#include <cstdio>

namespace confidant::rules {

const date::time_zone& london() {
  static const date::time_zone* zone = date::locate_zone("Europe/London");
  return *zone;
}

civil_time to_civil(const date::time_zone& zone, time_point t) {
  const auto local = zone.to_local(t);
  const auto day = date::floor<date::days>(local);
  return {day, local - day};
}

time_point from_civil(const date::time_zone& zone, civil_date day, std::chrono::minutes since_midnight) {
  const date::local_time<std::chrono::minutes> local = day + since_midnight;
  return std::chrono::time_point_cast<std::chrono::milliseconds>(zone.to_sys(local, date::choose::earliest));
}

std::optional<civil_date> parse_civil_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t from, std::size_t count) -> std::optional<int> {
    int v = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const auto y = digits(0, 4);
  const auto m = digits(5, 2);
  const auto d = digits(8, 2);
  if (!y || !m || !d) return std::nullopt;
  const date::year_month_day ymd{date::year{*y}, date::month{static_cast<unsigned>(*m)},
                                 date::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return civil_date{ymd};
}

std::string format_civil_date(civil_date d) {
  const date::year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

}  // namespace confidant::rules
