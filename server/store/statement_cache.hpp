#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3_stmt;

namespace confidant::store {

// The compiled statements of one connection, by SQL text. Each is lent out to one statement
// object at a time (`in_use`); the node-based map keeps every entry's address stable.
class statement_cache {
 public:
  // Texts beyond this many are compiled afresh each time (a guard against generated SQL).
  static constexpr std::size_t max_entries = 512;

  struct entry {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };

  statement_cache() = default;
  statement_cache(const statement_cache&) = delete;
  statement_cache& operator=(const statement_cache&) = delete;
  ~statement_cache();  // finalizes every entry; none may be lent out

  // The entry for `sql`, or nullptr when there is none.
  [[nodiscard]] entry* find(std::string_view sql);
  // Keeps `stmt` for `sql` (which has no entry yet); nullptr when the cache is full.
  [[nodiscard]] entry* add(std::string_view sql, sqlite3_stmt* stmt);

 private:
  struct text_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, entry, text_hash, std::equal_to<>> entries_;
};

}  // namespace confidant::store
