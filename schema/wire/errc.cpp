#include "schema/wire/errc.hpp"

#include <array>
#include <string>

namespace confidant::wire {
namespace {

constexpr std::array<std::string_view, errc_count> names{
    "malformed_json", "malformed_request", "missing_field", "invalid_field",  "unknown_field",  "unknown_type",
    "unsupported_version", "frame_not_text", "rate_limited", "server_busy", "shutting_down", "internal_error",
    "hello_required", "not_authenticated", "already_authenticated", "challenge_required", "login_failed", "invite_unknown", "invite_used", "invite_expired", "identity_in_use", "forbidden", "unknown_user", "wrong_role", "not_paired", "device_mismatch", "not_found", "last_device", "limit_reached", "contact_window_closed",
    "meeting_cap_reached", "meeting_conflict", "meeting_too_long", "cycle_review_due", "wrong_state",
    "no_spoc", "spoc_keys_changed", "not_eligible", "associate_unavailable",
};

class category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "confidant.wire"; }
  std::string message(int ev) const override {
    if (ev < 1 || ev > errc_count) return "unknown wire error";
    return std::string{names[static_cast<std::size_t>(ev - 1)]};
  }
};

}  // namespace

std::string_view name(errc e) noexcept {
  const auto i = static_cast<int>(e);
  return (i >= 1 && i <= errc_count) ? names[static_cast<std::size_t>(i - 1)] : std::string_view{"internal_error"};
}

std::optional<errc> from_name(std::string_view s) noexcept {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == s) return static_cast<errc>(i + 1);
  return std::nullopt;
}

const boost::system::error_category& category() noexcept {
  static const category_impl instance;
  return instance;
}

}  // namespace confidant::wire
