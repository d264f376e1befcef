#include "client/lib/base64url.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace confidant::client {
namespace {

std::vector<std::uint8_t> bytes_of(std::string_view s) { return {s.begin(), s.end()}; }

// RFC 4648 section 10 vectors, without padding and in the URL-safe alphabet.
TEST(Base64url, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"}, {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64url_encode(bytes_of(plain)), encoded);
    auto back = base64url_decode(encoded);
    ASSERT_TRUE(back) << encoded;
    EXPECT_EQ(*back, bytes_of(plain));
  }
}

TEST(Base64url, UrlSafeAlphabet) {
  const std::vector<std::uint8_t> b{0xfb, 0xff, 0xbf};
  EXPECT_EQ(base64url_encode(b), "-_-_");
  EXPECT_EQ(*base64url_decode("-_-_"), b);
}

TEST(Base64url, RefusesPaddingOtherAlphabetsWhitespaceAndStrayBits) {
  for (const char* bad : {"Zg==", "Zg=", "Zm9v+A", "Zm9v/A", "Zm 9v", "Zm9v\n", "Z", "Zh", "Zm9", "Zm8=",
                          "Zm9vYh"}) {
    EXPECT_FALSE(base64url_decode(bad)) << bad;
  }
}

// libsodium 1.0.18 alone would read these bytes as letters: one value, two texts.
TEST(Base64url, RefusesBytesOutsideTheAlphabet) {
  EXPECT_EQ(base64url_decode("3Xh0__Tq")->size(), 6u);
  for (const char* bad : {"3Xh0\xcb\x8eTq", "Zm9v\x80" "A", "Zm9v\xff" "A"}) {
    EXPECT_FALSE(base64url_decode(bad)) << bad;
  }
  EXPECT_FALSE(base64url_decode(std::string_view{"Zm9v\0AAA", 8}));
}

TEST(Base64url, RoundTripsEveryLength) {
  std::vector<std::uint8_t> b;
  for (int n = 0; n < 70; ++n) {
    auto text = base64url_encode(b);
    EXPECT_EQ(text.find('='), std::string::npos);
    EXPECT_EQ(*base64url_decode(text), b);
    b.push_back(static_cast<std::uint8_t>(n * 37 + 11));
  }
}

}  // namespace
}  // namespace confidant::client
