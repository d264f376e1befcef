#include "server/store/statement.hpp"

#include <sqlite3.h>

#include <cstdint>

namespace confidant::store {
namespace {
// SQLITE_TRANSIENT without its C-style cast: SQLite copies the bound value.
const sqlite3_destructor_type transient = reinterpret_cast<sqlite3_destructor_type>(std::intptr_t{-1});
}  // namespace

statement& statement::operator=(statement&& other) noexcept {
  if (this != &other) {
    release();
    stmt_ = std::exchange(other.stmt_, nullptr);
    lent_ = std::exchange(other.lent_, nullptr);
  }
  return *this;
}

statement::~statement() { release(); }

void statement::release() noexcept {
  if (!lent_) {
    sqlite3_finalize(stmt_);
    return;
  }
  reset();  // ends the statement's read of the database, as finalizing would
  *lent_ = false;
}

statement& statement::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

statement& statement::bind(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_, index, text.data(), text.size(), transient, SQLITE_UTF8);
  return *this;
}

statement& statement::bind(int index, std::span<const unsigned char> blob) {
  sqlite3_bind_blob64(stmt_, index, blob.data(), blob.size(), transient);
  return *this;
}

statement& statement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

std::optional<std::int64_t> statement::column_optional(int col) const noexcept {
  if (column_is_null(col)) return std::nullopt;
  return column_int64(col);
}

statement& statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

result<bool> statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return from_sqlite(rc);
}

result<void> statement::run() {
  for (;;) {
    auto more = step();
    if (!more) return more.error();
    if (!*more) return {};
  }
}

void statement::reset() noexcept {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t statement::column_int64(int col) const noexcept { return sqlite3_column_int64(stmt_, col); }

std::string_view statement::column_text(int col) const noexcept {
  const auto* p = sqlite3_column_text(stmt_, col);
  const auto n = sqlite3_column_bytes(stmt_, col);
  return p ? std::string_view{reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)} : std::string_view{};
}

std::span<const unsigned char> statement::column_blob(int col) const noexcept {
  const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(stmt_, col));
  const auto n = sqlite3_column_bytes(stmt_, col);
  return {p, static_cast<std::size_t>(n)};
}

bool statement::column_is_null(int col) const noexcept { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

}  // namespace confidant::store
