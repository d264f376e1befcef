#pragma once

#include "server/net/context.hpp"
#include "server/net/routes.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>

#include <memory>
#include <optional>

namespace confidant::net {

// One HTTP connection (plain or after its TLS handshake): answers /healthz, /readyz and /metrics,
// keeps alive, and hands a valid WebSocket upgrade on /v1/ws over to a ws_session.
template <class Stream>
class http_session final : public std::enable_shared_from_this<http_session<Stream>> {
 public:
  http_session(Stream&& stream, context& ctx, socket_slot slot);
  void run();

 private:
  void on_handshake(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void write(http_response res);
  void on_write(bool close, boost::beast::error_code ec, std::size_t bytes);
  void do_eof();

  Stream stream_;
  context& ctx_;
  socket_slot slot_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<http_response> pending_;
};

}  // namespace confidant::net
