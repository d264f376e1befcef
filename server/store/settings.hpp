#pragma once

#include "server/store/database.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace confidant::store {

// The `settings` table: small operational facts (never content), e.g. "last_started_at".
[[nodiscard]] result<void> put_setting(database& db, std::string_view key, std::string_view value);
[[nodiscard]] result<std::optional<std::string>> get_setting(database& db, std::string_view key);

}  // namespace confidant::store
