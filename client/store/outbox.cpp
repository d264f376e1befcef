#include "client/store/impl.hpp"

namespace confidant::client {

store_result<void> local_store::outbox_add(const outbox_entry& e) {
  auto& c = impl_->conn;
  return in_write_scope(c, [&]() -> store_result<void> {
    auto q = c.db.prepare("INSERT INTO outbox (message_id, to_user, body, sent_at_ms) VALUES (?1, ?2, ?3, ?4);");
    if (!q) return q.error();
    q->bind(1, e.message_id).bind(2, e.to).bind(3, e.text).bind(4, e.sent_at_ms);
    return q->run();
  });
}

store_result<void> local_store::outbox_remove(const std::array<unsigned char, 16>& message_id) {
  auto& c = impl_->conn;
  return in_write_scope(c, [&]() -> store_result<void> {
    auto q = c.db.prepare("DELETE FROM outbox WHERE message_id = ?1 RETURNING seq;");
    if (!q) return q.error();
    q->bind(1, message_id);
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return store_errc::not_found;
    return q->run();
  });
}

store_result<std::vector<outbox_entry>> local_store::outbox() const {
  auto q = impl_->conn.db.prepare("SELECT message_id, to_user, body, sent_at_ms FROM outbox ORDER BY seq;");
  if (!q) return q.error();
  std::vector<outbox_entry> out;
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return out;
    auto id = message_id_from(q->column_blob(0));
    if (!id) return id.error();
    out.push_back({*id, q->column_int64(1), std::string{q->column_text(2)}, q->column_int64(3)});
  }
}

}  // namespace confidant::client
