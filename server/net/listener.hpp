#pragma once

#include "server/net/context.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>

namespace confidant::net {

// Accepts connections and starts an http_session on its own strand for each; refuses sockets
// beyond options::max_connections by closing them at once.
class listener final : public std::enable_shared_from_this<listener> {
 public:
  listener(boost::asio::io_context& ioc, context& ctx, boost::asio::ssl::context* tls);

  // Binds and listens. Fails with the socket error (address in use, permission denied).
  [[nodiscard]] boost::system::error_code open(const boost::asio::ip::tcp::endpoint& at);
  [[nodiscard]] boost::asio::ip::tcp::endpoint local_endpoint() const;
  void start();
  // Thread-safe: stops accepting; connections already open are not touched.
  void stop();

 private:
  void do_accept();
  void on_accept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  context& ctx_;
  boost::asio::ssl::context* tls_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer backoff_;
};

}  // namespace confidant::net
