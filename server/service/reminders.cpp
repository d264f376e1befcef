#include "server/service/reminders.hpp"

#include "server/rules/calendar_queries.hpp"
#include "server/service/flag_events.hpp"
#include "server/service/handler_support.hpp"
#include "server/store/reminders.hpp"

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace confidant::service {

store::result<std::optional<rules::time_point>> schedule_reminders(store::database& db, const backend& b,
                                                                  const store::meeting_row& row, rules::time_point now) {
  std::vector<store::due_reminder> reminders;
  std::optional<rules::time_point> earliest;
  const auto& m = row.m;
  if (m.state == rules::meeting_state::accepted && m.when.start > now) {
    for (const auto user : {m.associate, m.counterpart}) {
      auto cal = contact_calendar(db, *b.calendars, user);
      if (!cal) return cal.error();
      const auto from = std::max(now, m.when.start - b.policy.meeting_reminder_lead);
      const auto at = rules::next_opening(*cal, from);
      if (!at || *at >= m.when.start) continue;  // no open time before it: no reminder
      reminders.push_back({m.id, user, at->time_since_epoch().count()});
      earliest = std::min(earliest.value_or(*at), *at);
    }
  }
  if (auto r = store::set_meeting_reminders(db, m.id, reminders); !r) return r.error();
  return earliest;
}

std::optional<rules::time_point> send_due_reminders(backend& b, rules::time_point now) {
  struct outcome {
    std::vector<std::pair<store::due_reminder, store::meeting_row>> due;
    std::optional<std::int64_t> next;
  };
  outcome result;  // run() returns after the commit: the job may fill a local
  const auto now_ms = now.time_since_epoch().count();
  // Reads and marks in one writer job: a reminder is marked sent only for users online now.
  const auto ec = b.db.write().run([&b, now_ms, &result](store::database& db) -> store::result<void> {
    auto due = store::due_reminders(db, now_ms);
    if (!due) return due.error();
    for (const auto& r : *due) {
      if (b.online.of_user(r.user).empty()) continue;
      auto row = store::find_meeting(db, r.meeting);
      if (!row) return row.error();
      if (!*row) continue;
      if (auto m = store::mark_reminder_sent(db, r.meeting, r.user, now_ms); !m) return m;
      result.due.emplace_back(r, std::move(**row));
    }
    auto next = store::next_reminder_after(db, now_ms);
    if (!next) return next.error();
    result.next = *next;
    return {};
  });
  if (ec) {
    spdlog::error("meeting reminders failed: {}", ec.message());
    return now + std::chrono::seconds{30};
  }
  for (const auto& [r, row] : result.due) {
    const auto& m = row.m;
    auto frame = std::make_shared<const std::string>(boost::json::serialize(boost::json::object{
        {"type", "meeting_reminder"},
        {"meeting", m.id},
        {"with", r.user == m.associate ? m.counterpart : m.associate},
        {"start", rules::format_utc(m.when.start)},
        {"end", rules::format_utc(m.when.end)},
        {"mode", rules::name(m.mode)},
        {"kind", rules::name(m.kind)}}));
    send_to_user(b, r.user, frame);
  }
  if (!result.next) return std::nullopt;
  return rules::time_point{std::chrono::milliseconds{*result.next}};
}

}  // namespace confidant::service
