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
