#pragma once

// Small helpers shared by the flag store's files: optional integers and blobs in and out of
// statements.

#include "client/store/impl.hpp"

#include <optional>
#include <vector>

namespace confidant::client::rows {

inline void bind_opt(store::statement& q, int index, const std::optional<std::int64_t>& v) {
  if (v) {
    q.bind(index, *v);
  } else {
    q.bind_null(index);
  }
}

[[nodiscard]] inline std::optional<std::int64_t> opt(const store::statement& q, int col) {
  if (q.column_is_null(col)) return std::nullopt;
  return q.column_int64(col);
}

[[nodiscard]] inline std::vector<unsigned char> blob(const store::statement& q, int col) {
  const auto b = q.column_blob(col);
  return {b.begin(), b.end()};
}

}  // namespace confidant::client::rows
