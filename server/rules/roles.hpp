#pragma once

#include <optional>
#include <string_view>

namespace confidant::rules {

// The programme's roles (DESIGN.md section 1). The operator runs the server and has no account.
enum class role { headteacher, associate, coordinator, spoc };

[[nodiscard]] constexpr std::string_view name(role r) noexcept {
  switch (r) {
    case role::headteacher: return "headteacher";
    case role::associate: return "associate";
    case role::coordinator: return "coordinator";
    case role::spoc: return "spoc";
  }
  return "headteacher";
}

[[nodiscard]] constexpr std::optional<role> parse_role(std::string_view s) noexcept {
  for (auto r : {role::headteacher, role::associate, role::coordinator, role::spoc})
    if (name(r) == s) return r;
  return std::nullopt;
}

// Who may invite whom: coordinators invite every role; the operator, on the server host, only
// bootstraps coordinators (so the person who runs the machine cannot enrol programme members).
[[nodiscard]] constexpr bool coordinator_may_invite(role) noexcept { return true; }
[[nodiscard]] constexpr bool operator_may_invite(role r) noexcept { return r == role::coordinator; }

}  // namespace confidant::rules
