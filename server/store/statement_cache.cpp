#include "server/store/statement_cache.hpp"

#include <sqlite3.h>

namespace confidant::store {

statement_cache::~statement_cache() {
  for (auto& [sql, e] : entries_) sqlite3_finalize(e.stmt);
}

statement_cache::entry* statement_cache::find(std::string_view sql) {
  const auto it = entries_.find(sql);
  return it == entries_.end() ? nullptr : &it->second;
}

statement_cache::entry* statement_cache::add(std::string_view sql, sqlite3_stmt* stmt) {
  if (entries_.size() >= max_entries) return nullptr;
  return &entries_.emplace(std::string{sql}, entry{stmt, false}).first->second;
}

}  // namespace confidant::store
