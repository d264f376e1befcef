#pragma once

// Reminders before accepted meetings (issue 5): one per participant, due at the first instant of
// that participant's contact window at or after (start - policy.meeting_reminder_lead), so a
// reminder never arrives outside the window. Sent as a `meeting_reminder` event (protocol 7.16).

#include "server/service/backend.hpp"
#include "server/store/meetings.hpp"

#include <optional>

namespace confidant::service {

// Inside the writer job of a meeting change: replaces the meeting's reminders with what it needs
// now (none unless accepted and in the future). Returns the earliest new reminder instant.
[[nodiscard]] store::result<std::optional<rules::time_point>> schedule_reminders(store::database& db, const backend& b,
                                                                                const store::meeting_row& row,
                                                                                rules::time_point now);

// The scheduler's job: sends the due reminders to participants who are online (the others get
// theirs at a later run, while the meeting is still ahead); returns the next reminder instant.
[[nodiscard]] std::optional<rules::time_point> send_due_reminders(backend& b, rules::time_point now);

}  // namespace confidant::service
