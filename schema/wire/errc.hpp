#pragma once

#include <boost/system/error_code.hpp>

#include <optional>
#include <string_view>
#include <type_traits>

namespace confidant::wire {

// Stable error codes of the wire protocol. The string form (name()) is what travels in the
// `code` field of an error answer and is part of the protocol: never rename one.
enum class errc {
  malformed_json = 1,     // the frame is not a JSON document
  malformed_request,      // JSON, but not an object with a valid `type` and `rid`
  missing_field,          // a required field is absent
  invalid_field,          // a field has the wrong type, length or format
  unknown_field,          // a field the message type does not define
  unknown_type,           // no such request type
  unsupported_version,    // no protocol version in common
  frame_not_text,         // a binary frame where only text frames are defined
  rate_limited,           // too many requests; retry after `retry_after_ms`
  server_busy,            // the server cannot take the request now (queue full)
  shutting_down,          // the server is stopping; reconnect later
  internal_error,         // a bug or a storage failure; nothing was changed
  hello_required,        // a request before a successful hello
  not_authenticated,     // the request needs a logged-in device
  already_authenticated, // register/challenge/login on an authenticated connection
  challenge_required,    // login without a live challenge on this connection
  login_failed,          // one answer for every login failure (no enumeration)
  invite_unknown,        // no invite or device link has that code
  invite_used,           // the code was redeemed already
  invite_expired,        // the code expired
  identity_in_use,       // that identity key is registered already
  forbidden,             // the caller's role may not make this request
  unknown_user,          // no such active user
  wrong_role,            // a named user has the wrong role for the request
  not_paired,            // the relationship rules do not allow this contact
  device_mismatch,       // envelopes do not match the current devices
  not_found,             // no such item (or not the caller's)
  last_device,           // the account's only device cannot be removed
  limit_reached,         // a stored quantity would exceed its limit
  contact_window_closed, // outside the recipient's contact window (policy `reject`; meetings)
  meeting_cap_reached,   // a meeting cap of the policy is used up (`used`, `cap`, ...)
  meeting_conflict,      // a participant has another meeting then (double-booking)
  meeting_too_long,      // an initial meeting longer than the policy allows
  cycle_review_due,      // the meeting falls after the cycle's end: the coordinator reviews first
  wrong_state,           // the item's state does not allow this request (e.g. accept a cancelled meeting)
  no_spoc,               // no SPOC device has a sealing key: a flag cannot be delivered
  spoc_keys_changed,     // a flag's copies do not match the current SPOC keys
  not_eligible,          // an associate's evidence misses an eligibility criterion
  associate_unavailable, // an associate cannot be offered or paired for this request
};

[[nodiscard]] std::string_view name(errc e) noexcept;
[[nodiscard]] std::optional<errc> from_name(std::string_view s) noexcept;
[[nodiscard]] const boost::system::error_category& category() noexcept;

[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), category()};
}

inline constexpr int errc_count = static_cast<int>(errc::associate_unavailable);

}  // namespace confidant::wire

template <>
struct boost::system::is_error_code_enum<confidant::wire::errc> : std::true_type {};
