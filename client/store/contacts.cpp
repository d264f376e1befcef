#include "client/store/impl.hpp"

namespace confidant::client {

store_result<void> local_store::save_contacts(const std::vector<contact>& all) {
  auto& c = impl_->conn;
  // The server's list is the whole truth: replace, so a contact no longer allowed disappears.
  return in_write_scope(c, [&]() -> store_result<void> {
    if (auto r = c.db.exec("DELETE FROM contacts;"); !r) return r;
    auto q = c.db.prepare("INSERT INTO contacts (user_id, display_name, role) VALUES (?1, ?2, ?3);");
    if (!q) return q.error();
    for (const auto& one : all) {
      q->reset();
      q->bind(1, one.user).bind(2, one.display_name).bind(3, one.role);
      if (auto r = q->run(); !r) return r;
    }
    return {};
  });
}

store_result<std::vector<contact>> local_store::contacts() const {
  auto q = impl_->conn.db.prepare("SELECT user_id, display_name, role FROM contacts ORDER BY user_id;");
  if (!q) return q.error();
  std::vector<contact> out;
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back({q->column_int64(0), std::string{q->column_text(1)}, std::string{q->column_text(2)}});
  }
}

}  // namespace confidant::client
