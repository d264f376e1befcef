#pragma once

#include "server/net/server.hpp"
#include "server/rules/clock.hpp"
#include "server/service/dispatcher.hpp"
#include "server/service/metrics.hpp"
#include "tests/support/test_backend.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/time.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

namespace confidant::test {

// The real network server on 127.0.0.1:0, on its own io_context thread, with a fixed clock.
class test_server {
 public:
  explicit test_server(net::options opts = {}) : opts_(std::move(opts)) {
    opts_.listen = {boost::asio::ip::make_address("127.0.0.1"), 0};
    server_ = std::make_unique<net::server>(ioc_, opts_, *backend_.dispatcher, metrics_, [this] { return ready.load(); });
    auto bound = server_->start();
    if (!bound) throw std::runtime_error(bound.error());
    port_ = bound->port();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~test_server() {
    server_->shutdown();
    for (int i = 0; i < 200 && server_->open_sockets() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds{10});
    ioc_.stop();
    thread_.join();
  }
  [[nodiscard]] unsigned short port() const { return port_; }
  [[nodiscard]] std::string url() const { return "ws://127.0.0.1:" + std::to_string(port_); }
  net::server& server() { return *server_; }
  service::metrics& metrics() { return metrics_; }
  test_backend& backend() { return backend_; }

  std::atomic<bool> ready{true};

 private:
  net::options opts_;
  boost::asio::io_context ioc_;
  service::metrics metrics_;
  test_backend backend_{metrics_};
  std::unique_ptr<net::server> server_;
  unsigned short port_ = 0;
  std::thread thread_;
};

// A plain HTTP GET (or another verb) with Beast's synchronous client.
inline boost::beast::http::response<boost::beast::http::string_body> http_get(
    unsigned short port, std::string target, boost::beast::http::verb verb = boost::beast::http::verb::get) {
  namespace http = boost::beast::http;
  boost::asio::io_context ioc;
  boost::beast::tcp_stream s{ioc};
  s.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  http::request<http::string_body> req{verb, target, 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(s, req);
  boost::beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(s, buf, res);
  return res;
}

// A raw WebSocket client (no Confidant client logic), for frames the real client never sends.
struct raw_ws {
  boost::asio::io_context ioc;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws{ioc};
  boost::beast::flat_buffer buf;

  explicit raw_ws(unsigned short port, const char* subprotocol = "confidant.v1") {
    ws.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), port});
    ws.set_option(boost::beast::websocket::stream_base::decorator([subprotocol](auto& req) {
      if (subprotocol) req.set(boost::beast::http::field::sec_websocket_protocol, subprotocol);
    }));
    ws.handshake("127.0.0.1", "/v1/ws");
    // Synchronous reads honour SO_RCVTIMEO: a missing answer fails the test instead of hanging it.
    const timeval five_seconds{5, 0};
    ::setsockopt(ws.next_layer().socket().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &five_seconds, sizeof five_seconds);
  }
  std::string read() {
    buf.clear();
    ws.read(buf);
    return boost::beast::buffers_to_string(buf.data());
  }
};

}  // namespace confidant::test
