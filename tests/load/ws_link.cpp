#include "tests/load/ws_link.hpp"

#include <boost/asio/connect.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>

namespace confidant::load {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

struct ws_link::impl {
  explicit impl(asio::io_context& ioc) : ws(ioc) {}
  websocket::stream<beast::tcp_stream> ws;
  beast::flat_buffer in;
  std::deque<std::shared_ptr<const std::string>> out;
  link_handlers h;
  link_target target;
  bool open = false;
  bool writing = false;
  bool closing = false;
  bool ended = false;
};

ws_link::ws_link(asio::io_context& ioc) : impl_(std::make_unique<impl>(ioc)) {}
ws_link::~ws_link() = default;

std::shared_ptr<ws_link> ws_link::create(asio::io_context& ioc) {
  return std::shared_ptr<ws_link>(new ws_link(ioc));
}

bool ws_link::is_open() const noexcept { return impl_->open && !impl_->ended; }
std::size_t ws_link::queued() const noexcept { return impl_->out.size(); }

void ws_link::open(const link_target& target, link_handlers handlers) {
  auto& p = *impl_;
  p.h = std::move(handlers);
  p.target = target;
  auto self = shared_from_this();
  auto& tcp = beast::get_lowest_layer(p.ws);
  tcp.expires_after(std::chrono::seconds{30});
  tcp.async_connect(target.endpoint, [self](beast::error_code ec) {
    auto& q = *self->impl_;
    if (ec) return self->end(0, "connect: " + ec.message());
    beast::get_lowest_layer(q.ws).expires_never();
    beast::get_lowest_layer(q.ws).socket().set_option(asio::ip::tcp::no_delay(true));
    websocket::stream_base::timeout t = websocket::stream_base::timeout::suggested(beast::role_type::client);
    t.handshake_timeout = std::chrono::seconds{30};
    q.ws.set_option(t);
    if (!q.target.subprotocol.empty()) {
      q.ws.set_option(websocket::stream_base::decorator(
          [proto = q.target.subprotocol](websocket::request_type& req) {
            req.set(beast::http::field::sec_websocket_protocol, proto);
          }));
    }
    q.ws.binary(q.target.binary);
    // Compression stays off (permessage-deflate is not negotiated unless asked for).
    q.ws.async_handshake(q.target.host, q.target.path, [self](beast::error_code e) {
      auto& r = *self->impl_;
      if (e) return self->end(0, "handshake: " + e.message());
      r.open = true;
      if (r.h.on_open) r.h.on_open();
      self->do_read();
      self->do_write();
    });
  });
}

void ws_link::do_read() {
  auto self = shared_from_this();
  impl_->ws.async_read(impl_->in, [self](beast::error_code ec, std::size_t) {
    auto& p = *self->impl_;
    if (ec) {
      const int code = ec == websocket::error::closed ? static_cast<int>(p.ws.reason().code) : 0;
      return self->end(code, ec == websocket::error::closed ? "closed by the peer" : "read: " + ec.message());
    }
    const auto data = p.in.cdata();
    if (p.h.on_frame) p.h.on_frame(std::string_view{static_cast<const char*>(data.data()), data.size()});
    p.in.consume(p.in.size());
    if (!p.ended) self->do_read();
  });
}

void ws_link::send(std::string frame) { send(std::make_shared<const std::string>(std::move(frame))); }

void ws_link::send(std::shared_ptr<const std::string> frame) {
  auto& p = *impl_;
  if (p.ended || p.closing) return;
  p.out.push_back(std::move(frame));
  if (p.open) do_write();
}

void ws_link::do_write() {
  auto& p = *impl_;
  if (p.writing || p.ended) return;
  if (p.out.empty()) {
    if (p.closing) {
      p.writing = true;
      auto self = shared_from_this();
      p.ws.async_close(websocket::close_code::normal, [self](beast::error_code) { self->impl_->writing = false; });
    }
    return;
  }
  p.writing = true;
  auto self = shared_from_this();
  p.ws.async_write(asio::buffer(*p.out.front()), [self](beast::error_code ec, std::size_t) {
    auto& q = *self->impl_;
    q.writing = false;
    if (ec) return self->end(0, "write: " + ec.message());
    q.out.pop_front();
    self->do_write();
  });
}

void ws_link::close() {
  auto& p = *impl_;
  if (p.ended || p.closing) return;
  p.closing = true;
  if (!p.open) {
    beast::error_code ignored;
    beast::get_lowest_layer(p.ws).socket().close(ignored);
    return;
  }
  do_write();
}

void ws_link::end(int code, const std::string& what) {
  auto& p = *impl_;
  if (p.ended) return;
  p.ended = true;
  if (p.closing) code = 1000;  // we asked for the close: however it ended, it is a normal one
  p.out.clear();
  beast::error_code ignored;
  beast::get_lowest_layer(p.ws).socket().close(ignored);
  auto h = std::move(p.h);
  p.h = {};
  if (h.on_close) h.on_close(code, what);
}

}  // namespace confidant::load
