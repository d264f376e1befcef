#include "client/lib/connection.hpp"
#include "schema/wire/hello.hpp"
#include "tests/net/test_server.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace confidant::net {
namespace {

// A self-signed certificate for 127.0.0.1, made with the openssl command for this test only.
struct tls_fixture : ::testing::Test {
  test::temp_dir dir;
  std::filesystem::path cert = dir / "cert.pem";
  std::filesystem::path key = dir / "key.pem";

  void SetUp() override {
    const auto cmd = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1"
                     " -addext subjectAltName=IP:127.0.0.1 -keyout " + key.string() + " -out " + cert.string() +
                     " >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "openssl could not make a test certificate";
  }
  net::options with_tls() {
    net::options o;
    o.tls = tls_files{cert, key};
    return o;
  }
};

TEST_F(tls_fixture, HelloOverTlsWithTheRightCa) {
  test::test_server s{with_tls()};
  EXPECT_TRUE(s.server().tls());
  auto c = client::connection::open(*client::parse_url("wss://127.0.0.1:" + std::to_string(s.port())),
                                    {cert.string(), std::chrono::milliseconds{5000}});
  ASSERT_TRUE(c) << c.error().detail;
  auto a = (*c)->call("hello", wire::to_json(wire::hello_request{{"confidant.v1"}, {}}));
  ASSERT_TRUE(a);
  EXPECT_EQ(a->type, "ok");
  (*c)->close();
}

TEST_F(tls_fixture, UntrustedCertificateIsRefusedWithAHint) {
  test::test_server s{with_tls()};
  auto c = client::connection::open(*client::parse_url("wss://127.0.0.1:" + std::to_string(s.port())), {});
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, client::errc::tls_failed);
  EXPECT_NE(c.error().detail.find("certificate verify failed"), std::string::npos) << c.error().detail;
}

TEST_F(tls_fixture, PlainClientAgainstTlsServerAndTheReverse) {
  test::test_server tls_server{with_tls()};
  auto plain = client::connection::open(*client::parse_url("ws://127.0.0.1:" + std::to_string(tls_server.port())),
                                        {"", std::chrono::milliseconds{3000}});
  ASSERT_FALSE(plain);
  EXPECT_EQ(plain.error().code, client::errc::not_confidant);
  EXPECT_NE(plain.error().detail.find("wss://"), std::string::npos) << plain.error().detail;

  test::test_server plain_server;
  auto tls = client::connection::open(*client::parse_url("wss://127.0.0.1:" + std::to_string(plain_server.port())),
                                      {cert.string(), std::chrono::milliseconds{3000}});
  ASSERT_FALSE(tls);
  EXPECT_EQ(tls.error().code, client::errc::tls_failed);
}

TEST_F(tls_fixture, MissingKeyFileIsNamedAtStart) {
  auto o = with_tls();
  o.tls->private_key = dir / "absent.pem";
  boost::asio::io_context ioc;
  service::metrics m;
  test::test_backend b{m};
  auto& d = *b.dispatcher;
  o.listen = {boost::asio::ip::make_address("127.0.0.1"), 0};
  net::server srv{ioc, o, d, m, [] { return true; }};
  auto r = srv.start();
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("absent.pem"), std::string::npos) << r.error();
}

}  // namespace
}  // namespace confidant::net
