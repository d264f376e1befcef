#include "server/net/http_session.hpp"

#include "server/net/streams.hpp"
#include "server/net/ws_session.hpp"

#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <spdlog/spdlog.h>

#include <type_traits>

namespace confidant::net {
namespace beast = boost::beast;
namespace http = boost::beast::http;

namespace {
constexpr std::size_t max_request_body = 1024;  // every route is a GET
}

template <class Stream>
http_session<Stream>::http_session(Stream&& stream, context& ctx, socket_slot slot)
    : stream_(std::move(stream)), ctx_(ctx), slot_(std::move(slot)) {}

template <class Stream>
void http_session<Stream>::run() {
  beast::get_lowest_layer(stream_).expires_after(ctx_.opts.handshake_timeout);
  if constexpr (std::is_same_v<Stream, tls_stream>) {
    stream_.async_handshake(boost::asio::ssl::stream_base::server,
                            beast::bind_front_handler(&http_session::on_handshake, this->shared_from_this()));
  } else {
    do_read();
  }
}

template <class Stream>
void http_session<Stream>::on_handshake(beast::error_code ec) {
  if (ec) {
    spdlog::debug("event=tls_handshake_failed error=\"{}\"", ec.message());
    return;
  }
  do_read();
}

template <class Stream>
void http_session<Stream>::do_read() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(ctx_.opts.max_http_header_bytes));
  parser_->body_limit(max_request_body);
  beast::get_lowest_layer(stream_).expires_after(ctx_.opts.handshake_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&http_session::on_read, this->shared_from_this()));
}

template <class Stream>
void http_session<Stream>::on_read(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream) return do_eof();
  if (ec) {
    spdlog::debug("event=http_read_failed error=\"{}\"", ec.message());
    return;
  }
  auto& req = parser_->get();
  if (beast::websocket::is_upgrade(req)) {
    if (auto refusal = check_upgrade(req)) {
      refusal->keep_alive(false);
      ctx_.metrics.http_request();
      return write(std::move(*refusal));
    }
    beast::get_lowest_layer(stream_).expires_never();  // the WebSocket sets its own timeouts
    std::make_shared<ws_session<Stream>>(std::move(stream_), ctx_, std::move(slot_))->run(parser_->release());
    return;
  }
  write(handle_http(req, {ctx_.metrics, ctx_.ready}));
}

template <class Stream>
void http_session<Stream>::write(http_response res) {
  pending_ = std::make_shared<http_response>(std::move(res));
  const bool close = pending_->need_eof();
  http::async_write(stream_, *pending_,
                    beast::bind_front_handler(&http_session::on_write, this->shared_from_this(), close));
}

template <class Stream>
void http_session<Stream>::on_write(bool close, beast::error_code ec, std::size_t) {
  pending_.reset();
  if (ec) return;
  if (close) return do_eof();
  do_read();
}

template <class Stream>
void http_session<Stream>::do_eof() {
  if constexpr (std::is_same_v<Stream, tls_stream>) {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
  } else {
    beast::error_code ec;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
  }
}

template class http_session<plain_stream>;
template class http_session<tls_stream>;

}  // namespace confidant::net
