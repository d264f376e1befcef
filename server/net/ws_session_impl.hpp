#pragma once

// The member definitions of ws_session<Stream>. Included by ws_session.cpp, which instantiates
// the plain and TLS sessions, and by tests that instantiate it on boost::beast::test::stream.

#include "server/net/ws_session.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/field.hpp>
#include <spdlog/spdlog.h>

#include <iterator>
#include <utility>

namespace confidant::net {
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

// The peer's address for per-address limits: a TCP socket's remote address, or "test" for a
// test stream. Never logged.
template <class Lowest>
std::string remote_address(Lowest& lowest) {
  if constexpr (requires { lowest.socket().remote_endpoint(); }) {
    boost::system::error_code ec;
    const auto ep = lowest.socket().remote_endpoint(ec);
    return ec ? std::string{"unknown"} : ep.address().to_string();
  } else if constexpr (requires { lowest.remote_endpoint(); }) {
    boost::system::error_code ec;
    const auto ep = lowest.remote_endpoint(ec);
    return ec ? std::string{"unknown"} : ep.address().to_string();
  } else {
    return "test";
  }
}

template <class Stream>
ws_session<Stream>::ws_session(Stream&& stream, context& ctx, socket_slot slot)
    : ws_(std::move(stream)), ctx_(ctx), slot_(std::move(slot)) {}

template <class Stream>
ws_session<Stream>::~ws_session() {
  ctx_.sessions.leave(this);
  if (conn_) ctx_.dispatcher.closed(*conn_);
  if (accepted_) ctx_.metrics.connection_closed();
}

template <class Stream>
void ws_session<Stream>::run(http_request req) {
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = ctx_.opts.handshake_timeout;
  timeouts.idle_timeout = ctx_.opts.idle_timeout;
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.read_message_max(ctx_.opts.max_frame_bytes);
  ws_.auto_fragment(false);
  ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
    res.set(beast::http::field::server, "confidantd");
    res.set(beast::http::field::sec_websocket_protocol, wire::subprotocol);
  }));
  ws_.async_accept(req, beast::bind_front_handler(&ws_session::on_accept, this->shared_from_this()));
}

template <class Stream>
void ws_session<Stream>::on_accept(beast::error_code ec) {
  if (ec) {
    spdlog::debug("event=ws_accept_failed error=\"{}\"", ec.message());
    return;
  }
  accepted_ = true;
  ctx_.metrics.connection_opened();
  conn_ = ctx_.dispatcher.open(this->weak_from_this(), remote_address(beast::get_lowest_layer(ws_)));
  if (!ctx_.sessions.join(this->shared_from_this())) {
    close_pending_ = websocket::close_reason{websocket::close_code::going_away, "server shutting down"};
    do_close();
  }
  do_read();
}

template <class Stream>
void ws_session<Stream>::do_read() {
  ws_.async_read(buffer_, beast::bind_front_handler(&ws_session::on_read, this->shared_from_this()));
}

template <class Stream>
void ws_session<Stream>::on_read(beast::error_code ec, std::size_t) {
  if (ec) {
    // closed: the peer's close handshake; message_too_big: Beast has already sent close 1009.
    if (ec != websocket::error::closed) spdlog::debug("event=ws_read_ended error=\"{}\"", ec.message());
    return;
  }
  if (closing_) return;  // a close is under way: read nothing more
  if (!ws_.got_text()) {
    buffer_.consume(buffer_.size());
    enqueue(std::make_shared<const std::string>(ctx_.dispatcher.refuse(
        {wire::errc::frame_not_text, "frames must be UTF-8 JSON text; binary frames are not defined", {}})));
    do_read();
    return;
  }
  const auto frame = beast::buffers_to_string(buffer_.data());
  buffer_.consume(buffer_.size());
  ctx_.dispatcher.handle(frame, conn_);
  do_read();
}

template <class Stream>
void ws_session<Stream>::send(std::shared_ptr<const std::string> frame) {
  boost::asio::post(ws_.get_executor(),
                    [self = this->shared_from_this(), frame = std::move(frame)]() mutable { self->enqueue(std::move(frame)); });
}

template <class Stream>
void ws_session<Stream>::enqueue(std::shared_ptr<const std::string> frame) {
  if (closing_ || close_pending_) return;
  if (queue_.size() >= ctx_.opts.max_outgoing_frames) {
    spdlog::warn("event=ws_slow_reader action=close");
    // Drop what waits, but never the frame an async_write is still sending.
    queue_.erase(writing_ ? std::next(queue_.begin()) : queue_.begin(), queue_.end());
    close_pending_ = websocket::close_reason{websocket::close_code::policy_error, "outgoing queue full"};
    if (!writing_) do_close();
    return;
  }
  queue_.push_back(std::move(frame));
  if (!writing_) do_write();
}

template <class Stream>
void ws_session<Stream>::do_write() {
  writing_ = true;
  ws_.text(true);
  ws_.async_write(boost::asio::buffer(*queue_.front()),
                  beast::bind_front_handler(&ws_session::on_write, this->shared_from_this()));
}

template <class Stream>
void ws_session<Stream>::on_write(beast::error_code ec, std::size_t) {
  writing_ = false;
  if (ec) {
    spdlog::debug("event=ws_write_failed error=\"{}\"", ec.message());
    queue_.clear();
    return;
  }
  if (!queue_.empty()) queue_.pop_front();
  if (!queue_.empty()) {
    do_write();
  } else if (close_pending_) {
    do_close();
  }
}

template <class Stream>
void ws_session<Stream>::close(std::uint16_t code, std::string reason) {
  websocket::close_reason r;
  r.code = code;
  r.reason = std::move(reason);
  close(std::move(r));
}

template <class Stream>
void ws_session<Stream>::dispatch(std::function<void()> fn) {
  boost::asio::post(ws_.get_executor(), [self = this->shared_from_this(), fn = std::move(fn)] { fn(); });
}

template <class Stream>
void ws_session<Stream>::close(websocket::close_reason reason) {
  boost::asio::post(ws_.get_executor(), [self = this->shared_from_this(), reason]() mutable {
    if (self->closing_ || self->close_pending_) return;
    self->close_pending_ = std::move(reason);
    if (!self->writing_) self->do_close();
  });
}

template <class Stream>
void ws_session<Stream>::do_close() {
  if (closing_) return;
  closing_ = true;
  ws_.async_close(*close_pending_, [self = this->shared_from_this()](beast::error_code ec) {
    if (ec) spdlog::debug("event=ws_close_failed error=\"{}\"", ec.message());
  });
}

}  // namespace confidant::net
