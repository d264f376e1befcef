#pragma once

#include "server/store/error.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

struct sqlite3_stmt;

namespace confidant::store {

// A prepared statement. Parameters are 1-based as in SQLite; columns are 0-based.
// A statement lent by its database's cache (`lent` points at the cache's in-use mark) goes back
// to the cache reset and unbound when it is destroyed; any other is finalized. Either way it must
// not outlive its database.
class statement {
 public:
  explicit statement(sqlite3_stmt* stmt, bool* lent = nullptr) noexcept : stmt_(stmt), lent_(lent) {}
  statement(statement&& other) noexcept
      : stmt_(std::exchange(other.stmt_, nullptr)), lent_(std::exchange(other.lent_, nullptr)) {}
  statement& operator=(statement&& other) noexcept;
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement();

  statement& bind(int index, std::int64_t value);
  statement& bind(int index, std::string_view text);
  statement& bind(int index, std::span<const unsigned char> blob);
  statement& bind_null(int index);
  // NULL when empty.
  statement& bind(int index, const std::optional<std::int64_t>& value);

  // Advances: true when a row is ready, false when done.
  [[nodiscard]] result<bool> step();
  // Steps to completion, for statements that return no rows.
  [[nodiscard]] result<void> run();
  void reset() noexcept;

  [[nodiscard]] std::int64_t column_int64(int col) const noexcept;
  [[nodiscard]] std::string_view column_text(int col) const noexcept;
  [[nodiscard]] std::span<const unsigned char> column_blob(int col) const noexcept;
  [[nodiscard]] bool column_is_null(int col) const noexcept;
  // nullopt for NULL.
  [[nodiscard]] std::optional<std::int64_t> column_optional(int col) const noexcept;

 private:
  void release() noexcept;

  sqlite3_stmt* stmt_;
  bool* lent_;
};

// Steps a prepared query to its end, reading every row with `read(const statement&)`.
template <class Row, class Read>
[[nodiscard]] result<std::vector<Row>> all_rows(statement& s, Read read) {
  std::vector<Row> out;
  for (;;) {
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(read(s));
  }
}

// The first row of a prepared query, read with `read`, or nullopt when there is none.
template <class Row, class Read>
[[nodiscard]] result<std::optional<Row>> one_row(statement& s, Read read) {
  auto row = s.step();
  if (!row) return row.error();
  if (!*row) return std::optional<Row>{};
  return std::optional<Row>{read(s)};
}

}  // namespace confidant::store
