#pragma once

#include "client/lib/errc.hpp"
#include "client/lib/failure.hpp"
#include "client/lib/url.hpp"
#include "schema/wire/envelope.hpp"

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::client {

// `ws` is an inline namespace only to give this class its own link-time name: the local store
// has a private `confidant::client::connection` (its SQLCipher connection, client/store/
// connection.hpp) and two classes of one name in one program are an ODR violation (the linker
// merged their destructors). Code still names it client::connection.
inline namespace ws {

// One connection to a Confidant server. Each call runs the connection's own io_context until
// the operation completes or its deadline passes (the I/O underneath is Asio's asynchronous
// operations with timeouts); one connection is used from one thread at a time.
//
// Once the WebSocket is open one read is always outstanding: whatever arrives while a call runs
// (answers, events, pings, the server's close) is read then, answers are matched to their call
// by rid and events are queued for next_event()/take_events(). Between calls nothing runs, so a
// caller that waits should wait in next_event(), which also answers the server's pings.
class connection {
 public:
  struct options {
    std::string ca_file;  // PEM bundle to trust instead of the system's (wss only)
    std::chrono::milliseconds timeout{10'000};
  };
  // What went wrong: a code to act on, and a sentence for a person naming the server.
  using failure = client::failure;
  template <class T>
  using result = outcome<T>;

  // Resolves, connects, does TLS for wss:// (verifying the certificate and host name), and
  // upgrades to WebSocket with subprotocol confidant.v1.
  [[nodiscard]] static result<std::unique_ptr<connection>> open(const server_url& url, const options& opts);

  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // Sends one request and waits for the answer carrying its rid; events that arrive meanwhile
  // are kept for take_events(). An `error` answer is a successful call: check response.type.
  [[nodiscard]] result<wire::response> call(std::string_view type, boost::json::object fields = {});

  // Sends a raw text frame (for tests of malformed input) and waits for the next answer.
  [[nodiscard]] result<wire::response> call_raw(std::string_view frame);

  [[nodiscard]] std::vector<wire::response> take_events();

  // The next event: one already queued, else waits up to `timeout` for one. nullopt when none
  // came in time (the connection is still usable); a failure when the connection ended (the
  // server's close code, e.g. 4001 device removed, is in failure::close_code).
  [[nodiscard]] result<std::optional<wire::response>> next_event(std::chrono::milliseconds timeout);

  // True until the connection failed or was closed.
  [[nodiscard]] bool is_open() const;

  // Sends a close frame (1000) and waits briefly for the server's.
  void close();

 private:
  struct impl;
  explicit connection(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace ws
}  // namespace confidant::client
