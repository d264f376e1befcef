#include "server/net/listener.hpp"

#include "server/net/http_session.hpp"
#include "server/net/streams.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <spdlog/spdlog.h>

namespace confidant::net {
namespace asio = boost::asio;
namespace beast = boost::beast;

listener::listener(asio::io_context& ioc, context& ctx, asio::ssl::context* tls)
    : ioc_(ioc), ctx_(ctx), tls_(tls), acceptor_(asio::make_strand(ioc)), backoff_(acceptor_.get_executor()) {}

boost::system::error_code listener::open(const asio::ip::tcp::endpoint& at) {
  boost::system::error_code ec;
  acceptor_.open(at.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(at, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  return ec;
}

asio::ip::tcp::endpoint listener::local_endpoint() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void listener::start() {
  asio::dispatch(acceptor_.get_executor(), beast::bind_front_handler(&listener::do_accept, shared_from_this()));
}

void listener::stop() {
  asio::dispatch(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ec;
    self->acceptor_.close(ec);
    self->backoff_.cancel();
  });
}

void listener::do_accept() {
  acceptor_.async_accept(asio::make_strand(ioc_), beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::on_accept(boost::system::error_code ec, asio::ip::tcp::socket socket) {
  if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    // Out of file descriptors or memory: pause instead of spinning on the same error.
    spdlog::warn("event=accept_failed error=\"{}\" retry_ms=100", ec.message());
    backoff_.expires_after(std::chrono::milliseconds{100});
    backoff_.async_wait([self = shared_from_this()](boost::system::error_code wait_ec) {
      if (!wait_ec) self->do_accept();
    });
    return;
  }
  if (ctx_.sockets.load() >= ctx_.opts.max_connections) {
    spdlog::warn("event=connection_refused reason=max_connections");
    socket.close(ec);
  } else {
    socket.set_option(asio::ip::tcp::no_delay(true), ec);
    socket_slot slot{ctx_};
    if (tls_) {
      std::make_shared<http_session<tls_stream>>(tls_stream{std::move(socket), *tls_}, ctx_, std::move(slot))->run();
    } else {
      std::make_shared<http_session<plain_stream>>(plain_stream{std::move(socket)}, ctx_, std::move(slot))->run();
    }
  }
  do_accept();
}

}  // namespace confidant::net
