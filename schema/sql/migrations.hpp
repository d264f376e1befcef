#pragma once

#include <span>
#include <string_view>
#include <vector>

namespace confidant::sql {

// One schema migration: its number (from the file name "NNNN_name.sql"), name and SQL text.
struct migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// Every embedded migration, ordered by version. Numbers are unique and start at 1 without gaps
// (checked once at first call; a broken build aborts there rather than migrating half a schema).
[[nodiscard]] std::span<const migration> migrations();

}  // namespace confidant::sql
