#include "server/store/mailbox.hpp"

namespace confidant::store {
namespace {

std::vector<unsigned char> blob(const statement& s, int col) {
  const auto b = s.column_blob(col);
  return {b.begin(), b.end()};
}

void bind_optional(statement& s, int index, const std::optional<std::int64_t>& v) {
  if (v) {
    s.bind(index, *v);
  } else {
    s.bind_null(index);
  }
}

}  // namespace

result<std::optional<accepted_message>> find_sent(database& db, std::int64_t sender, std::int64_t sender_device,
                                                  const message_id& mid) {
  auto s = db.prepare(
      "SELECT id, accepted_at, deliver_at FROM messages WHERE sender = ?1 AND sender_device = ?2 AND message_id = ?3;");
  if (!s) return s.error();
  s->bind(1, sender).bind(2, sender_device).bind(3, std::span<const unsigned char>{mid});
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return std::optional<accepted_message>{};
  return std::optional{accepted_message{s->column_int64(0), s->column_int64(1), s->column_int64(2)}};
}

result<std::int64_t> insert_message(database& db, const new_message& m, std::span<const new_envelope> envelopes) {
  auto s = db.prepare(
      "INSERT INTO messages (kind, sender, sender_device, message_id, recipient, accepted_at, deliver_at)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id;");
  if (!s) return s.error();
  s->bind(1, m.kind);
  bind_optional(*s, 2, m.sender);
  bind_optional(*s, 3, m.sender_device);
  if (m.mid) {
    s->bind(4, std::span<const unsigned char>{*m.mid});
  } else {
    s->bind_null(4);
  }
  s->bind(5, m.recipient).bind(6, m.accepted_at_ms).bind(7, m.deliver_at_ms);
  auto row = s->step();
  if (!row) return row.error();
  const auto id = s->column_int64(0);
  if (auto r = insert_envelopes(db, id, m.expires_at_ms, envelopes); !r) return r.error();
  return id;
}

result<void> insert_envelopes(database& db, std::int64_t message, std::int64_t expires_at_ms,
                              std::span<const new_envelope> envelopes) {
  auto e = db.prepare(
      "INSERT INTO envelopes (account_id, device_id, message, deliver_at, expires_at, body, commitment, stamp, held)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9);");
  if (!e) return e.error();
  for (const auto& env : envelopes) {
    e->reset();
    e->bind(1, env.account_id).bind(2, env.device_id).bind(3, message).bind(4, env.deliver_at_ms).bind(5, expires_at_ms);
    e->bind(9, std::int64_t{env.held ? 1 : 0});
    e->bind(6, std::span<const unsigned char>{env.body});
    if (env.commitment.empty()) {
      e->bind_null(7);
    } else {
      e->bind(7, std::span<const unsigned char>{env.commitment});
    }
    if (env.stamp.empty()) {
      e->bind_null(8);
    } else {
      e->bind(8, std::span<const unsigned char>{env.stamp});
    }
    if (auto r = e->run(); !r) return r.error();
  }
  return {};
}

result<std::vector<pending_envelope>> pending_for(database& db, std::int64_t account, std::int64_t device,
                                                  std::int64_t after, std::int64_t now_ms, std::size_t limit) {
  auto s = db.prepare(
      "SELECT e.message, m.kind, coalesce(m.sender, 0), coalesce(m.sender_device, 0), m.recipient, m.accepted_at,"
      " e.body, e.commitment, e.stamp"
      " FROM envelopes e JOIN messages m ON m.id = e.message"
      " WHERE e.account_id = ?1 AND e.device_id = ?2 AND e.message > ?3 AND e.deliver_at <= ?4"
      " ORDER BY e.message LIMIT ?5;");
  if (!s) return s.error();
  s->bind(1, account).bind(2, device).bind(3, after).bind(4, now_ms).bind(5, static_cast<std::int64_t>(limit));
  std::vector<pending_envelope> out;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back({s->column_int64(0), std::string{s->column_text(1)}, s->column_int64(2), s->column_int64(3),
                   s->column_int64(4), s->column_int64(5), blob(*s, 6), blob(*s, 7), blob(*s, 8)});
  }
}

result<std::int64_t> count_pending(database& db, std::int64_t account, std::int64_t device) {
  auto s = db.prepare("SELECT count(*) FROM envelopes WHERE account_id = ?1 AND device_id = ?2;");
  if (!s) return s.error();
  s->bind(1, account).bind(2, device);
  auto row = s->step();
  if (!row) return row.error();
  return s->column_int64(0);
}

result<std::int64_t> delete_envelopes(database& db, std::int64_t account, std::int64_t device,
                                      std::span<const std::int64_t> ids) {
  auto s = db.prepare("DELETE FROM envelopes WHERE account_id = ?1 AND device_id = ?2 AND message = ?3;");
  if (!s) return s.error();
  std::int64_t removed = 0;
  for (const auto id : ids) {
    s->reset();
    s->bind(1, account).bind(2, device).bind(3, id);
    if (auto r = s->run(); !r) return r.error();
    removed += db.changes();
  }
  return removed;
}

result<std::vector<expired_envelope>> take_expired(database& db, std::int64_t now_ms, std::size_t limit) {
  auto s = db.prepare(
      "DELETE FROM envelopes WHERE (account_id, device_id, message) IN (SELECT account_id, device_id, message"
      " FROM envelopes WHERE expires_at <= ?1 ORDER BY expires_at LIMIT ?2)"
      " RETURNING message, account_id, device_id;");
  if (!s) return s.error();
  s->bind(1, now_ms).bind(2, static_cast<std::int64_t>(limit));
  std::vector<expired_envelope> out;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) break;
    out.push_back({s->column_int64(0), {}, std::nullopt, s->column_int64(1), s->column_int64(2)});
  }
  auto m = db.prepare("SELECT kind, sender FROM messages WHERE id = ?1;");
  if (!m) return m.error();
  for (auto& e : out) {
    m->reset();
    m->bind(1, e.message);
    auto row = m->step();
    if (!row) return row.error();
    if (!*row) return errc::corrupt;
    e.kind = m->column_text(0);
    if (!m->column_is_null(1)) e.sender = m->column_int64(1);
  }
  return out;
}

result<std::vector<std::pair<std::int64_t, std::int64_t>>> held_due(database& db, std::int64_t since_ms,
                                                                   std::int64_t now_ms) {
  auto s = db.prepare(
      "SELECT DISTINCT account_id, device_id FROM envelopes WHERE held = 1 AND deliver_at > ?1 AND deliver_at <= ?2;");
  if (!s) return s.error();
  s->bind(1, since_ms).bind(2, now_ms);
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.emplace_back(s->column_int64(0), s->column_int64(1));
  }
}

result<std::optional<std::int64_t>> next_held(database& db, std::int64_t now_ms) {
  auto s = db.prepare("SELECT min(deliver_at) FROM envelopes WHERE held = 1 AND deliver_at > ?1;");
  if (!s) return s.error();
  s->bind(1, now_ms);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row || s->column_is_null(0)) return std::optional<std::int64_t>{};
  return std::optional{s->column_int64(0)};
}

result<std::int64_t> purge_messages(database& db, std::int64_t before_ms) {
  auto s = db.prepare(
      "DELETE FROM messages WHERE accepted_at < ?1 AND NOT EXISTS (SELECT 1 FROM envelopes WHERE message = messages.id);");
  if (!s) return s.error();
  s->bind(1, before_ms);
  if (auto r = s->run(); !r) return r.error();
  return db.changes();
}

}  // namespace confidant::store
