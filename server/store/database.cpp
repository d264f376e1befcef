#include "server/store/database.hpp"

#include "server/store/key.hpp"
#include "server/store/statement_cache.hpp"

#include <sodium.h>
#include <sqlite3.h>

#include <system_error>
#include <utility>

namespace confidant::store {
namespace {

constexpr int busy_timeout_ms = 5000;

struct wipe_on_exit {
  std::string& s;
  ~wipe_on_exit() { sodium_memzero(s.data(), s.size()); }
};

}  // namespace

result<database> database::open(const std::filesystem::path& path, const db_key& key, options opts) {
  std::error_code fs_ec;
  if (!opts.create && !std::filesystem::exists(path, fs_ec)) return errc::not_found;

  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_READWRITE;
  if (opts.create && !opts.read_only) flags |= SQLITE_OPEN_CREATE;

  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  database db{raw};  // closes on every early return below
  if (rc != SQLITE_OK) return from_sqlite(rc);
  sqlite3_extended_result_codes(raw, 1);

  // SQLCipher logs its own failures (e.g. an HMAC check on a wrong key) straight to stderr in its
  // own format; the store reports every failure as an error code instead.
  (void)db.exec("PRAGMA cipher_log_level = NONE;");

  // Key first, before anything reads the file.
  std::string pragma = "PRAGMA key = \"" + key.sqlcipher_literal() + "\";";
  {
    wipe_on_exit wipe{pragma};
    if (sqlite3_exec(raw, pragma.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) return errc::misuse;
  }

  auto version = db.query_text("PRAGMA cipher_version;");
  if (!version || !version->starts_with("4.")) return errc::not_sqlcipher4;

  // Reading the schema proves the key: with a wrong key SQLCipher answers SQLITE_NOTADB.
  if (auto r = db.exec("SELECT count(*) FROM sqlite_master;"); !r) return r.error();

  sqlite3_busy_timeout(raw, busy_timeout_ms);
  if (!opts.read_only) {
    auto mode = db.query_text("PRAGMA journal_mode = WAL;");
    if (!mode) return mode.error();
    if (*mode != "wal") return errc::io;
  }
  if (auto r = db.exec(opts.unsafe_no_sync ? "PRAGMA synchronous = NORMAL;" : "PRAGMA synchronous = FULL;"); !r)
    return r.error();
  if (auto r = db.exec("PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF;"); !r) return r.error();
  // Readers open read-write (a WAL reader may need to create the -shm file) but refuse writes.
  if (opts.read_only) {
    if (auto r = db.exec("PRAGMA query_only = ON;"); !r) return r.error();
  }
  return db;
}

database::database(sqlite3* db) : db_(db), cache_(std::make_unique<statement_cache>()) {}

database::database(database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), cache_(std::move(other.cache_)) {}

database& database::operator=(database&& other) noexcept {
  if (this != &other) {
    close();
    db_ = std::exchange(other.db_, nullptr);
    cache_ = std::move(other.cache_);
  }
  return *this;
}

database::~database() { close(); }

void database::close() noexcept {
  cache_.reset();  // finalizes the compiled statements first
  sqlite3_close_v2(db_);
}

result<void> database::exec(std::string_view sql) {
  const std::string text{sql};
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return from_sqlite(rc);
  return {};
}

result<statement> database::prepare(std::string_view sql) {
  auto* cached = cache_->find(sql);
  if (cached && !cached->in_use) {
    cached->in_use = true;
    return statement{cached->stmt, &cached->in_use};
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                    &stmt, nullptr);
  if (rc != SQLITE_OK) return from_sqlite(rc);
  if (cached) return statement{stmt};  // the cached one is lent out: this one is finalized after use
  auto* kept = cache_->add(sql, stmt);
  if (!kept) return statement{stmt};
  kept->in_use = true;
  return statement{stmt, &kept->in_use};
}

result<void> database::run(std::string_view sql) {
  auto s = prepare(sql);
  if (!s) return s.error();
  return s->run();
}

result<std::string> database::query_text(std::string_view sql) {
  auto stmt = prepare(sql);
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return std::string{};
  return std::string{stmt->column_text(0)};
}

result<transaction> transaction::begin(database& db) {
  if (auto r = db.run("BEGIN IMMEDIATE;"); !r) return r.error();
  return transaction{db};
}

transaction::~transaction() { rollback(); }

void transaction::rollback() noexcept {
  if (db_) (void)std::exchange(db_, nullptr)->exec("ROLLBACK;");
}

result<void> transaction::commit() {
  auto r = db_->run("COMMIT;");
  if (r) db_ = nullptr;  // on failure the destructor rolls back
  return r;
}

bool database::in_transaction() const noexcept { return sqlite3_get_autocommit(db_) == 0; }

std::int64_t database::changes() const noexcept { return sqlite3_changes64(db_); }

}  // namespace confidant::store
