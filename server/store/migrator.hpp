#pragma once

#include "schema/sql/migrations.hpp"
#include "server/store/database.hpp"

#include <cstdint>
#include <span>

namespace confidant::store {

// Applies every migration newer than the file's recorded version, each in its own transaction
// together with its row in schema_migrations. Idempotent. Refuses a file migrated by a newer
// build (errc::schema_too_new). `now_ms` is recorded as the time applied.
[[nodiscard]] result<int> migrate(database& db, std::span<const sql::migration> all, std::int64_t now_ms);

// The highest applied migration (0 for a new file).
[[nodiscard]] result<int> schema_version(database& db);

}  // namespace confidant::store
