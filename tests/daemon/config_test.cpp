#include "server/daemon/config.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace confidant::daemon {
namespace {

bool any_contains(const config_errors& errors, const std::string& needle) {
  for (const auto& e : errors)
    if (e.find(needle) != std::string::npos) return true;
  return false;
}

TEST(Config, EmbeddedDefaultIsLoopbackPlainDemo) {
  const auto c = embedded_default();
  EXPECT_TRUE(c.net.listen.address().is_loopback());
  EXPECT_EQ(c.net.listen.port(), 8080);
  EXPECT_FALSE(c.net.tls);
  EXPECT_EQ(c.data_dir, "confidant-data");
  EXPECT_EQ(c.key_file, std::filesystem::path{"confidant-data/db.key"});
  EXPECT_EQ(c.policy.preset, "la-peer-support");
  EXPECT_TRUE(c.net.allowed_origins.empty());
}

TEST(Config, FullValidFile) {
  const auto text = R"(
[server]
listen = "127.0.0.1:0"
threads = 4
[server.tls]
certificate_chain = "tls/chain.pem"
private_key = "/etc/k.pem"
[limits]
max_frame_bytes = 131072
max_outgoing_frames = 64
max_connections = 500
handshake_timeout_seconds = 5
idle_timeout_seconds = 60
[storage]
data_dir = "data"
key_credential = "confidant-db-key"
[tenant]
name = "Shropshire Council"
preset = "pastoral-associates"
[log]
level = "debug"
)";
  auto c = parse_config(text, "t.toml", "/srv/conf");
  ASSERT_TRUE(c) << c.error().front();
  EXPECT_EQ(c->net.listen.port(), 0);
  EXPECT_EQ(c->threads, 4u);
  ASSERT_TRUE(c->net.tls);
  EXPECT_EQ(c->net.tls->certificate_chain, "/srv/conf/tls/chain.pem");
  EXPECT_EQ(c->net.tls->private_key, "/etc/k.pem");
  EXPECT_EQ(c->net.max_frame_bytes, 131072u);
  EXPECT_EQ(c->net.max_outgoing_frames, 64u);
  EXPECT_EQ(c->net.max_connections, 500u);
  EXPECT_EQ(c->net.idle_timeout, std::chrono::seconds{60});
  EXPECT_EQ(c->data_dir, "/srv/conf/data");
  EXPECT_EQ(c->key_credential, "confidant-db-key");
  EXPECT_EQ(c->tenant_name, "Shropshire Council");
  EXPECT_EQ(c->policy.preset, "pastoral-associates");
  EXPECT_EQ(c->log_level, "debug");
}

TEST(Config, EmptyFileMeansDefaultsRelativeToTheFile) {
  auto c = parse_config("", "t.toml", "/srv/conf");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->data_dir, "/srv/conf/confidant-data");
  EXPECT_EQ(c->key_file, "/srv/conf/confidant-data/db.key");
}

TEST(Config, EveryProblemIsReportedWithItsPosition) {
  const auto text = R"([server]
lisen = "127.0.0.1:1"
threads = "two"
[limits]
max_frame_bytes = 10
[tenant]
preset = "nope"
[log]
level = "loud"
[extra]
)";
  auto c = parse_config(text, "bad.toml", "/x");
  ASSERT_FALSE(c);
  const auto& e = c.error();
  EXPECT_TRUE(any_contains(e, "bad.toml:2:9: unknown key `server.lisen`"));
  EXPECT_TRUE(any_contains(e, "bad.toml:3:"));
  EXPECT_TRUE(any_contains(e, "`server.threads` must be an integer"));
  EXPECT_TRUE(any_contains(e, "`limits.max_frame_bytes` must be an integer from 1024"));
  EXPECT_TRUE(any_contains(e, "`tenant.preset` must be one of: la-peer-support, pastoral-associates"));
  EXPECT_TRUE(any_contains(e, "`log.level`"));
  EXPECT_TRUE(any_contains(e, "unknown key `extra`"));
  EXPECT_EQ(e.size(), 6u);
}

TEST(Config, SyntaxErrorNamesLineAndColumn) {
  auto c = parse_config("[server\nlisten = 1", "s.toml", "/x");
  ASSERT_FALSE(c);
  ASSERT_EQ(c.error().size(), 1u);
  EXPECT_EQ(c.error().front().rfind("s.toml:1:", 0), 0u) << c.error().front();
}

TEST(Config, PlainWebSocketOffLoopbackNeedsExplicitConsent) {
  auto refused = parse_config("[server]\nlisten = \"0.0.0.0:8080\"\n", "p.toml", "/x");
  ASSERT_FALSE(refused);
  EXPECT_TRUE(any_contains(refused.error(), "not a loopback address"));
  auto allowed = parse_config("[server]\nlisten = \"0.0.0.0:8080\"\nallow_plain_remote = true\n", "p.toml", "/x");
  EXPECT_TRUE(allowed);
  auto v6 = parse_config("[server]\nlisten = \"[::1]:9000\"\n", "p.toml", "/x");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->net.listen.port(), 9000);
}

TEST(Config, BadValuesAreRefused) {
  for (const char* text : {"[server]\nlisten = \"localhost\"\n", "[server]\nlisten = \"127.0.0.1:70000\"\n",
                           "[server]\nlisten = \"nohost:80\"\n", "[server.tls]\ncertificate_chain = \"a\"\n",
                           "[storage]\nkey_credential = \"../etc/key\"\n",
                           "[storage]\nkey_file = \"k\"\nkey_credential = \"c\"\n", "[tenant]\nname = \"\"\n",
                           "server = 5\n"}) {
    EXPECT_FALSE(parse_config(text, "v.toml", "/x")) << text;
  }
}

TEST(Config, AllowedOriginsAreNormalised) {
  const auto text = R"([server]
allowed_origins = ["https://Confidant.Example.LA.gov.uk", "HTTP://127.0.0.1:8080", "https://x.test:443",
                   "https://[::1]:8443", "https://confidant.example.la.gov.uk"]
)";
  auto c = parse_config(text, "o.toml", "/x");
  ASSERT_TRUE(c) << c.error().front();
  const std::vector<std::string> want{"https://confidant.example.la.gov.uk", "http://127.0.0.1:8080", "https://x.test",
                                      "https://[::1]:8443"};
  EXPECT_EQ(c->net.allowed_origins, want);
  auto empty = parse_config("[server]\nallowed_origins = []\n", "o.toml", "/x");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->net.allowed_origins.empty());
}

TEST(Config, MalformedOriginsAreNamedWithTheirPosition) {
  const auto text = R"([server]
allowed_origins = [
  "https://ok.example",
  "https://confidant.example/",
  "null",
  "confidant.example",
  "ftp://confidant.example",
  "https://confidant.example:0",
  "https://user@confidant.example",
  "https://confidant.example/v1/ws",
  7,
]
)";
  auto c = parse_config(text, "o.toml", "/x");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().size(), 8u);
  for (int line = 4; line <= 11; ++line) {
    EXPECT_TRUE(any_contains(c.error(), "o.toml:" + std::to_string(line) + ":")) << line;
  }
  for (const auto& e : c.error()) EXPECT_NE(e.find("`server.allowed_origins`"), std::string::npos) << e;
  auto not_array = parse_config("[server]\nallowed_origins = \"https://a.example\"\n", "o.toml", "/x");
  ASSERT_FALSE(not_array);
  EXPECT_TRUE(any_contains(not_array.error(), "o.toml:2:19: `server.allowed_origins` must be an array of strings"))
      << not_array.error().front();
}

}  // namespace
}  // namespace confidant::daemon
