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
};

[[nodiscard]] const boost::system::error_category& category() noexcept;
[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), category()};
}

}  // namespace confidant::client

template <>
struct boost::system::is_error_code_enum<confidant::client::errc> : std::true_type {};
