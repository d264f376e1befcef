#include "client/store/crypto_stores.hpp"

namespace confidant::client {

crypto::result<std::optional<crypto::bytes>> db_session_store::load_session(const crypto::device_address& peer) const {
  auto q = c_.db.prepare("SELECT record FROM sessions WHERE user_name = ?1 AND device_id = ?2;");
  if (!q) return q.error();
  q->bind(1, peer.user).bind(2, std::int64_t{peer.device});
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return std::optional<crypto::bytes>();
  // The caller owns this copy of the secret record and wipes it.
  const auto record = q->column_blob(0);
  return std::optional<crypto::bytes>(std::in_place, record.begin(), record.end());
}

crypto::result<void> db_session_store::store_session(const crypto::device_address& peer, crypto::byte_view record) {
  return in_write_scope(c_, [&]() -> store_result<void> {
    auto q = c_.db.prepare(
        "INSERT INTO sessions (user_name, device_id, record) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (user_name, device_id) DO UPDATE SET record = excluded.record;");
    if (!q) return q.error();
    q->bind(1, peer.user).bind(2, std::int64_t{peer.device}).bind(3, record);
    return q->run();
  });
}

crypto::result<void> db_session_store::delete_session(const crypto::device_address& peer) {
  return in_write_scope(c_, [&]() -> store_result<void> {
    auto q = c_.db.prepare("DELETE FROM sessions WHERE user_name = ?1 AND device_id = ?2;");
    if (!q) return q.error();
    q->bind(1, peer.user).bind(2, std::int64_t{peer.device});
    return q->run();
  });
}

}  // namespace confidant::client
