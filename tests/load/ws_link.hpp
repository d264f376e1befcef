#pragma once

// One client WebSocket connection of the load generator, on an io_context that a single thread
// runs (so no strand is needed: every callback of a link runs on that thread). Exactly one write
// in flight, fed from a queue; one read always outstanding once open. Beast stays in the .cpp.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace confidant::load {

struct link_handlers {
  std::function<void()> on_open;
  // The frame is valid during the call only.
  std::function<void(std::string_view frame)> on_frame;
  // close_code is the peer's WebSocket close code (0 when the TCP connection just ended or the
  // connect/handshake failed); `what` says which step failed.
  std::function<void(int close_code, const std::string& what)> on_close;
};

struct link_target {
  boost::asio::ip::tcp::endpoint endpoint;
  std::string host;         // Host header, e.g. "127.0.0.1:8080"
  std::string path;         // "/v1/ws"
  std::string subprotocol;  // empty: none offered
  bool binary = false;      // binary frames (the relay) or text frames (Confidant)
};

class ws_link : public std::enable_shared_from_this<ws_link> {
 public:
  static std::shared_ptr<ws_link> create(boost::asio::io_context& ioc);
  ~ws_link();
  ws_link(const ws_link&) = delete;
  ws_link& operator=(const ws_link&) = delete;

  // Connects and upgrades; on_open, then on_frame per message, then on_close once.
  void open(const link_target& target, link_handlers handlers);
  // Queues one message (dropped when the link is not open).
  void send(std::string frame);
  void send(std::shared_ptr<const std::string> frame);
  // A close frame (1000) after what is queued; on_close follows.
  void close();
  [[nodiscard]] bool is_open() const noexcept;
  [[nodiscard]] std::size_t queued() const noexcept;

 private:
  struct impl;
  explicit ws_link(boost::asio::io_context& ioc);
  void do_read();
  void do_write();
  // Ends the link once: tells the owner, then drops the handlers (they may hold the owner).
  void end(int code, const std::string& what);
  std::unique_ptr<impl> impl_;
};

}  // namespace confidant::load
