#include "client/lib/url.hpp"

#include <gtest/gtest.h>

namespace confidant::client {
namespace {

TEST(Url, DefaultsAndForms) {
  auto a = parse_url("ws://127.0.0.1:8080");
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->tls);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, "8080");
  EXPECT_EQ(a->path, "/v1/ws");
  auto b = parse_url("wss://la.example.org");
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->tls);
  EXPECT_EQ(b->port, "443");
  EXPECT_EQ(b->to_string(), "wss://la.example.org:443/v1/ws");
  auto c = parse_url("ws://[::1]:9000/custom");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->authority(), "[::1]:9000");
  EXPECT_EQ(c->path, "/custom");
}

TEST(Url, RefusalsSayWhatIsExpected) {
  for (const char* bad : {"", "http://x", "127.0.0.1:8080", "ws://", "ws://:80", "ws://h:0", "ws://h:99999",
                          "ws://h:8o", "ws://[::1:80"}) {
    auto r = parse_url(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().find("ws://"), std::string::npos) << bad;
  }
}

}  // namespace
}  // namespace confidant::client
