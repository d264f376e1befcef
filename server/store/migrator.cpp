#include "server/store/migrator.hpp"

namespace confidant::store {

result<int> schema_version(database& db) {
  if (auto r = db.exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                       " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT;");
      !r)
    return r.error();
  auto v = db.query_text("SELECT coalesce(max(version), 0) FROM schema_migrations;");
  if (!v) return v.error();
  return std::stoi(*v);
}

result<int> migrate(database& db, std::span<const sql::migration> all, std::int64_t now_ms) {
  auto current = schema_version(db);
  if (!current) return current.error();
  if (!all.empty() && *current > all.back().version) return errc::schema_too_new;

  int applied = 0;
  for (const auto& m : all) {
    if (m.version <= *current) continue;
    auto tx = transaction::begin(db);
    if (!tx) return tx.error();
    if (auto r = db.exec(m.sql); !r) return r.error();
    auto record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3);");
    if (!record) return record.error();
    record->bind(1, std::int64_t{m.version}).bind(2, m.name).bind(3, now_ms);
    if (auto r = record->run(); !r) return r.error();
    if (auto r = tx->commit(); !r) return r.error();
    ++applied;
  }
  return applied;
}

}  // namespace confidant::store
