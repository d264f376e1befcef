#pragma once

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace confidant::client {

// Why a client operation failed, in terms a person can act on.
enum class errc {
  cannot_resolve = 1,  // the host name does not resolve
  refused,             // nothing listens there
  timed_out,           // no answer in time
  tls_failed,          // TLS handshake failed (certificate, or not a TLS server)
  upgrade_refused,     // the server answered HTTP but refused the WebSocket upgrade
  not_confidant,       // the server did not speak confidant.v1
  closed,              // the connection closed before the answer
  protocol_error,      // the answer was not a valid protocol frame
  // Revision 2: accounts and messaging.
  error_answer,         // the server answered with an error code (failure::server_code)
  device_removed,       // the server closed with 4001: this device was removed
  account_disabled,     // the server closed with 4002: the account was disabled
  logged_in_elsewhere,  // the server closed with 4003: this device logged in on another connection
  server_key_changed,   // hello's server_key differs from the one pinned at registration
  identity_changed,     // a contact's device identity changed: compare safety numbers again
  unknown_contact,      // no contact by that id or name
  ambiguous_contact,    // several contacts have that display name
  bad_answer,           // an ok answer lacks a field the protocol promises, or holds a bad value
  undeliverable,        // a send could not be matched to the recipient's devices after retries
  // Revision 4: safeguarding flags.
  invalid_request,      // the request cannot be made as asked (a message that cannot be quoted, a text too long)
};

[[nodiscard]] const boost::system::error_category& category() noexcept;
[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), category()};
}

}  // namespace confidant::client

template <>
struct boost::system::is_error_code_enum<confidant::client::errc> : std::true_type {};
