#pragma once

// The two calendars the server runs on (DESIGN.md 2), built from the calendar files stored in
// the database (or the embedded demo files) and the tenant's policy.

#include "server/rules/calendar.hpp"
#include "server/rules/policy.hpp"
#include "server/store/calendar_files.hpp"
#include "server/store/database.hpp"

#include <boost/system/result.hpp>

#include <memory>
#include <string>
#include <vector>

namespace confidant::service {

struct calendars {
  rules::calendar school_contact;  // term time, bank holidays, policy hours: messages, meetings
  rules::calendar la_working;      // working days and hours: SPOC deadlines
};

// Builds both calendars; the error is a sentence naming the file and line at fault.
[[nodiscard]] boost::system::result<std::shared_ptr<const calendars>, std::string> build_calendars(
    const std::vector<store::calendar_file>& files, const rules::policy& policy);

// Checks one calendar file's text and says what it is: kind "bank_holidays" (JSON) or
// "term_dates" (TOML), and its name ("bank-holidays" or the academic year).
[[nodiscard]] boost::system::result<store::calendar_file, std::string> classify_calendar_file(std::string_view text);

// One user's contact calendar: the school contact calendar narrowed by the user's personal window
// (DESIGN.md 2). A stored window that the current policy no longer contains is ignored: policy
// wins, and the user sees the policy's window in `windows`.
[[nodiscard]] store::result<rules::calendar> contact_calendar(store::database& db, const calendars& cals,
                                                              std::int64_t user);

// The demo calendar files compiled into confidantd (deploy/calendars/).
[[nodiscard]] std::vector<store::calendar_file> demo_calendar_files();

}  // namespace confidant::service
