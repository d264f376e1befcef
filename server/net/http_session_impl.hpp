#pragma once

// The member definitions of http_session<Stream>. Included by http_session.cpp, which
// instantiates the plain and TLS sessions, and by tests and fuzzers that instantiate it on
// boost::beast::test::stream (which has no timer and no socket: those steps are skipped).

#include "server/net/http_session.hpp"

#include "server/net/streams.hpp"
#include "server/net/ws_session.hpp"

#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <type_traits>

namespace confidant::net {

namespace detail {
inline constexpr std::size_t max_request_body = 1024;  // every route is a GET

// The lowest layer's deadline, when it has one (tcp_stream does; Beast's test stream does not).
template <class Lowest>
void expires_after(Lowest& lowest, std::chrono::seconds d) {
  if constexpr (requires { lowest.expires_after(d); }) lowest.expires_after(d);
}
template <class Lowest>
void expires_never(Lowest& lowest) {
  if constexpr (requires { lowest.expires_never(); }) lowest.expires_never();
}
}  // namespace detail

template <class Stream>
http_session<Stream>::http_session(Stream&& stream, context& ctx, socket_slot slot)
    : stream_(std::move(stream)), ctx_(ctx), slot_(std::move(slot)) {}

template <class Stream>
void http_session<Stream>::run() {
  detail::expires_after(boost::beast::get_lowest_layer(stream_), ctx_.opts.handshake_timeout);
  if constexpr (std::is_same_v<Stream, tls_stream>) {
    stream_.async_handshake(boost::asio::ssl::stream_base::server,
                            boost::beast::bind_front_handler(&http_session::on_handshake, this->shared_from_this()));
  } else {
    do_read();
  }
}

template <class Stream>
void http_session<Stream>::on_handshake(boost::beast::error_code ec) {
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
  parser_->body_limit(detail::max_request_body);
  detail::expires_after(boost::beast::get_lowest_layer(stream_), ctx_.opts.handshake_timeout);
  boost::beast::http::async_read(stream_, buffer_, *parser_,
                                 boost::beast::bind_front_handler(&http_session::on_read, this->shared_from_this()));
}

template <class Stream>
void http_session<Stream>::on_read(boost::beast::error_code ec, std::size_t) {
  if (ec == boost::beast::http::error::end_of_stream) return do_eof();
  if (ec) {
    spdlog::debug("event=http_read_failed error=\"{}\"", ec.message());
    return;
  }
  auto& req = parser_->get();
  if (boost::beast::websocket::is_upgrade(req)) {
    if (auto refusal = check_upgrade(req, ctx_.opts.allowed_origins)) {
      refusal->keep_alive(false);
      ctx_.metrics.http_request();
      return write(std::move(*refusal));
    }
    detail::expires_never(boost::beast::get_lowest_layer(stream_));  // the WebSocket sets its own timeouts
    std::make_shared<ws_session<Stream>>(std::move(stream_), ctx_, std::move(slot_))->run(parser_->release());
    return;
  }
  write(handle_http(req, {ctx_.metrics, ctx_.ready}));
}

template <class Stream>
void http_session<Stream>::write(http_response res) {
  pending_ = std::make_shared<http_response>(std::move(res));
  const bool close = pending_->need_eof();
  boost::beast::http::async_write(
      stream_, *pending_, boost::beast::bind_front_handler(&http_session::on_write, this->shared_from_this(), close));
}

template <class Stream>
void http_session<Stream>::on_write(bool close, boost::beast::error_code ec, std::size_t) {
  pending_.reset();
  if (ec) return;
  if (close) return do_eof();
  do_read();
}

template <class Stream>
void http_session<Stream>::do_eof() {
  if constexpr (std::is_same_v<Stream, tls_stream>) {
    boost::beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    stream_.async_shutdown([self = this->shared_from_this()](boost::beast::error_code) {});
  } else if constexpr (requires { stream_.socket(); }) {
    boost::beast::error_code ec;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
  } else {
    stream_.close();  // Beast's test stream: the peer reads what is left, then end of stream
  }
}

}  // namespace confidant::net
