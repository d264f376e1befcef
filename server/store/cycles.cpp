#include "server/store/cycles.hpp"

namespace confidant::store {
namespace {

constexpr std::string_view columns =
    "SELECT id, headteacher, coalesce(associate, 0), coalesce(pairing, 0), coalesce(previous, 0), state, school,"
    " federation, region, phase, size_band, coalesce(reason, ''), requested_at, paired_at, active_at, review_at,"
    " ended_at, coalesce(end_asked_by, 0), coalesce(end_asked_reason, ''), end_asked_at FROM cycles";

constexpr std::string_view open_states = "('paired', 'active', 'review_due')";

void bind_id(statement& s, int index, std::int64_t id) { s.bind(index, id == 0 ? std::nullopt : std::optional<std::int64_t>{id}); }

void bind_text(statement& s, int index, const std::string& text) {
  if (text.empty()) {
    s.bind_null(index);
  } else {
    s.bind(index, text);
  }
}

cycle_row read_cycle(const statement& s) {
  cycle_row c;
  c.id = s.column_int64(0);
  c.headteacher = s.column_int64(1);
  c.associate = s.column_int64(2);
  c.pairing = s.column_int64(3);
  c.previous = s.column_int64(4);
  // The schema's CHECK admits only the nine names.
  c.state = rules::parse_cycle_state(s.column_text(5)).value_or(rules::cycle_state::closed);
  c.school = s.column_text(6);
  c.federation = s.column_text(7);
  c.region = s.column_text(8);
  c.phase = s.column_text(9);
  c.size_band = s.column_text(10);
  c.reason = s.column_text(11);
  c.requested_at_ms = s.column_int64(12);
  c.paired_at_ms = s.column_optional(13);
  c.active_at_ms = s.column_optional(14);
  c.review_at_ms = s.column_optional(15);
  c.ended_at_ms = s.column_optional(16);
  c.end_asked_by = s.column_int64(17);
  c.end_asked_reason = s.column_text(18);
  c.end_asked_at_ms = s.column_optional(19);
  return c;
}

std::int64_t first_int(const statement& s) { return s.column_int64(0); }

result<std::vector<cycle_row>> select_cycles(database& db, std::string_view where, std::int64_t a = 0,
                                             std::int64_t b = 0) {
  auto s = db.prepare(std::string{columns} + " " + std::string{where} + ";");
  if (!s) return s.error();
  if (a != 0) s->bind(1, a);
  if (b != 0) s->bind(2, b);
  return all_rows<cycle_row>(*s, read_cycle);
}

result<std::optional<cycle_row>> first_of(result<std::vector<cycle_row>> rows) {
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<cycle_row>{};
  return std::optional<cycle_row>{std::move(rows->front())};
}

// The columns insert and update share, bound from ?2 on.
void bind_mutable(statement& s, const cycle_row& c) {
  bind_id(s, 2, c.associate);
  bind_id(s, 3, c.pairing);
  bind_id(s, 4, c.previous);
  s.bind(5, rules::name(c.state));
  s.bind(6, c.school).bind(7, c.federation).bind(8, c.region).bind(9, c.phase).bind(10, c.size_band);
  bind_text(s, 11, c.reason);
  s.bind(12, c.requested_at_ms);
  s.bind(13, c.paired_at_ms);
  s.bind(14, c.active_at_ms);
  s.bind(15, c.review_at_ms);
  s.bind(16, c.ended_at_ms);
  bind_id(s, 17, c.end_asked_by);
  bind_text(s, 18, c.end_asked_reason);
  s.bind(19, c.end_asked_at_ms);
}

}  // namespace

result<std::int64_t> insert_cycle(database& db, const cycle_row& row) {
  auto s = db.prepare(
      "INSERT INTO cycles (headteacher, associate, pairing, previous, state, school, federation, region, phase,"
      " size_band, reason, requested_at, paired_at, active_at, review_at, ended_at, end_asked_by, end_asked_reason,"
      " end_asked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"
      " RETURNING id;");
  if (!s) return s.error();
  s->bind(1, row.headteacher);
  bind_mutable(*s, row);
  auto r = s->step();
  if (!r) return r.error();
  return s->column_int64(0);
}

result<void> update_cycle(database& db, const cycle_row& row) {
  auto s = db.prepare(
      "UPDATE cycles SET associate = ?2, pairing = ?3, previous = ?4, state = ?5, school = ?6, federation = ?7,"
      " region = ?8, phase = ?9, size_band = ?10, reason = ?11, requested_at = ?12, paired_at = ?13,"
      " active_at = ?14, review_at = ?15, ended_at = ?16, end_asked_by = ?17, end_asked_reason = ?18,"
      " end_asked_at = ?19 WHERE id = ?1;");
  if (!s) return s.error();
  s->bind(1, row.id);
  bind_mutable(*s, row);
  if (auto r = s->run(); !r) return r;
  if (db.changes() != 1) return errc::misuse;
  return {};
}

result<std::optional<cycle_row>> find_cycle(database& db, std::int64_t id) {
  return first_of(select_cycles(db, "WHERE id = ?1", id));
}

result<std::vector<cycle_row>> list_cycles(database& db, cycle_scope scope, std::int64_t user) {
  switch (scope) {
    case cycle_scope::of_headteacher: return select_cycles(db, "WHERE headteacher = ?1 ORDER BY id DESC", user);
    case cycle_scope::of_associate: return select_cycles(db, "WHERE associate = ?1 ORDER BY id DESC", user);
    case cycle_scope::all: break;
  }
  return select_cycles(db, "ORDER BY id DESC");
}

result<std::optional<cycle_row>> open_cycle_of(database& db, std::int64_t headteacher) {
  return first_of(select_cycles(
      db, "WHERE headteacher = ?1 AND state NOT IN ('extended', 'closed', 'ended_early') ORDER BY id DESC LIMIT 1",
      headteacher));
}

result<std::optional<cycle_row>> open_cycle_between(database& db, std::int64_t a, std::int64_t b) {
  return first_of(select_cycles(db,
                                "WHERE state IN " + std::string{open_states} +
                                    " AND ((headteacher = ?1 AND associate = ?2) OR (headteacher = ?2 AND associate = ?1))"
                                    " ORDER BY id DESC LIMIT 1",
                                a, b));
}

result<std::vector<cycle_row>> progressing_cycles(database& db) {
  return select_cycles(db, "WHERE state IN ('paired', 'active') ORDER BY id");
}

result<std::int64_t> associate_load(database& db, std::int64_t associate) {
  auto s = db.prepare("SELECT count(*) FROM cycles WHERE associate = ?1 AND state IN " + std::string{open_states} + ";");
  if (!s) return s.error();
  s->bind(1, associate);
  auto n = one_row<std::int64_t>(*s, first_int);
  if (!n) return n.error();
  return n->value_or(0);
}

result<std::int64_t> open_pairing(database& db, std::int64_t headteacher, std::int64_t associate, std::int64_t by,
                                  std::int64_t now_ms) {
  auto s = db.prepare(
      "INSERT INTO pairings (headteacher, associate, created_by, created_at) VALUES (?1, ?2, ?3, ?4)"
      " ON CONFLICT (headteacher, associate) DO UPDATE SET ended_at = NULL RETURNING id;");
  if (!s) return s.error();
  s->bind(1, headteacher).bind(2, associate).bind(3, by).bind(4, now_ms);
  auto id = one_row<std::int64_t>(*s, first_int);
  if (!id) return id.error();
  if (!*id) return errc::misuse;
  return **id;
}

result<void> end_pairing(database& db, std::int64_t pairing, std::int64_t now_ms) {
  auto s = db.prepare("UPDATE pairings SET ended_at = ?2 WHERE id = ?1;");
  if (!s) return s.error();
  s->bind(1, pairing).bind(2, now_ms);
  return s->run();
}

result<std::vector<std::int64_t>> preferences(database& db, std::int64_t cycle) {
  auto s = db.prepare("SELECT associate FROM cycle_preferences WHERE cycle = ?1 ORDER BY rank;");
  if (!s) return s.error();
  s->bind(1, cycle);
  return all_rows<std::int64_t>(*s, first_int);
}

result<void> set_preferences(database& db, std::int64_t cycle, std::span<const std::int64_t> ranked) {
  auto del = db.prepare("DELETE FROM cycle_preferences WHERE cycle = ?1;");
  if (!del) return del.error();
  del->bind(1, cycle);
  if (auto r = del->run(); !r) return r;
  auto ins = db.prepare("INSERT INTO cycle_preferences (cycle, rank, associate) VALUES (?1, ?2, ?3);");
  if (!ins) return ins.error();
  std::int64_t rank = 0;
  for (const auto a : ranked) {
    ins->reset();
    ins->bind(1, cycle).bind(2, ++rank).bind(3, a);
    if (auto r = ins->run(); !r) return r;
  }
  return {};
}

result<void> put_concern(database& db, std::int64_t cycle, std::int64_t user, std::span<const unsigned char> body) {
  auto s = db.prepare("INSERT INTO cycle_concerns (cycle, user, body) VALUES (?1, ?2, ?3);");
  if (!s) return s.error();
  s->bind(1, cycle).bind(2, user).bind(3, body);
  return s->run();
}

result<std::vector<unsigned char>> concern_of(database& db, std::int64_t cycle, std::int64_t user) {
  auto s = db.prepare("SELECT body FROM cycle_concerns WHERE cycle = ?1 AND user = ?2;");
  if (!s) return s.error();
  s->bind(1, cycle).bind(2, user);
  auto body = one_row<std::vector<unsigned char>>(*s, [](const statement& st) {
    const auto b = st.column_blob(0);
    return std::vector<unsigned char>(b.begin(), b.end());
  });
  if (!body) return body.error();
  return body->value_or(std::vector<unsigned char>{});
}

result<std::vector<held_count>> meetings_held(database& db, std::int64_t now_ms) {
  auto s = db.prepare(
      "SELECT cycle, count(*) FROM meetings WHERE cycle IS NOT NULL AND state = 'accepted' AND starts_at <= ?1"
      " GROUP BY cycle ORDER BY cycle;");
  if (!s) return s.error();
  s->bind(1, now_ms);
  return all_rows<held_count>(*s, [](const statement& st) { return held_count{st.column_int64(0), st.column_int64(1)}; });
}

}  // namespace confidant::store
