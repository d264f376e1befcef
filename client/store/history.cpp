#include "client/store/impl.hpp"

#include <limits>

namespace confidant::client {
namespace {

constexpr std::string_view columns =
    "local_id, peer, outgoing, from_device, message_id, server_id, sent_at_ms, accepted_at_ms, body, state, stamp,"
    " franking_key, context, payload";

std::string select(std::string_view rest) { return "SELECT " + std::string{columns} + " FROM messages " + std::string{rest}; }

std::vector<unsigned char> blob(const store::statement& q, int col) {
  const auto b = q.column_blob(col);
  return {b.begin(), b.end()};
}

store_result<history_entry> read_entry(const store::statement& q) {
  history_entry e;
  e.local_id = q.column_int64(0);
  e.peer = q.column_int64(1);
  e.outgoing = q.column_int64(2) != 0;
  e.from_device = q.column_int64(3);
  auto id = message_id_from(q.column_blob(4));
  if (!id) return id.error();
  e.message_id = *id;
  if (!q.column_is_null(5)) e.server_id = q.column_int64(5);
  e.sent_at_ms = q.column_int64(6);
  if (!q.column_is_null(7)) e.accepted_at_ms = q.column_int64(7);
  e.text = q.column_text(8);
  e.state = q.column_text(9);
  e.stamp = blob(q, 10);
  e.franking_key = blob(q, 11);
  e.context = blob(q, 12);
  e.payload = blob(q, 13);
  return e;
}

store_result<std::vector<history_entry>> read_all(store::statement& q) {
  std::vector<history_entry> out;
  for (;;) {
    auto row = q.step();
    if (!row) return row.error();
    if (!*row) return out;
    auto e = read_entry(q);
    if (!e) return e.error();
    out.push_back(std::move(*e));
  }
}

store_result<std::int64_t> insert(connection& c, const history_entry& e, bool outgoing, std::string_view state) {
  auto q = c.db.prepare(
      "INSERT INTO messages (peer, outgoing, from_device, message_id, server_id, sent_at_ms, accepted_at_ms, body,"
      " state, stamp, franking_key, context, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
      " RETURNING local_id;");
  if (!q) return q.error();
  q->bind(1, e.peer).bind(2, std::int64_t{outgoing ? 1 : 0}).bind(3, e.from_device).bind(4, e.message_id);
  if (e.server_id) {
    q->bind(5, *e.server_id);
  } else {
    q->bind_null(5);
  }
  q->bind(6, e.sent_at_ms);
  if (e.accepted_at_ms) {
    q->bind(7, *e.accepted_at_ms);
  } else {
    q->bind_null(7);
  }
  q->bind(8, e.text).bind(9, e.state.empty() ? state : e.state);
  q->bind(10, blob_arg(e.stamp)).bind(11, blob_arg(e.franking_key)).bind(12, blob_arg(e.context));
  q->bind(13, blob_arg(e.payload));
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return store::errc::misuse;
  const auto id = q->column_int64(0);
  if (auto r = q->run(); !r) return r.error();
  return id;
}

}  // namespace

store_result<std::int64_t> local_store::add_outgoing(const history_entry& e) {
  return in_write_scope(impl_->conn, [&] { return insert(impl_->conn, e, true, "pending"); });
}

store_result<std::optional<std::int64_t>> local_store::add_incoming(const history_entry& e) {
  auto& c = impl_->conn;
  return in_write_scope(c, [&]() -> store_result<std::optional<std::int64_t>> {
    if (e.server_id) {
      // At-least-once delivery: the first copy of a server id wins, later ones are dropped.
      auto q = c.db.prepare("INSERT INTO delivered (server_id) VALUES (?1) ON CONFLICT DO NOTHING RETURNING server_id;");
      if (!q) return q.error();
      q->bind(1, *e.server_id);
      auto row = q->step();
      if (!row) return row.error();
      if (!*row) return std::optional<std::int64_t>();
      if (auto r = q->run(); !r) return r.error();
    }
    // A copy of the user's own message from another of their devices stays outgoing.
    auto id = insert(c, e, e.outgoing, "delivered");
    if (!id) return id.error();
    return std::optional<std::int64_t>(*id);
  });
}

store_result<void> local_store::mark_accepted(const std::array<unsigned char, 16>& message_id, std::int64_t server_id,
                                              std::int64_t accepted_at_ms) {
  auto& c = impl_->conn;
  return in_write_scope(c, [&]() -> store_result<void> {
    auto q = c.db.prepare(
        "UPDATE messages SET server_id = ?1, accepted_at_ms = ?2, state = 'accepted'"
        " WHERE outgoing = 1 AND message_id = ?3 RETURNING local_id;");
    if (!q) return q.error();
    q->bind(1, server_id).bind(2, accepted_at_ms).bind(3, message_id);
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return store_errc::not_found;
    return q->run();
  });
}

store_result<std::vector<history_entry>> local_store::history(std::int64_t peer, std::size_t limit) const {
  // The newest `limit` rows, turned back into reading order.
  auto q = impl_->conn.db.prepare("SELECT * FROM (" + select("WHERE peer = ?1 ORDER BY local_id DESC LIMIT ?2") +
                                  ") ORDER BY local_id;");
  if (!q) return q.error();
  const auto capped = std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max());
  q->bind(1, peer).bind(2, static_cast<std::int64_t>(capped));
  return read_all(*q);
}

store_result<std::vector<history_entry>> local_store::incoming_since(std::int64_t after) const {
  auto q = impl_->conn.db.prepare(select("WHERE outgoing = 0 AND local_id > ?1 ORDER BY local_id;"));
  if (!q) return q.error();
  q->bind(1, after);
  return read_all(*q);
}

store_result<bool> local_store::seen_server_id(std::int64_t server_id) const {
  auto q = impl_->conn.db.prepare("SELECT 1 FROM delivered WHERE server_id = ?1;");
  if (!q) return {boost::system::in_place_error, q.error()};
  q->bind(1, server_id);
  auto row = q->step();
  if (!row) return {boost::system::in_place_error, row.error()};
  return *row;
}

}  // namespace confidant::client
