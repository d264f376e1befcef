#pragma once

#include "schema/wire/invite_code.hpp"
#include "server/rules/clock.hpp"
#include "server/rules/roles.hpp"
#include "server/store/invites.hpp"
#include "server/store/writer.hpp"

#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace confidant::service {

inline constexpr std::chrono::days default_invite_lifetime{7};
inline constexpr std::chrono::days max_invite_lifetime{30};

// The one-way hash under which a code is stored (BLAKE2b-256 of its 16 bytes).
[[nodiscard]] store::code_hash hash_invite(const wire::invite_bytes& code);

// A display name as people type it: 1 to 120 bytes of UTF-8 text without control characters.
[[nodiscard]] bool valid_display_name(std::string_view name) noexcept;

struct issued_invite {
  std::string code;  // shown once to the inviter, never stored
  rules::time_point expires_at;
};

// Makes a fresh 128-bit code and stores its hash through the writer; `done` runs after the
// commit is durable (on the writer thread). With `link_account` the code is a device link: it
// adds a device to that account instead of creating one. `deputy` marks a SPOC invite as a
// deputy's. The audit log records who invited which role (or who created a link).
void issue_invite(store::writer& writer, rules::role role, std::string display_name,
                  std::optional<std::int64_t> created_by, rules::time_point now, std::chrono::milliseconds lifetime,
                  std::function<void(boost::system::result<issued_invite>)> done,
                  std::optional<std::int64_t> link_account = std::nullopt, bool deputy = false);

}  // namespace confidant::service
