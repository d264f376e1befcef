#pragma once

#include "server/net/context.hpp"
#include "server/net/options.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/system/result.hpp>

#include <functional>
#include <memory>
#include <string>

namespace confidant::net {

class listener;

// The network side of confidantd: one listener (TLS when certificate files are configured) and
// every session it starts. Runs on the caller's io_context.
class server {
 public:
  server(boost::asio::io_context& ioc, const options& opts, service::dispatcher& dispatcher,
         service::metrics& metrics, std::function<bool()> ready);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Loads TLS files, binds and starts accepting. Returns the bound endpoint (port 0 is resolved),
  // or a message for the operator naming what failed.
  [[nodiscard]] boost::system::result<boost::asio::ip::tcp::endpoint, std::string> start();

  // Thread-safe. Stops accepting and sends every WebSocket a close frame (1001, going away).
  void shutdown();

  [[nodiscard]] bool tls() const noexcept { return tls_ != nullptr; }
  [[nodiscard]] std::size_t open_sockets() const noexcept { return ctx_.sockets.load(); }

 private:
  boost::asio::io_context& ioc_;
  context ctx_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
  std::shared_ptr<listener> listener_;
};

}  // namespace confidant::net
