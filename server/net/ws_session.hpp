#pragma once

#include "server/net/context.hpp"
#include "server/net/routes.hpp"
#include "server/service/connection.hpp"
#include "server/service/peer.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <deque>
#include <memory>
#include <optional>
#include <string>

namespace confidant::net {

// One WebSocket connection (STYLE.md 3): its own strand (the stream's executor), exactly one
// write in flight fed from a bounded queue of shared immutable frames, one read at a time, and
// every request answered through the dispatcher.
template <class Stream>
class ws_session final : public session_handle,
                         public service::peer,
                         public std::enable_shared_from_this<ws_session<Stream>> {
 public:
  ws_session(Stream&& stream, context& ctx, socket_slot slot);
  ~ws_session() override;

  // Completes the upgrade for `req` (already checked by check_upgrade) and starts reading.
  void run(http_request req);

  // service::peer, all thread-safe: queue a text frame; close with a code; run on the strand.
  void send(std::shared_ptr<const std::string> frame) override;
  void close(std::uint16_t code, std::string reason) override;
  void dispatch(std::function<void()> fn) override;
  // Thread-safe. Sends a close frame after what is queued.
  void close(boost::beast::websocket::close_reason reason) override;

 private:
  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void enqueue(std::shared_ptr<const std::string> frame);
  void do_write();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void do_close();

  boost::beast::websocket::stream<Stream> ws_;
  context& ctx_;
  socket_slot slot_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::optional<boost::beast::websocket::close_reason> close_pending_;
  std::shared_ptr<service::connection> conn_;
  bool accepted_ = false;
  bool writing_ = false;
  bool closing_ = false;
};

}  // namespace confidant::net
