#pragma once

#include "server/rules/academic_year.hpp"
#include "server/rules/bank_holidays.hpp"
#include "server/rules/calendar_error.hpp"
#include "server/rules/civil_time.hpp"
#include "server/rules/window_hours.hpp"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace confidant::rules {

// A half-open interval of instants [start, end).
struct interval {
  time_point start;
  time_point end;
  [[nodiscard]] bool contains(time_point t) const { return start <= t && t < end; }
  friend bool operator==(const interval&, const interval&) = default;
};

// The term a civil date falls in (in a half term too: the half term belongs to its term).
struct term_ref {
  std::string year;  // the academic year's name, e.g. "2026-27"
  std::string term;  // the term's name, e.g. "Autumn"
  date_range dates;
  friend bool operator==(const term_ref&, const term_ref&) = default;
};

// Which civil days are open, and the local hours they are open, in a time zone (DESIGN.md 2).
//
// - The school contact calendar: term days of the loaded academic years (terms minus half
//   terms minus closures) that are on the window's weekdays and are not bank holidays. Days
//   outside every loaded academic year are closed.
// - The LA working-day calendar: the window's weekdays minus bank holidays; term time ignored.
//
// Immutable and cheap to copy: the day data is shared between a calendar and its narrowed
// per-user copies.
class calendar {
 public:
  [[nodiscard]] static query_result<calendar> school_contact(std::vector<academic_year> years,
                                                             bank_holidays holidays, window_hours hours,
                                                             const date::time_zone& zone = london());
  [[nodiscard]] static query_result<calendar> la_working(bank_holidays holidays, window_hours hours = {},
                                                         const date::time_zone& zone = london());

  // The same days with a user's narrower hours and weekdays; outside_policy if w is wider.
  [[nodiscard]] query_result<calendar> narrowed(const personal_window& w) const;

  [[nodiscard]] bool is_open_day(civil_date d) const;
  // The term of a loaded academic year that holds d; nullopt outside every term and for a
  // calendar that ignores term time.
  [[nodiscard]] std::optional<term_ref> term_on(civil_date d) const;
  // The window of day d as instants, whether or not d is open (DST-correct).
  [[nodiscard]] interval window_on(civil_date d) const;

  [[nodiscard]] const window_hours& hours() const { return hours_; }
  [[nodiscard]] const date::time_zone& zone() const { return *zone_; }
  [[nodiscard]] bool uses_term_time() const { return days_->years.has_value(); }
  [[nodiscard]] const bank_holidays& holidays() const { return days_->holidays; }
  // The loaded academic years in date order (empty when term time is ignored).
  [[nodiscard]] std::span<const academic_year> years() const {
    return days_->years ? std::span<const academic_year>{*days_->years} : std::span<const academic_year>{};
  }

 private:
  struct day_data {
    std::optional<std::vector<academic_year>> years;  // nullopt: term time ignored
    bank_holidays holidays;
  };
  calendar(std::shared_ptr<const day_data> days, window_hours hours, const date::time_zone& zone)
      : days_(std::move(days)), hours_(hours), zone_(&zone) {}

  std::shared_ptr<const day_data> days_;
  window_hours hours_;
  const date::time_zone* zone_;
};

}  // namespace confidant::rules
