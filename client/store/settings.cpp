#include "client/store/impl.hpp"

namespace confidant::client {

store_result<std::optional<std::string>> local_store::get(std::string_view key) const {
  auto q = impl_->conn.db.prepare("SELECT value FROM settings WHERE name = ?1;");
  if (!q) return q.error();
  q->bind(1, key);
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(q->column_text(0));
}

store_result<void> local_store::put(std::string_view key, std::string_view value) {
  auto& c = impl_->conn;
  return in_write_scope(c, [&]() -> store_result<void> {
    auto q = c.db.prepare(
        "INSERT INTO settings (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO UPDATE SET value = excluded.value;");
    if (!q) return q.error();
    q->bind(1, key).bind(2, value);
    return q->run();
  });
}

}  // namespace confidant::client
