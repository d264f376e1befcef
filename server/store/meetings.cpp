#include "server/store/meetings.hpp"

namespace confidant::store {
namespace {

constexpr std::string_view columns =
    "id, coalesce(pairing, 0), associate, counterpart, proposer, starts_at, ends_at, mode, kind, state,"
    " coalesce(cancel_reason, ''), changed_by, sequence, created_at, updated_at, coalesce(cycle, 0)";

rules::time_point at(std::int64_t ms) { return rules::time_point{std::chrono::milliseconds{ms}}; }
std::int64_t ms(rules::time_point t) { return t.time_since_epoch().count(); }

result<meeting_row> read_row(const statement& s) {
  const auto mode = rules::parse_meeting_mode(s.column_text(7));
  const auto kind = rules::parse_meeting_kind(s.column_text(8));
  const auto state = rules::parse_meeting_state(s.column_text(9));
  if (!mode || !kind || !state) return errc::corrupt;
  meeting_row r;
  r.m = {.id = s.column_int64(0), .pairing = s.column_int64(1), .associate = s.column_int64(2),
         .counterpart = s.column_int64(3), .when = {at(s.column_int64(5)), at(s.column_int64(6))}, .mode = *mode,
         .kind = *kind, .state = *state};
  r.proposer = s.column_int64(4);
  r.cancel_reason = std::string{s.column_text(10)};
  r.changed_by = s.column_int64(11);
  r.sequence = s.column_int64(12);
  r.created_at_ms = s.column_int64(13);
  r.updated_at_ms = s.column_int64(14);
  r.cycle = s.column_int64(15);
  return r;
}

result<std::vector<meeting_row>> read_rows(statement& s, std::size_t limit) {
  std::vector<meeting_row> out;
  while (out.size() < limit) {
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) break;
    auto r = read_row(s);
    if (!r) return r.error();
    out.push_back(std::move(*r));
  }
  return out;
}

}  // namespace

result<std::int64_t> insert_meeting(database& db, const meeting_row& row) {
  auto s = db.prepare(
      "INSERT INTO meetings (pairing, associate, counterpart, proposer, starts_at, ends_at, mode, kind, state,"
      " cancel_reason, changed_by, sequence, created_at, updated_at, cycle)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) RETURNING id;");
  if (!s) return s.error();
  const auto& m = row.m;
  if ((m.pairing != 0) != (row.cycle != 0)) return errc::misuse;  // both, or neither (supervision)
  if (m.pairing != 0) {
    s->bind(1, m.pairing).bind(15, row.cycle);
  } else {
    s->bind_null(1).bind_null(15);
  }
  s->bind(2, m.associate).bind(3, m.counterpart).bind(4, row.proposer).bind(5, ms(m.when.start)).bind(6, ms(m.when.end));
  s->bind(7, rules::name(m.mode)).bind(8, rules::name(m.kind)).bind(9, rules::name(m.state));
  if (row.cancel_reason.empty()) {
    s->bind_null(10);
  } else {
    s->bind(10, row.cancel_reason);
  }
  s->bind(11, row.changed_by).bind(12, row.sequence).bind(13, row.created_at_ms).bind(14, row.updated_at_ms);
  auto r = s->step();
  if (!r) return r.error();
  return s->column_int64(0);
}

result<void> update_meeting(database& db, const meeting_row& row) {
  auto s = db.prepare(
      "UPDATE meetings SET starts_at = ?2, ends_at = ?3, mode = ?4, state = ?5, proposer = ?6, cancel_reason = ?7,"
      " changed_by = ?8, sequence = ?9, updated_at = ?10 WHERE id = ?1;");
  if (!s) return s.error();
  const auto& m = row.m;
  s->bind(1, m.id).bind(2, ms(m.when.start)).bind(3, ms(m.when.end)).bind(4, rules::name(m.mode));
  s->bind(5, rules::name(m.state)).bind(6, row.proposer);
  if (row.cancel_reason.empty()) {
    s->bind_null(7);
  } else {
    s->bind(7, row.cancel_reason);
  }
  s->bind(8, row.changed_by).bind(9, row.sequence).bind(10, row.updated_at_ms);
  auto r = s->run();
  if (!r) return r.error();
  if (db.changes() != 1) return errc::misuse;
  return {};
}

result<std::optional<meeting_row>> find_meeting(database& db, std::int64_t id) {
  auto s = db.prepare("SELECT " + std::string{columns} + " FROM meetings WHERE id = ?1;");
  if (!s) return s.error();
  s->bind(1, id);
  auto rows = read_rows(*s, 1);
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<meeting_row>{};
  return std::optional<meeting_row>{std::move(rows->front())};
}

result<std::vector<meeting_row>> meetings_of_user(database& db, std::int64_t user, std::int64_t from_ms,
                                                  std::int64_t to_ms, std::size_t limit) {
  auto s = db.prepare("SELECT " + std::string{columns} +
                      " FROM meetings WHERE (associate = ?1 OR counterpart = ?1) AND starts_at < ?3 AND ends_at > ?2"
                      " ORDER BY starts_at, id;");
  if (!s) return s.error();
  s->bind(1, user).bind(2, from_ms).bind(3, to_ms);
  return read_rows(*s, limit);
}

result<std::vector<rules::meeting>> meetings_of_cycle(database& db, std::int64_t cycle) {
  auto s = db.prepare("SELECT " + std::string{columns} + " FROM meetings WHERE cycle = ?1 ORDER BY starts_at, id;");
  if (!s) return s.error();
  s->bind(1, cycle);
  auto rows = read_rows(*s, SIZE_MAX);
  if (!rows) return rows.error();
  std::vector<rules::meeting> out;
  out.reserve(rows->size());
  for (auto& r : *rows) out.push_back(r.m);
  return out;
}

result<void> put_meeting_details(database& db, std::int64_t meeting, std::int64_t user,
                                 std::span<const unsigned char> body) {
  auto s = db.prepare(
      "INSERT INTO meeting_details (meeting, user, body) VALUES (?1, ?2, ?3)"
      " ON CONFLICT (meeting, user) DO UPDATE SET body = excluded.body;");
  if (!s) return s.error();
  s->bind(1, meeting).bind(2, user).bind(3, body);
  return s->run();
}

result<std::vector<unsigned char>> meeting_details(database& db, std::int64_t meeting, std::int64_t user) {
  auto s = db.prepare("SELECT body FROM meeting_details WHERE meeting = ?1 AND user = ?2;");
  if (!s) return s.error();
  s->bind(1, meeting).bind(2, user);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return std::vector<unsigned char>{};
  const auto b = s->column_blob(0);
  return std::vector<unsigned char>(b.begin(), b.end());
}

}  // namespace confidant::store
