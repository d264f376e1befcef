#include "server/net/routes.hpp"
#include "server/service/metrics.hpp"

#include <boost/beast/http/field.hpp>
#include <gtest/gtest.h>

namespace confidant::net {
namespace {

namespace http = boost::beast::http;

http_request get(std::string target, http::verb verb = http::verb::get) {
  http_request req{verb, target, 11};
  req.set(http::field::host, "x");
  return req;
}

struct routes_fixture : ::testing::Test {
  service::metrics m;
  bool is_ready = true;
  std::function<bool()> ready = [this] { return is_ready; };
  http_response ask(const http_request& r) { return handle_http(r, {m, ready}); }
};

TEST_F(routes_fixture, HealthReadinessAndMetrics) {
  auto h = ask(get("/healthz"));
  EXPECT_EQ(h.result(), http::status::ok);
  EXPECT_EQ(h.body(), "ok\n");
  EXPECT_EQ(ask(get("/readyz")).result(), http::status::ok);
  is_ready = false;
  EXPECT_EQ(ask(get("/readyz")).result(), http::status::service_unavailable);
  auto metrics = ask(get("/metrics"));
  EXPECT_EQ(metrics.result(), http::status::ok);
  EXPECT_EQ(metrics[http::field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(metrics.body().find("confidant_http_requests_total 4"), std::string::npos) << metrics.body();
}

TEST_F(routes_fixture, UnknownPathsAndMethods) {
  EXPECT_EQ(ask(get("/")).result(), http::status::not_found);
  EXPECT_EQ(ask(get("/healthz/../etc/passwd")).result(), http::status::not_found);
  auto post = ask(get("/healthz", http::verb::post));
  EXPECT_EQ(post.result(), http::status::method_not_allowed);
  EXPECT_EQ(post[http::field::allow], "GET, HEAD");
  EXPECT_EQ(ask(get("/v1/ws")).result(), http::status::upgrade_required);
}

TEST(CheckUpgrade, NeedsThePathAndTheSubprotocol) {
  auto req = get("/v1/ws");
  EXPECT_EQ(check_upgrade(req)->result(), http::status::bad_request);
  req.set(http::field::sec_websocket_protocol, "chat, superchat");
  EXPECT_EQ(check_upgrade(req)->result(), http::status::bad_request);
  req.set(http::field::sec_websocket_protocol, "chat,  confidant.v1 ");
  EXPECT_FALSE(check_upgrade(req).has_value());
  req.target("/ws");
  EXPECT_EQ(check_upgrade(req)->result(), http::status::not_found);
}

}  // namespace
}  // namespace confidant::net
