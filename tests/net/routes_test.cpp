#include "server/net/routes.hpp"
#include "server/service/metrics.hpp"

#include <boost/beast/http/field.hpp>
#include <gtest/gtest.h>

#include <string>
#include <vector>

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

const std::vector<std::string> no_origins;

TEST(CheckUpgrade, NeedsThePathAndTheSubprotocol) {
  auto req = get("/v1/ws");
  EXPECT_EQ(check_upgrade(req, no_origins)->result(), http::status::bad_request);
  req.set(http::field::sec_websocket_protocol, "chat, superchat");
  EXPECT_EQ(check_upgrade(req, no_origins)->result(), http::status::bad_request);
  req.set(http::field::sec_websocket_protocol, "chat,  confidant.v1 ");
  EXPECT_FALSE(check_upgrade(req, no_origins).has_value());
  req.target("/ws");
  EXPECT_EQ(check_upgrade(req, no_origins)->result(), http::status::not_found);
}

TEST(CheckUpgrade, OriginMustBeListedWhenPresent) {
  const std::vector<std::string> allowed{"https://confidant.example.la.gov.uk"};
  auto req = get("/v1/ws");
  req.set(http::field::sec_websocket_protocol, "confidant.v1");
  EXPECT_FALSE(check_upgrade(req, allowed).has_value());  // no Origin: a native client
  req.set(http::field::origin, "https://Confidant.Example.LA.gov.uk");
  EXPECT_FALSE(check_upgrade(req, allowed).has_value());
  EXPECT_EQ(check_upgrade(req, no_origins)->result(), http::status::forbidden);
  for (const char* other : {"https://evil.example", "null", "", "https://confidant.example.la.gov.uk/"}) {
    req.set(http::field::origin, other);
    const auto refusal = check_upgrade(req, allowed);
    ASSERT_TRUE(refusal) << other;
    EXPECT_EQ(refusal->result(), http::status::forbidden) << other;
    EXPECT_EQ(refusal->body(), "origin not allowed\n");
    EXPECT_EQ((*refusal)[http::field::content_type], "text/plain; charset=utf-8");
  }
  req.set(http::field::origin, "https://confidant.example.la.gov.uk");
  req.insert(http::field::origin, "https://confidant.example.la.gov.uk");
  EXPECT_EQ(check_upgrade(req, allowed)->result(), http::status::forbidden);  // two fields
}

TEST(CheckUpgrade, PathFirstThenOriginThenSubprotocol) {
  auto req = get("/ws");
  req.set(http::field::origin, "https://evil.example");
  EXPECT_EQ(check_upgrade(req, no_origins)->result(), http::status::not_found);
  req.target("/v1/ws");
  EXPECT_EQ(check_upgrade(req, no_origins)->result(), http::status::forbidden);
  req.erase(http::field::origin);
  EXPECT_EQ(check_upgrade(req, no_origins)->result(), http::status::bad_request);
}

}  // namespace
}  // namespace confidant::net
