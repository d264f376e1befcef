#pragma once

// Accounts, their devices and pairings (schema 0002/0003).

#include "server/rules/roles.hpp"
#include "server/store/database.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace confidant::store {

struct account_row {
  std::int64_t id = 0;
  rules::role role = rules::role::headteacher;
  std::string display_name;
  bool active = true;
};

[[nodiscard]] result<std::int64_t> insert_account(database& db, rules::role role, std::string_view display_name,
                                                  std::int64_t now_ms, bool deputy = false);
[[nodiscard]] result<std::optional<account_row>> find_account(database& db, std::int64_t id);
// Active accounts, ordered by id.
[[nodiscard]] result<std::vector<account_row>> active_accounts(database& db);
// Marks the account disabled; false if it was not active.
[[nodiscard]] result<bool> disable_account(database& db, std::int64_t id);

struct device_row {
  std::int64_t account_id = 0;
  std::int64_t device_id = 0;
  std::array<unsigned char, 128> identity{};
  std::int64_t created_at_ms = 0;
};

// Adds the account's next device (1 for the first). Fails with errc::constraint when the
// identity's signing key is registered already (to any device, removed ones included).
[[nodiscard]] result<std::int64_t> insert_device(database& db, std::int64_t account_id,
                                                 std::span<const unsigned char, 128> identity, std::int64_t now_ms);
[[nodiscard]] result<bool> signing_key_in_use(database& db, std::span<const unsigned char, 32> signing_key);
// An active device of an active account, or nullopt.
[[nodiscard]] result<std::optional<device_row>> find_active_device(database& db, std::int64_t account_id,
                                                                   std::int64_t device_id);
[[nodiscard]] result<std::vector<device_row>> active_devices(database& db, std::int64_t account_id);
// Marks the device removed and deletes its prekeys and waiting envelopes; false if not active.
[[nodiscard]] result<bool> remove_device(database& db, std::int64_t account_id, std::int64_t device_id,
                                         std::int64_t now_ms);

// Whether the two users (in either order) are in a pairing that has not ended.
[[nodiscard]] result<bool> are_paired(database& db, std::int64_t a, std::int64_t b);
// The users `user` is paired with.
[[nodiscard]] result<std::vector<std::int64_t>> paired_with(database& db, std::int64_t user);

}  // namespace confidant::store
