#include "server/net/server.hpp"

#include "server/net/listener.hpp"
#include "server/net/tls_context.hpp"

namespace confidant::net {
namespace asio = boost::asio;

server::server(asio::io_context& ioc, const options& opts, service::dispatcher& dispatcher,
               service::metrics& metrics, std::function<bool()> ready)
    : ioc_(ioc), ctx_{opts, dispatcher, metrics, std::move(ready), {}, {}} {}

server::~server() = default;

boost::system::result<asio::ip::tcp::endpoint, std::string> server::start() {
  const auto& opts = ctx_.opts;
  if (opts.tls) {
    auto tls = make_tls_context(*opts.tls);
    if (!tls) return tls.error();
    tls_ = std::move(*tls);
  }
  listener_ = std::make_shared<listener>(ioc_, ctx_, tls_.get());
  if (auto ec = listener_->open(opts.listen)) {
    return "cannot listen on " + opts.listen.address().to_string() + ":" + std::to_string(opts.listen.port()) +
           ": " + ec.message();
  }
  listener_->start();
  return listener_->local_endpoint();
}

void server::shutdown() {
  if (listener_) listener_->stop();
  ctx_.sessions.close_all({boost::beast::websocket::close_code::going_away, "server shutting down"});
}

}  // namespace confidant::net
