#include "server/store/feedback.hpp"

namespace confidant::store {
namespace {

body_bytes blob_at(const statement& s, int col) {
  const auto b = s.column_blob(col);
  return body_bytes(b.begin(), b.end());
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    out.emplace_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) {
    if (!out.empty()) out += '\n';
    out += l;
  }
  return out;
}

note_row read_note(const statement& s) {
  return {s.column_int64(0), s.column_int64(1), s.column_int64(2), blob_at(s, 3), s.column_int64(4), s.column_int64(5)};
}

constexpr std::string_view note_columns =
    "SELECT meeting, associate, headteacher, body, written_at, updated_at FROM meeting_notes";

}  // namespace

result<std::optional<feedback_row>> find_feedback(database& db, std::int64_t cycle) {
  auto s = db.prepare("SELECT cycle, asked_by, asked_at, questions, submitted_at FROM feedback_requests WHERE cycle = ?1;");
  if (!s) return s.error();
  s->bind(1, cycle);
  return one_row<feedback_row>(*s, [](const statement& st) {
    feedback_row f{st.column_int64(0), st.column_int64(1), st.column_int64(2), split_lines(st.column_text(3)), std::nullopt};
    if (!st.column_is_null(4)) f.submitted_at_ms = st.column_int64(4);
    return f;
  });
}

result<void> insert_feedback(database& db, const feedback_row& row) {
  auto s = db.prepare("INSERT INTO feedback_requests (cycle, asked_by, asked_at, questions) VALUES (?1, ?2, ?3, ?4);");
  if (!s) return s.error();
  s->bind(1, row.cycle).bind(2, row.asked_by).bind(3, row.asked_at_ms).bind(4, join_lines(row.questions));
  return s->run();
}

result<void> mark_submitted(database& db, std::int64_t cycle, std::int64_t now_ms) {
  auto s = db.prepare("UPDATE feedback_requests SET submitted_at = ?2 WHERE cycle = ?1;");
  if (!s) return s.error();
  s->bind(1, cycle).bind(2, now_ms);
  return s->run();
}

result<void> put_answer(database& db, std::int64_t cycle, std::int64_t item, std::int64_t user,
                        std::span<const unsigned char> body) {
  auto s = db.prepare("INSERT INTO feedback_answers (cycle, item, user, body) VALUES (?1, ?2, ?3, ?4);");
  if (!s) return s.error();
  s->bind(1, cycle).bind(2, item).bind(3, user).bind(4, body);
  return s->run();
}

result<std::vector<feedback_body>> answers_for(database& db, std::int64_t cycle, std::int64_t user) {
  auto s = db.prepare("SELECT item, body FROM feedback_answers WHERE cycle = ?1 AND user = ?2 ORDER BY item;");
  if (!s) return s.error();
  s->bind(1, cycle).bind(2, user);
  return all_rows<feedback_body>(*s, [](const statement& st) { return feedback_body{st.column_int64(0), blob_at(st, 1), 0}; });
}

result<std::vector<std::int64_t>> answered_items(database& db, std::int64_t cycle) {
  auto s = db.prepare("SELECT DISTINCT item FROM feedback_answers WHERE cycle = ?1 ORDER BY item;");
  if (!s) return s.error();
  s->bind(1, cycle);
  return all_rows<std::int64_t>(*s, [](const statement& st) { return st.column_int64(0); });
}

result<void> put_release(database& db, std::int64_t cycle, std::int64_t item, std::span<const unsigned char> body,
                         std::int64_t now_ms) {
  auto s = db.prepare(
      "INSERT INTO feedback_releases (cycle, item, body, released_at) VALUES (?1, ?2, ?3, ?4)"
      " ON CONFLICT (cycle, item) DO UPDATE SET body = excluded.body, released_at = excluded.released_at;");
  if (!s) return s.error();
  s->bind(1, cycle).bind(2, item).bind(3, body).bind(4, now_ms);
  return s->run();
}

result<std::vector<feedback_body>> releases(database& db, std::int64_t cycle) {
  auto s = db.prepare("SELECT item, body, released_at FROM feedback_releases WHERE cycle = ?1 ORDER BY item;");
  if (!s) return s.error();
  s->bind(1, cycle);
  return all_rows<feedback_body>(
      *s, [](const statement& st) { return feedback_body{st.column_int64(0), blob_at(st, 1), st.column_int64(2)}; });
}

result<std::optional<note_row>> find_note(database& db, std::int64_t meeting) {
  auto s = db.prepare(std::string{note_columns} + " WHERE meeting = ?1;");
  if (!s) return s.error();
  s->bind(1, meeting);
  return one_row<note_row>(*s, read_note);
}

result<void> put_note(database& db, const note_row& n) {
  auto s = db.prepare(
      "INSERT INTO meeting_notes (meeting, associate, headteacher, body, written_at, updated_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
      " ON CONFLICT (meeting) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at;");
  if (!s) return s.error();
  s->bind(1, n.meeting).bind(2, n.associate).bind(3, n.headteacher).bind(4, n.body).bind(5, n.written_at_ms);
  s->bind(6, n.updated_at_ms);
  return s->run();
}

result<std::vector<note_row>> list_notes(database& db, note_scope scope, std::int64_t user, std::int64_t meeting) {
  const std::string who = scope == note_scope::by_associate ? "associate" : "headteacher";
  auto s = db.prepare(std::string{note_columns} + " WHERE " + who + " = ?1 AND (?2 = 0 OR meeting = ?2) ORDER BY meeting;");
  if (!s) return s.error();
  s->bind(1, user).bind(2, meeting);
  return all_rows<note_row>(*s, read_note);
}

}  // namespace confidant::store
