#include "server/service/calendars.hpp"

#include "server/store/personal_windows.hpp"

#include "server/rules/bank_holidays.hpp"
#include "server/rules/term_dates.hpp"
#include "server/rules/window_hours.hpp"

#include <span>
#include <string_view>
#include <utility>

namespace confidant::service {
namespace detail {
std::span<const std::pair<std::string_view, std::string_view>> embedded_files();
}

namespace {
// calendar_file can be built from a string (aggregate), so an error is named explicitly.
boost::system::result<store::calendar_file, std::string> refuse(std::string why) {
  return {boost::system::in_place_error, std::move(why)};
}
}  // namespace

boost::system::result<store::calendar_file, std::string> classify_calendar_file(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') {
    auto holidays = rules::parse_bank_holidays(text);
    if (!holidays) return refuse("bank holidays: " + holidays.error().to_string());
    return store::calendar_file{"bank_holidays", "bank-holidays", std::string{text}, 0};
  }
  auto year = rules::parse_term_dates(text);
  if (!year) return refuse("term dates: " + year.error().to_string());
  return store::calendar_file{"term_dates", year->name, std::string{text}, 0};
}

boost::system::result<std::shared_ptr<const calendars>, std::string> build_calendars(
    const std::vector<store::calendar_file>& files, const rules::policy& policy) {
  std::vector<rules::academic_year> years;
  std::optional<rules::bank_holidays> holidays;
  for (const auto& f : files) {
    if (f.kind == "bank_holidays") {
      auto h = rules::parse_bank_holidays(f.content);
      if (!h) return "stored bank holidays: " + h.error().to_string();
      holidays = std::move(*h);
    } else {
      auto y = rules::parse_term_dates(f.content);
      if (!y) return "stored term dates " + f.name + ": " + y.error().to_string();
      years.push_back(std::move(*y));
    }
  }
  if (!holidays) return std::string{"no bank holidays are loaded: `confidantd calendar load bank-holidays.json`"};
  if (years.empty()) return std::string{"no term dates are loaded: `confidantd calendar load terms-YYYY-YY.toml`"};
  auto hours = rules::contact_hours(policy);
  if (!hours) return "policy hours: " + hours.error().message();
  auto school = rules::calendar::school_contact(std::move(years), *holidays, *hours);
  if (!school) return "term dates: " + school.error().message();
  auto working = rules::calendar::la_working(*holidays, *hours);
  if (!working) return "working days: " + working.error().message();
  return std::make_shared<const calendars>(calendars{std::move(*school), std::move(*working)});
}

std::vector<store::calendar_file> demo_calendar_files() {
  std::vector<store::calendar_file> out;
  for (const auto& [name, text] : detail::embedded_files()) {
    auto f = classify_calendar_file(text);
    if (f) out.push_back(std::move(*f));
  }
  return out;
}

store::result<rules::calendar> contact_calendar(store::database& db, const calendars& cals, std::int64_t user) {
  auto w = store::find_personal_window(db, user);
  if (!w) return w.error();
  if (*w)
    if (auto narrowed = cals.school_contact.narrowed(**w)) return *narrowed;
  return cals.school_contact;
}

}  // namespace confidant::service
