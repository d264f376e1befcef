#pragma once

#include "schema/wire/envelope.hpp"
#include "server/service/backend.hpp"
#include "server/service/connection.hpp"
#include "server/service/peer.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace confidant::service {

// Turns each text frame of a connection into exactly one answer (protocol.md 3, 7.2): parses the
// envelope, checks the connection's state, and hands the request to its handler. Answers and
// events go out through the connection's peer, possibly later and from another thread.
class dispatcher {
 public:
  explicit dispatcher(backend& b) : backend_(b) {}

  // A new connection from `address` (used for throttling only; never logged).
  [[nodiscard]] std::shared_ptr<connection> open(std::weak_ptr<peer> p, std::string address);
  // Handles one frame; runs on the connection's strand.
  void handle(std::string_view frame, const std::shared_ptr<connection>& c);
  // The connection has ended: its device is no longer online.
  void closed(const connection& c);

  // An answer for a frame the transport refused before dispatch (e.g. a binary frame); counted.
  [[nodiscard]] std::string refuse(const wire::failure& f);

  [[nodiscard]] backend& state() noexcept { return backend_; }

 private:
  void hello(const wire::request& req, connection& c);

  backend& backend_;
};

}  // namespace confidant::service
