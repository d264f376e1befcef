#pragma once

#include "server/store/error.hpp"
#include "server/store/statement.hpp"

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

struct sqlite3;

namespace confidant::store {

class db_key;
class statement_cache;

// One keyed SQLCipher connection. Opening keys the file first, then refuses to go on unless the
// library answers `PRAGMA cipher_version` with 4.x and the key reads `sqlite_master`; only then
// does it switch to WAL with synchronous=FULL. A wrong key leaves the file untouched.
class database {
 public:
  struct options {
    bool create = false;     // create the file if it does not exist
    bool read_only = false;  // a reader connection
    // synchronous=NORMAL instead of FULL: commits are not synced. Only for the negative control
    // of the sync-ordering test ([testing] unsafe_no_sync); never in service.
    bool unsafe_no_sync = false;
  };

  [[nodiscard]] static result<database> open(const std::filesystem::path& path, const db_key& key,
                                             options opts);

  database(database&& other) noexcept;
  database& operator=(database&& other) noexcept;
  database(const database&) = delete;
  database& operator=(const database&) = delete;
  ~database();

  // Runs one or more statements that return no rows, parsing them every time (migrations,
  // PRAGMAs). A single statement run often is cheaper as prepare(sql)->run().
  [[nodiscard]] result<void> exec(std::string_view sql);
  // A statement for one SQL text. The connection keeps what it has compiled and lends it out
  // again for the same text (reset, unbound), so the SQL compiler runs once per text and
  // connection; a text whose statement is already lent out gets a fresh one.
  [[nodiscard]] result<statement> prepare(std::string_view sql);
  // One statement that returns no rows, through prepare().
  [[nodiscard]] result<void> run(std::string_view sql);
  // The first column of the first row as text (e.g. a PRAGMA answer); empty if no row.
  [[nodiscard]] result<std::string> query_text(std::string_view sql);

  // Inside an explicit transaction (false once SQLite rolled one back by itself, e.g. after an
  // I/O error or a full disk).
  [[nodiscard]] bool in_transaction() const noexcept;

  // Rows changed by the last INSERT, UPDATE or DELETE on this connection.
  [[nodiscard]] std::int64_t changes() const noexcept;

  [[nodiscard]] sqlite3* handle() const noexcept { return db_; }

 private:
  explicit database(sqlite3* db);
  void close() noexcept;

  sqlite3* db_ = nullptr;
  std::unique_ptr<statement_cache> cache_;
};

// RAII transaction: BEGIN IMMEDIATE on construction, ROLLBACK in the destructor unless committed.
class transaction {
 public:
  [[nodiscard]] static result<transaction> begin(database& db);
  transaction(transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
  transaction& operator=(transaction&&) = delete;
  transaction(const transaction&) = delete;
  ~transaction();
  [[nodiscard]] result<void> commit();
  void rollback() noexcept;

 private:
  explicit transaction(database& db) noexcept : db_(&db) {}
  database* db_;
};

}  // namespace confidant::store
