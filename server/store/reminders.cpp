#include "server/store/reminders.hpp"

namespace confidant::store {

result<void> set_meeting_reminders(database& db, std::int64_t meeting, const std::vector<due_reminder>& reminders) {
  auto del = db.prepare("DELETE FROM meeting_reminders WHERE meeting = ?1;");
  if (!del) return del.error();
  del->bind(1, meeting);
  if (auto r = del->run(); !r) return r;
  auto ins = db.prepare("INSERT INTO meeting_reminders (meeting, user, remind_at) VALUES (?1, ?2, ?3);");
  if (!ins) return ins.error();
  for (const auto& r : reminders) {
    ins->reset();
    ins->bind(1, meeting).bind(2, r.user).bind(3, r.remind_at_ms);
    if (auto done = ins->run(); !done) return done;
  }
  return {};
}

result<std::vector<due_reminder>> due_reminders(database& db, std::int64_t now_ms) {
  auto s = db.prepare(
      "SELECT r.meeting, r.user, r.remind_at FROM meeting_reminders r JOIN meetings m ON m.id = r.meeting"
      " WHERE r.sent_at IS NULL AND r.remind_at <= ?1 AND m.state = 'accepted' AND m.starts_at > ?1"
      " ORDER BY r.remind_at, r.meeting, r.user;");
  if (!s) return s.error();
  s->bind(1, now_ms);
  return all_rows<due_reminder>(*s, [](const statement& r) {
    return due_reminder{r.column_int64(0), r.column_int64(1), r.column_int64(2)};
  });
}

result<void> mark_reminder_sent(database& db, std::int64_t meeting, std::int64_t user, std::int64_t now_ms) {
  auto s = db.prepare("UPDATE meeting_reminders SET sent_at = ?3 WHERE meeting = ?1 AND user = ?2;");
  if (!s) return s.error();
  s->bind(1, meeting).bind(2, user).bind(3, now_ms);
  return s->run();
}

result<std::optional<std::int64_t>> next_reminder_after(database& db, std::int64_t now_ms) {
  auto del = db.prepare(
      "DELETE FROM meeting_reminders WHERE meeting IN (SELECT r.meeting FROM meeting_reminders r"
      " JOIN meetings m ON m.id = r.meeting WHERE m.starts_at <= ?1);");  // a walk of the few reminders
  if (!del) return del.error();
  del->bind(1, now_ms);
  if (auto r = del->run(); !r) return r.error();
  auto s = db.prepare("SELECT min(remind_at) FROM meeting_reminders WHERE sent_at IS NULL AND remind_at > ?1;");
  if (!s) return s.error();
  s->bind(1, now_ms);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row || s->column_is_null(0)) return std::optional<std::int64_t>{};
  return std::optional{s->column_int64(0)};
}

}  // namespace confidant::store
