#include "client/store/connection.hpp"

#include <sqlite3.h>

#include <string>

namespace confidant::client {
namespace {

std::string savepoint(int level) { return "s" + std::to_string(level); }

// SQLite ends a transaction by itself on some failures (disk full, I/O error) even when the
// caller goes on. A savepoint opened or released after that would start and commit a
// transaction of its own, so inside a scope that SQLite already closed every write fails.
bool transaction_lost(const connection& c) { return c.depth > 0 && sqlite3_get_autocommit(c.db.handle()) != 0; }

}  // namespace

store_result<write_scope> write_scope::begin(connection& c) {
  if (transaction_lost(c)) return store_errc::io_error;
  const int level = c.depth + 1;
  const auto r = level == 1 ? c.db.exec("BEGIN IMMEDIATE;") : c.db.exec("SAVEPOINT " + savepoint(level) + ";");
  if (!r) return r.error();
  c.depth = level;
  return write_scope{c, level};
}

store_result<void> write_scope::commit() {
  if (level_ > 1 && transaction_lost(*c_)) return store_errc::io_error;
  const auto r = level_ == 1 ? c_->db.exec("COMMIT;") : c_->db.exec("RELEASE " + savepoint(level_) + ";");
  if (!r) return r.error();  // still open: the destructor rolls it back
  c_->depth = level_ - 1;
  c_ = nullptr;
  return {};
}

write_scope::~write_scope() { end(); }

void write_scope::end() noexcept {
  if (!c_) return;
  if (level_ == 1) {
    (void)c_->db.exec("ROLLBACK;");
  } else {
    // A savepoint rolled back to stays on SQLite's stack until it is released.
    const auto name = savepoint(level_);
    (void)c_->db.exec("ROLLBACK TO " + name + "; RELEASE " + name + ";");
  }
  c_->depth = level_ - 1;
  c_ = nullptr;
}

}  // namespace confidant::client
