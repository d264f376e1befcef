#pragma once

#include "schema/wire/envelope.hpp"
#include "server/rules/clock.hpp"
#include "server/service/metrics.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace confidant::service {

// What the server says about itself in `hello`.
struct server_info {
  std::string tenant;
  std::string server;  // "confidantd/<version>"
  std::int64_t max_frame_bytes = 0;
  std::int64_t idle_timeout_seconds = 0;
};

// State one connection carries between requests (the authenticated device comes with accounts).
struct connection_state {
  bool greeted = false;
};

// Turns one text frame into exactly one answer frame. The answer may come later and from another
// thread (a store write completes on the writer thread): `reply` must be safe to call from any
// thread, and is called exactly once per frame.
class dispatcher {
 public:
  using reply_fn = std::function<void(std::string frame)>;

  dispatcher(const rules::clock& clock, server_info info, metrics& m);

  void handle(std::string_view frame, connection_state& conn, const reply_fn& reply);

  // An answer for a frame the transport refused before dispatch (e.g. a binary frame); counted.
  [[nodiscard]] std::string refuse(const wire::failure& f);

 private:
  [[nodiscard]] std::string hello(const wire::request& req, connection_state& conn);

  const rules::clock& clock_;
  server_info info_;
  metrics& metrics_;
};

}  // namespace confidant::service
