#include "server/net/origin.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace confidant::net {
namespace {

TEST(NormalizeOrigin, LowerCasesSchemeAndHostAndDropsTheDefaultPort) {
  EXPECT_EQ(normalize_origin("https://confidant.example.la.gov.uk"), "https://confidant.example.la.gov.uk");
  EXPECT_EQ(normalize_origin("HTTPS://Confidant.Example.LA.gov.uk"), "https://confidant.example.la.gov.uk");
  EXPECT_EQ(normalize_origin("https://confidant.example:8443"), "https://confidant.example:8443");
  EXPECT_EQ(normalize_origin("https://confidant.example:443"), "https://confidant.example");
  EXPECT_EQ(normalize_origin("http://confidant.example:80"), "http://confidant.example");
  EXPECT_EQ(normalize_origin("http://confidant.example:443"), "http://confidant.example:443");
  EXPECT_EQ(normalize_origin("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(normalize_origin("https://[::1]:8443"), "https://[::1]:8443");
  EXPECT_EQ(normalize_origin("https://[FE80::1]"), "https://[fe80::1]");
  EXPECT_EQ(normalize_origin("http://localhost"), "http://localhost");
  EXPECT_EQ(normalize_origin("https://xn--bcher-kva.example"), "https://xn--bcher-kva.example");
}

TEST(NormalizeOrigin, RefusesWhatIsNotASerialisedOrigin) {
  const std::vector<std::string_view> refused{"", "null", "Null", "confidant.example", "//confidant.example", "https://", "https://:443",
        "https://confidant.example/", "https://confidant.example/v1/ws", "https://confidant.example?x=1",
        "https://confidant.example#x", "https://user@confidant.example", "https://user:pw@confidant.example",
        "https://confidant.example:", "https://confidant.example:0", "https://confidant.example:65536",
        "https://confidant.example:08443", "https://confidant.example:+443", "https://confidant.example:44a",
        "ftp://confidant.example", "file://", "ws://confidant.example", "wss://confidant.example",
        "chrome-extension://abcdef", " https://confidant.example", "https://confidant.example ",
        "https://confidant..example", "https://.confidant.example", "https://confidant.example.",
        "https://-confidant.example", "https://confidant_x.example", "https://[::1", "https://[]",
        "https://[::g]", "https://[::1]x", "https://confidant.example,https://other.example",
        "https://conf\tidant.example", std::string_view{"https://a.example\0b", 19}};
  for (const auto bad : refused) {
    EXPECT_FALSE(normalize_origin(bad)) << '"' << bad << '"';
  }
  EXPECT_FALSE(normalize_origin("https://" + std::string(64, 'a') + ".example"));  // a label over 63
  EXPECT_TRUE(normalize_origin("https://" + std::string(63, 'a') + ".example"));
}

struct OriginAllowed : ::testing::Test {
  std::vector<std::string> allowed{"https://confidant.example.la.gov.uk", "http://127.0.0.1:8080"};

  bool ask(std::vector<std::string_view> headers) { return origin_allowed(headers, allowed); }
};

TEST_F(OriginAllowed, NoOriginHeaderIsANativeClient) {
  EXPECT_TRUE(ask({}));
  EXPECT_TRUE(origin_allowed({}, {}));
}

TEST_F(OriginAllowed, ListedOriginsAreComparedCaseInsensitivelyOnSchemeAndHost) {
  EXPECT_TRUE(ask({"https://confidant.example.la.gov.uk"}));
  EXPECT_TRUE(ask({"HTTPS://CONFIDANT.example.la.gov.uk"}));
  EXPECT_TRUE(ask({"https://confidant.example.la.gov.uk:443"}));
  EXPECT_TRUE(ask({"http://127.0.0.1:8080"}));
}

TEST_F(OriginAllowed, EverythingElseIsRefused) {
  for (std::string_view other :
       {"https://evil.example", "http://confidant.example.la.gov.uk", "https://confidant.example.la.gov.uk:8443",
        "https://confidant.example.la.gov.uk/", "https://confidant.example.la.gov.uk.evil.example",
        "https://evil.confidant.example.la.gov.uk", "http://127.0.0.1", "http://127.0.0.1:8081", "null", ""}) {
    EXPECT_FALSE(ask({other})) << '"' << other << '"';
  }
}

TEST_F(OriginAllowed, TwoOriginFieldsAreRefusedEvenIfBothAreListed) {
  EXPECT_FALSE(ask({"https://confidant.example.la.gov.uk", "https://confidant.example.la.gov.uk"}));
  EXPECT_FALSE(ask({"https://confidant.example.la.gov.uk", "https://evil.example"}));
}

TEST(OriginAllowedByDefault, AnEmptyListRefusesEveryOrigin) {
  const std::vector<std::string> none;
  const std::vector<std::string_view> page{"https://confidant.example.la.gov.uk"};
  EXPECT_FALSE(origin_allowed(page, none));
}

}  // namespace
}  // namespace confidant::net
