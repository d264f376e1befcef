#pragma once

#include "server/rules/roles.hpp"
#include "server/store/database.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace confidant::store {

using code_hash = std::array<unsigned char, 32>;  // BLAKE2b-256 of the 16 code bytes

struct new_invite {
  code_hash hash;
  rules::role role;
  std::string display_name;
  std::optional<std::int64_t> created_by;  // account id; nullopt for the operator
  std::int64_t created_at_ms;
  std::int64_t expires_at_ms;
  std::optional<std::int64_t> link_account;  // a device link code: adds a device to this account
  bool deputy = false;                       // role spoc only: a deputy SPOC
};

// Stores an invite; returns its id.
[[nodiscard]] result<std::int64_t> insert_invite(database& db, const new_invite& invite);

// Why an invite cannot be redeemed. Distinct on purpose (issue: reuse, expiry and wrong codes
// give distinct errors); a wrong code reveals nothing about other invites.
enum class invite_state { usable, unknown, used, expired };

struct invite_row {
  std::int64_t id;
  rules::role role;
  std::string display_name;
  std::optional<std::int64_t> link_account;
  bool deputy = false;
};

// Looks the code up and says whether it may be redeemed at `now_ms`.
[[nodiscard]] result<std::pair<invite_state, std::optional<invite_row>>> find_invite(database& db,
                                                                                     const code_hash& hash,
                                                                                     std::int64_t now_ms);

// Marks a usable invite as used by `account_id` (in the caller's transaction). Fails with
// errc::constraint if it was used or expired in the meantime.
[[nodiscard]] result<void> mark_invite_used(database& db, std::int64_t invite_id, std::int64_t account_id,
                                            std::int64_t now_ms);

}  // namespace confidant::store
