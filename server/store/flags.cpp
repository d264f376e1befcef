#include "server/store/flags.hpp"

#include <algorithm>

namespace confidant::store {
namespace {

using blob = std::span<const unsigned char>;

template <std::size_t N>
std::array<unsigned char, N> fixed(blob b) {
  std::array<unsigned char, N> out{};
  std::copy_n(b.begin(), std::min(b.size(), N), out.begin());
  return out;
}

constexpr std::string_view flag_columns =
    "SELECT id, raiser, raiser_device, flag_id, category, urgency, state, raised_at, deadline_at, out_of_hours,"
    " acknowledged_at, acknowledged_by, resolved_at, resolved_by, outcome, escalations, next_escalation_at,"
    " legal_hold FROM flags";

flag_row read_flag(const statement& s) {
  flag_row f;
  f.id = s.column_int64(0);
  f.raiser = s.column_int64(1);
  f.raiser_device = s.column_int64(2);
  f.flag_id = fixed<16>(s.column_blob(3));
  f.category = s.column_text(4);
  f.urgency = s.column_text(5);
  f.state = s.column_text(6);
  f.raised_at_ms = s.column_int64(7);
  f.deadline_at_ms = s.column_int64(8);
  f.out_of_hours = s.column_int64(9) != 0;
  f.acknowledged_at_ms = s.column_optional(10);
  f.acknowledged_by = s.column_optional(11);
  f.resolved_at_ms = s.column_optional(12);
  f.resolved_by = s.column_optional(13);
  f.outcome = s.column_is_null(14) ? std::string{} : std::string{s.column_text(14)};
  f.escalations = s.column_int64(15);
  f.next_escalation_at_ms = s.column_optional(16);
  f.legal_hold = s.column_int64(17) != 0;
  return f;
}

std::int64_t first_int(const statement& s) { return s.column_int64(0); }

}  // namespace

result<std::optional<std::int64_t>> latest_spoc_key_id(database& db, std::int64_t user, std::int64_t device) {
  auto s = db.prepare("SELECT max(key_id) FROM spoc_keys WHERE account_id = ?1 AND device_id = ?2;");
  if (!s) return s.error();
  s->bind(1, user).bind(2, device);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row || s->column_is_null(0)) return std::optional<std::int64_t>{};
  return std::optional{s->column_int64(0)};
}

result<void> insert_spoc_key(database& db, std::int64_t user, std::int64_t device, std::int64_t key_id,
                             blob certificate, std::int64_t not_after_ms, std::int64_t now_ms) {
  auto s = db.prepare(
      "INSERT INTO spoc_keys (account_id, device_id, key_id, certificate, not_after_ms, published_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6);");
  if (!s) return s.error();
  s->bind(1, user).bind(2, device).bind(3, key_id).bind(4, certificate).bind(5, not_after_ms).bind(6, now_ms);
  return s->run();
}

result<std::vector<spoc_key_row>> current_spoc_keys(database& db, std::int64_t now_ms) {
  auto s = db.prepare(
      "SELECT a.id, d.device_id, a.deputy, d.identity, k.key_id, k.certificate"
      " FROM accounts a JOIN devices d ON d.account_id = a.id AND d.status = 'active'"
      " JOIN spoc_keys k ON k.account_id = a.id AND k.device_id = d.device_id"
      " WHERE a.role = 'spoc' AND a.status = 'active' AND k.not_after_ms > ?1"
      "   AND k.key_id = (SELECT max(key_id) FROM spoc_keys k2 WHERE k2.account_id = a.id"
      "                   AND k2.device_id = d.device_id AND k2.not_after_ms > ?1)"
      " ORDER BY a.id, d.device_id;");
  if (!s) return s.error();
  s->bind(1, now_ms);
  return all_rows<spoc_key_row>(*s, [](const statement& r) {
    const auto cert = r.column_blob(5);
    return spoc_key_row{r.column_int64(0), r.column_int64(1), r.column_int64(2) != 0, fixed<128>(r.column_blob(3)),
                        r.column_int64(4), bytes(cert.begin(), cert.end())};
  });
}

result<std::int64_t> insert_flag(database& db, const flag_row& f) {
  auto s = db.prepare(
      "INSERT INTO flags (raiser, raiser_device, flag_id, category, urgency, state, raised_at, deadline_at,"
      " out_of_hours, next_escalation_at) VALUES (?1, ?2, ?3, ?4, ?5, 'received', ?6, ?7, ?8, ?9) RETURNING id;");
  if (!s) return s.error();
  s->bind(1, f.raiser).bind(2, f.raiser_device).bind(3, blob{f.flag_id}).bind(4, f.category).bind(5, f.urgency);
  s->bind(6, f.raised_at_ms).bind(7, f.deadline_at_ms).bind(8, std::int64_t{f.out_of_hours});
  s->bind(9, f.next_escalation_at_ms);
  auto row = s->step();
  if (!row) return row.error();
  return s->column_int64(0);
}

result<void> update_flag(database& db, const flag_row& f) {
  auto s = db.prepare(
      "UPDATE flags SET state = ?2, acknowledged_at = ?3, acknowledged_by = ?4, resolved_at = ?5,"
      " resolved_by = ?6, outcome = ?7, escalations = ?8, next_escalation_at = ?9, legal_hold = ?10"
      " WHERE id = ?1;");
  if (!s) return s.error();
  s->bind(1, f.id).bind(2, f.state);
  s->bind(3, f.acknowledged_at_ms);
  s->bind(4, f.acknowledged_by);
  s->bind(5, f.resolved_at_ms);
  s->bind(6, f.resolved_by);
  if (f.outcome.empty()) {
    s->bind_null(7);
  } else {
    s->bind(7, f.outcome);
  }
  s->bind(8, f.escalations);
  s->bind(9, f.next_escalation_at_ms);
  s->bind(10, std::int64_t{f.legal_hold});
  if (auto r = s->run(); !r) return r.error();
  if (db.changes() != 1) return errc::constraint;
  return {};
}

result<std::optional<flag_row>> find_flag(database& db, std::int64_t id) {
  auto s = db.prepare(std::string{flag_columns} + " WHERE id = ?1;");
  if (!s) return s.error();
  s->bind(1, id);
  return one_row<flag_row>(*s, read_flag);
}

result<std::optional<flag_row>> find_flag_by_client_id(database& db, std::int64_t raiser, std::int64_t device,
                                                       const client_id& id) {
  auto s = db.prepare(std::string{flag_columns} + " WHERE raiser = ?1 AND raiser_device = ?2 AND flag_id = ?3;");
  if (!s) return s.error();
  s->bind(1, raiser).bind(2, device).bind(3, blob{id});
  return one_row<flag_row>(*s, read_flag);
}

result<std::vector<flag_row>> list_flags(database& db, std::optional<std::int64_t> raiser,
                                         std::optional<std::string> state) {
  auto s = db.prepare(std::string{flag_columns} +
                      " WHERE (?1 IS NULL OR raiser = ?1) AND (?2 IS NULL OR state = ?2) ORDER BY id DESC;");
  if (!s) return s.error();
  s->bind(1, raiser);
  if (state) {
    s->bind(2, *state);
  } else {
    s->bind_null(2);
  }
  return all_rows<flag_row>(*s, read_flag);
}

result<void> insert_flag_copies(database& db, std::int64_t flag, std::int64_t note, std::span<const flag_copy> copies) {
  auto s = db.prepare(
      "INSERT INTO flag_copies (flag, note, account_id, device_id, key_id, sealed) VALUES (?1, ?2, ?3, ?4, ?5, ?6);");
  if (!s) return s.error();
  for (const auto& c : copies) {
    s->reset();
    s->bind(1, flag).bind(2, note).bind(3, c.user).bind(4, c.device).bind(5, c.key_id).bind(6, blob{c.sealed});
    if (auto r = s->run(); !r) return r.error();
  }
  return {};
}

result<std::optional<flag_copy>> find_flag_copy(database& db, std::int64_t flag, std::int64_t note, std::int64_t user,
                                                std::int64_t device) {
  auto s = db.prepare(
      "SELECT key_id, sealed FROM flag_copies WHERE flag = ?1 AND note = ?2 AND account_id = ?3 AND device_id = ?4;");
  if (!s) return s.error();
  s->bind(1, flag).bind(2, note).bind(3, user).bind(4, device);
  return one_row<flag_copy>(*s, [&](const statement& r) {
    const auto sealed = r.column_blob(1);
    return flag_copy{user, device, r.column_int64(0), bytes(sealed.begin(), sealed.end())};
  });
}

result<std::vector<std::int64_t>> flags_waiting_for(database& db, std::int64_t user, std::int64_t device) {
  auto s = db.prepare(
      "SELECT flag FROM flag_copies WHERE account_id = ?1 AND device_id = ?2 AND note = 0 AND received_at IS NULL"
      " ORDER BY flag;");
  if (!s) return s.error();
  s->bind(1, user).bind(2, device);
  return all_rows<std::int64_t>(*s, first_int);
}

result<std::vector<std::int64_t>> mark_flags_received(database& db, std::int64_t user, std::int64_t device,
                                                      std::span<const std::int64_t> flags, std::int64_t now_ms) {
  auto s = db.prepare(
      "UPDATE flag_copies SET received_at = ?4 WHERE flag = ?3 AND note = 0 AND account_id = ?1 AND device_id = ?2"
      " AND received_at IS NULL RETURNING flag;");
  if (!s) return s.error();
  std::vector<std::int64_t> marked;
  for (const auto id : flags) {
    s->reset();
    s->bind(1, user).bind(2, device).bind(3, id).bind(4, now_ms);
    auto row = s->step();
    if (!row) return row.error();
    if (*row) marked.push_back(id);
    s->reset();
  }
  return marked;
}

namespace {

constexpr std::string_view note_columns =
    "SELECT id, flag, author, author_device, note_id, added_at FROM flag_notes";

flag_note_row read_note(const statement& s) {
  return flag_note_row{s.column_int64(0), s.column_int64(1), s.column_int64(2), s.column_int64(3),
                       fixed<16>(s.column_blob(4)), s.column_int64(5)};
}

}  // namespace

result<std::int64_t> insert_flag_note(database& db, const flag_note_row& n) {
  auto s = db.prepare(
      "INSERT INTO flag_notes (flag, author, author_device, note_id, added_at) VALUES (?1, ?2, ?3, ?4, ?5)"
      " RETURNING id;");
  if (!s) return s.error();
  s->bind(1, n.flag).bind(2, n.author).bind(3, n.author_device).bind(4, blob{n.note_id}).bind(5, n.added_at_ms);
  auto row = s->step();
  if (!row) return row.error();
  return s->column_int64(0);
}

result<std::optional<flag_note_row>> find_flag_note_by_client_id(database& db, std::int64_t author,
                                                                std::int64_t device, const client_id& id) {
  auto s = db.prepare(std::string{note_columns} + " WHERE author = ?1 AND author_device = ?2 AND note_id = ?3;");
  if (!s) return s.error();
  s->bind(1, author).bind(2, device).bind(3, blob{id});
  return one_row<flag_note_row>(*s, read_note);
}

result<std::vector<flag_note_row>> flag_notes(database& db, std::int64_t flag) {
  auto s = db.prepare(std::string{note_columns} + " WHERE flag = ?1 ORDER BY id;");
  if (!s) return s.error();
  s->bind(1, flag);
  return all_rows<flag_note_row>(*s, read_note);
}

result<std::optional<std::int64_t>> next_flag_escalation(database& db) {
  auto s = db.prepare("SELECT min(next_escalation_at) FROM flags WHERE next_escalation_at IS NOT NULL;");
  if (!s) return s.error();
  auto row = s->step();
  if (!row) return row.error();
  if (!*row || s->column_is_null(0)) return std::optional<std::int64_t>{};
  return std::optional{s->column_int64(0)};
}

result<std::vector<flag_row>> flags_due_for_escalation(database& db, std::int64_t now_ms) {
  auto s = db.prepare(std::string{flag_columns} +
                      " WHERE next_escalation_at IS NOT NULL AND next_escalation_at <= ?1 ORDER BY id;");
  if (!s) return s.error();
  s->bind(1, now_ms);
  return all_rows<flag_row>(*s, read_flag);
}

result<std::vector<std::int64_t>> delete_expired_flags(database& db, std::int64_t cutoff_ms) {
  auto s = db.prepare(
      "SELECT id FROM flags WHERE state = 'resolved' AND legal_hold = 0 AND resolved_at < ?1 ORDER BY id;");
  if (!s) return s.error();
  s->bind(1, cutoff_ms);
  auto ids = all_rows<std::int64_t>(*s, first_int);
  if (!ids) return ids;
  for (const auto id : *ids) {
    for (const auto* sql : {"DELETE FROM flag_copies WHERE flag = ?1;", "DELETE FROM flag_notes WHERE flag = ?1;",
                            "DELETE FROM flags WHERE id = ?1;"}) {
      auto d = db.prepare(sql);
      if (!d) return d.error();
      d->bind(1, id);
      if (auto r = d->run(); !r) return r.error();
    }
  }
  return ids;
}

}  // namespace confidant::store
