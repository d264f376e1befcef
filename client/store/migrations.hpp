#pragma once

#include "schema/sql/migrations.hpp"

#include <span>

namespace confidant::client {

// The client store's migrations (client/store/migrations/NNNN_name.sql, embedded), ordered by
// version, numbered 1..N without gaps (checked once at first call, as schema/sql does).
[[nodiscard]] std::span<const sql::migration> client_migrations();

}  // namespace confidant::client
