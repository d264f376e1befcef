#pragma once

// Reminders before accepted meetings (schema 0008).

#include "server/store/database.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace confidant::store {

struct due_reminder {
  std::int64_t meeting = 0;
  std::int64_t user = 0;
  std::int64_t remind_at_ms = 0;
};

// Replaces the meeting's reminders (none: the meeting no longer needs them).
[[nodiscard]] result<void> set_meeting_reminders(database& db, std::int64_t meeting,
                                                 const std::vector<due_reminder>& reminders);
// Unsent reminders due at now_ms of accepted meetings that have not started, by time.
[[nodiscard]] result<std::vector<due_reminder>> due_reminders(database& db, std::int64_t now_ms);
[[nodiscard]] result<void> mark_reminder_sent(database& db, std::int64_t meeting, std::int64_t user,
                                              std::int64_t now_ms);
// Forgets reminders of meetings that have started; returns the next unsent instant after now_ms.
[[nodiscard]] result<std::optional<std::int64_t>> next_reminder_after(database& db, std::int64_t now_ms);

}  // namespace confidant::store
