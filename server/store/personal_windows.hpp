#pragma once

// Users' own narrower contact windows (schema 0007). The rules check that a window narrows
// policy (server/rules/window_hours.hpp); this stores what passed.

#include "server/rules/window_hours.hpp"
#include "server/store/database.hpp"

#include <cstdint>
#include <optional>

namespace confidant::store {

[[nodiscard]] result<std::optional<rules::personal_window>> find_personal_window(database& db, std::int64_t user);
[[nodiscard]] result<void> put_personal_window(database& db, std::int64_t user, const rules::personal_window& w,
                                               std::int64_t now_ms);
// Back to the policy's window; false when there was none.
[[nodiscard]] result<bool> delete_personal_window(database& db, std::int64_t user);

}  // namespace confidant::store
