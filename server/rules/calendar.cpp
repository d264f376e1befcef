#include "server/rules/calendar.hpp"

#include <algorithm>

namespace confidant::rules {

query_result<calendar> calendar::school_contact(std::vector<academic_year> years, bank_holidays holidays,
                                                window_hours hours, const date::time_zone& zone) {
  auto h = checked(hours);
  if (!h) return h.error();
  auto sorted = sorted_years(std::move(years));
  if (!sorted) return sorted.error();
  auto data = std::make_shared<day_data>(day_data{std::move(*sorted), std::move(holidays)});
  return calendar{std::move(data), *h, zone};
}

query_result<calendar> calendar::la_working(bank_holidays holidays, window_hours hours, const date::time_zone& zone) {
  auto h = checked(hours);
  if (!h) return h.error();
  auto data = std::make_shared<day_data>(day_data{std::nullopt, std::move(holidays)});
  return calendar{std::move(data), *h, zone};
}

query_result<calendar> calendar::narrowed(const personal_window& w) const {
  auto h = narrow(hours_, w);
  if (!h) return h.error();
  return calendar{days_, *h, *zone_};
}

bool calendar::is_open_day(civil_date d) const {
  if (!hours_.days.contains(iso_weekday(d))) return false;
  if (days_->holidays.contains(d)) return false;
  if (!days_->years) return true;
  const auto& years = *days_->years;
  return std::any_of(years.begin(), years.end(), [&](const academic_year& y) { return y.is_term_day(d); });
}

std::optional<term_ref> calendar::term_on(civil_date d) const {
  if (!days_->years) return std::nullopt;
  for (const auto& y : *days_->years) {
    if (!y.dates.contains(d)) continue;
    if (const term* t = y.term_on(d)) return term_ref{y.name, t->name, t->dates};
  }
  return std::nullopt;
}

interval calendar::window_on(civil_date d) const {
  return {from_civil(*zone_, d, hours_.start), from_civil(*zone_, d, hours_.end)};
}

}  // namespace confidant::rules
