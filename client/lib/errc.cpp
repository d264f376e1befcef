#include "client/lib/errc.hpp"

#include <string>

namespace confidant::client {
namespace {

class category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "confidant.client"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::cannot_resolve: return "cannot resolve the server's host name";
      case errc::refused: return "connection refused (is confidantd running there?)";
      case errc::timed_out: return "timed out waiting for the server";
      case errc::tls_failed: return "TLS handshake failed";
      case errc::upgrade_refused: return "the server refused the WebSocket upgrade";
      case errc::not_confidant: return "the server does not speak confidant.v1";
      case errc::closed: return "the connection closed before the answer arrived";
      case errc::protocol_error: return "the server's answer is not a valid confidant.v1 frame";
      case errc::error_answer: return "the server refused the request";
      case errc::device_removed: return "this device was removed from the account";
      case errc::account_disabled: return "the account was disabled";
      case errc::logged_in_elsewhere: return "this device logged in on another connection";
      case errc::server_key_changed: return "the server's key changed since registration";
      case errc::identity_changed: return "a contact's device identity changed";
      case errc::unknown_contact: return "no such contact";
      case errc::ambiguous_contact: return "several contacts have that name";
      case errc::bad_answer: return "the server's answer lacks a field or holds a bad value";
      case errc::undeliverable: return "the message could not be matched to the recipient's devices";
      case errc::invalid_request: return "the request cannot be made as asked";
    }
    return "unknown client error";
  }
};

}  // namespace

const boost::system::error_category& category() noexcept {
  static const category_impl instance;
  return instance;
}

}  // namespace confidant::client
