#include "server/net/server.hpp"

#include "server/net/listener.hpp"

namespace confidant::net {
namespace asio = boost::asio;

server::server(asio::io_context& ioc, const options& opts, service::dispatcher& dispatcher,
               service::metrics& metrics, std::function<bool()> ready)
    : ioc_(ioc), ctx_{opts, dispatcher, metrics, std::move(ready), {}, {}} {}

server::~server() = default;

boost::system::result<asio::ip::tcp::endpoint, std::string> server::start() {
  const auto& opts = ctx_.opts;
  if (opts.tls) {
    tls_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    tls_->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                      asio::ssl::context::single_dh_use);
    boost::system::error_code ec;
    tls_->use_certificate_chain_file(opts.tls->certificate_chain.string(), ec);
    if (ec) return "cannot load TLS certificate chain " + opts.tls->certificate_chain.string() + ": " + ec.message();
    tls_->use_private_key_file(opts.tls->private_key.string(), asio::ssl::context::pem, ec);
    if (ec) return "cannot load TLS private key " + opts.tls->private_key.string() + ": " + ec.message();
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
