#include "schema/wire/invite_code.hpp"

#include <gtest/gtest.h>

#include <random>

namespace confidant::wire {
namespace {

TEST(InviteCode, KnownEncoding) {
  invite_bytes zero{};
  EXPECT_EQ(format_invite_code(zero), "0000-0000-0000-0000-0000-0000-00");
  invite_bytes ones;
  ones.fill(0xff);
  // 128 one bits then two zero pad bits: the last digit is 11100 = 'W'.
  EXPECT_EQ(format_invite_code(ones), "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZW");
}

TEST(InviteCode, RoundTripAndForgivingInput) {
  std::mt19937 rng{42};
  for (int i = 0; i < 1000; ++i) {
    invite_bytes b;
    for (auto& x : b) x = static_cast<unsigned char>(rng());
    const auto text = format_invite_code(b);
    EXPECT_EQ(text.size(), 32u);
    EXPECT_EQ(parse_invite_code(text), b) << text;
    std::string loose;
    for (char c : text)
      if (c != '-') loose += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(parse_invite_code(loose), b) << loose;
  }
  // Look-alikes: O for 0, I and L for 1.
  EXPECT_EQ(parse_invite_code("OOOO-OOOO-OOOO-OOOO-OOOO-OOOO-OO"), invite_bytes{});
  EXPECT_EQ(parse_invite_code("0000 0000 0000 0000 0000 0000 0I"), parse_invite_code("00000000000000000000000001"));
}

TEST(InviteCode, RefusesWrongLengthAlphabetAndPadding) {
  for (const char* bad : {"", "0000", "0000-0000-0000-0000-0000-0000-0", "0000-0000-0000-0000-0000-0000-000",
                          "0000-0000-0000-0000-0000-0000-0U", "0000-0000-0000-0000-0000-0000-0!",
                          "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZ"}) {
    EXPECT_FALSE(parse_invite_code(bad)) << bad;
  }
}

}  // namespace
}  // namespace confidant::wire
