#include "client/lib/connection.hpp"
#include "schema/wire/hello.hpp"
#include "tests/net/test_server.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace confidant::net {
namespace {

namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;

client::connection::result<std::unique_ptr<client::connection>> open(const test::test_server& s) {
  return client::connection::open(*client::parse_url(s.url()), {"", std::chrono::milliseconds{5000}});
}

TEST(Server, HelloThroughTheRealClient) {
  test::test_server s;
  auto c = open(s);
  ASSERT_TRUE(c) << c.error().detail;
  auto a = (*c)->call("hello", wire::to_json(wire::hello_request{{"confidant.v1"}, "test"}));
  ASSERT_TRUE(a) << a.error().detail;
  ASSERT_EQ(a->type, "ok");
  auto h = wire::read_hello_reply(a->fields);
  ASSERT_TRUE(h);
  EXPECT_EQ(h->tenant, "Test LA");
  EXPECT_EQ(h->server_time, "2026-11-18T11:06:40.000Z");
  EXPECT_EQ(h->max_frame_bytes, 4096);
  EXPECT_EQ(s.metrics().open_connections(), 1);
  (*c)->close();
}

TEST(Server, HttpRoutesOnTheSamePort) {
  test::test_server s;
  auto h = test::http_get(s.port(), "/healthz");
  EXPECT_EQ(h.result(), http::status::ok);
  EXPECT_EQ(h.body(), "ok\n");
  EXPECT_EQ(test::http_get(s.port(), "/readyz").result(), http::status::ok);
  s.ready = false;
  EXPECT_EQ(test::http_get(s.port(), "/readyz").result(), http::status::service_unavailable);
  {
    auto c = open(s);
    ASSERT_TRUE(c);
    ASSERT_TRUE((*c)->call("hello", wire::to_json(wire::hello_request{{"confidant.v1"}, {}})));
    ASSERT_TRUE((*c)->call("nope"));
    const auto m = test::http_get(s.port(), "/metrics").body();
    EXPECT_NE(m.find("confidant_connections 1\n"), std::string::npos) << m;
    EXPECT_NE(m.find("confidant_requests_total{type=\"hello\"} 1\n"), std::string::npos) << m;
    EXPECT_NE(m.find("confidant_errors_total{code=\"unknown_type\"} 1\n"), std::string::npos) << m;
    (*c)->close();
  }
  EXPECT_EQ(test::http_get(s.port(), "/nowhere").result(), http::status::not_found);
  EXPECT_EQ(test::http_get(s.port(), "/healthz", http::verb::post).result(), http::status::method_not_allowed);
}

TEST(Server, UpgradeWithoutTheSubprotocolIsRefused) {
  test::test_server s;
  try {
    test::raw_ws ws{s.port(), nullptr};
    FAIL() << "the upgrade should have been refused";
  } catch (const boost::system::system_error& e) {
    EXPECT_EQ(e.code(), websocket::error::upgrade_declined);
  }
  auto c = client::connection::open(*client::parse_url(s.url() + "/elsewhere"), {});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, client::errc::upgrade_refused);
  EXPECT_NE(c.error().detail.find("HTTP 404"), std::string::npos) << c.error().detail;
}

TEST(Server, BadFramesGetErrorsAndTheConnectionSurvives) {
  test::test_server s;
  test::raw_ws ws{s.port()};
  ws.ws.binary(true);
  ws.ws.write(boost::asio::buffer(std::string{"\x00\x01\x02", 3}));
  auto a = boost::json::parse(ws.read()).as_object();
  EXPECT_EQ(a.at("code").as_string(), "frame_not_text");
  EXPECT_TRUE(a.at("rid").is_null());
  ws.ws.text(true);
  ws.ws.write(boost::asio::buffer(std::string{"{not json"}));
  EXPECT_EQ(boost::json::parse(ws.read()).at("code").as_string(), "malformed_json");
  ws.ws.write(boost::asio::buffer(std::string{R"({"type":"hello","rid":"z","versions":["confidant.v1"]})"}));
  const auto ok = boost::json::parse(ws.read()).as_object();
  EXPECT_EQ(ok.at("type").as_string(), "ok");
  EXPECT_EQ(ok.at("rid").as_string(), "z");
}

TEST(Server, OversizeFrameClosesWith1009) {
  net::options o;
  o.max_frame_bytes = 1024;
  test::test_server s{o};
  test::raw_ws ws{s.port()};
  ws.ws.text(true);
  ws.ws.write(boost::asio::buffer(std::string(2000, 'x')));
  boost::system::error_code ec;
  ws.ws.read(ws.buf, ec);
  // The server sends close 1009 and tears the socket down at once; the client may see the
  // teardown while answering the close, but the close code has arrived.
  EXPECT_TRUE(ec);
  EXPECT_EQ(ws.ws.reason().code, websocket::close_code::too_big);
}

TEST(Server, ShutdownSendsGoingAwayAndStopsAccepting) {
  test::test_server s;
  test::raw_ws ws{s.port()};
  s.server().shutdown();
  boost::system::error_code ec;
  ws.ws.read(ws.buf, ec);
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(ws.ws.reason().code, websocket::close_code::going_away);
  EXPECT_EQ(std::string{ws.ws.reason().reason.c_str()}, "server shutting down");
  auto c = open(s);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, client::errc::refused);
}

TEST(Server, ConnectionsBeyondTheLimitAreClosedAtOnce) {
  net::options o;
  o.max_connections = 1;
  test::test_server s{o};
  auto first = open(s);
  ASSERT_TRUE(first);
  auto second = open(s);
  ASSERT_FALSE(second);
  (*first)->close();
}

TEST(Server, ClientReportsRefusedPortClearly) {
  auto c = client::connection::open(*client::parse_url("ws://127.0.0.1:1"), {});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, client::errc::refused);
  EXPECT_NE(c.error().detail.find("127.0.0.1:1"), std::string::npos);
}

}  // namespace
}  // namespace confidant::net
