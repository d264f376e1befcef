#include "server/store/store.hpp"

#include "server/store/migrator.hpp"

#include <optional>

namespace confidant::store {

result<void> create_database(const std::filesystem::path& path, const db_key& key, std::string_view tenant_name,
                             std::int64_t now_ms) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return errc::open_failed;
  auto db = database::open(path, key, {.create = true});
  if (!db) return db.error();
  if (auto m = migrate(*db, sql::migrations(), now_ms); !m) return m.error();
  auto stmt = db->prepare("INSERT INTO tenant (id, name, created_at) VALUES (1, ?1, ?2);");
  if (!stmt) return stmt.error();
  stmt->bind(1, tenant_name).bind(2, now_ms);
  return stmt->run();
}

result<std::unique_ptr<store>> store::open(const std::filesystem::path& path, db_key key, std::int64_t now_ms,
                                           writer::commit_observer observer, bool unsafe_no_sync) {
  auto db = database::open(path, key, {.unsafe_no_sync = unsafe_no_sync});
  if (!db) return db.error();
  if (auto m = migrate(*db, sql::migrations(), now_ms); !m) return m.error();
  auto tenant = db->query_text("SELECT name FROM tenant WHERE id = 1;");
  if (!tenant) return tenant.error();
  auto w = std::make_unique<writer>(std::move(*db), std::move(observer));
  return std::unique_ptr<store>(new store(path, std::move(key), std::move(w), std::move(*tenant)));
}

store::~store() { close(); }

void store::close() {
  if (writer_) writer_->stop();
}

result<void> store::read(const std::function<result<void>(database&)>& fn) {
  std::optional<database> conn;
  {
    std::lock_guard lock(readers_mutex_);
    if (!readers_.empty()) {
      conn.emplace(std::move(readers_.back()));
      readers_.pop_back();
    }
  }
  if (!conn) {
    auto opened = database::open(path_, key_, {.read_only = true});
    if (!opened) return opened.error();
    conn.emplace(std::move(*opened));
  }
  auto r = fn(*conn);
  std::lock_guard lock(readers_mutex_);
  if (readers_.size() < max_idle_readers) readers_.push_back(std::move(*conn));
  return r;
}

result<void> store::ping() {
  return read([](database& db) -> result<void> {
    auto name = db.query_text("SELECT name FROM tenant WHERE id = 1;");
    if (!name) return name.error();
    return {};
  });
}

}  // namespace confidant::store
