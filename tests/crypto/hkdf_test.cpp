// RFC 5869 appendix A, test cases 1-3 (HKDF-SHA256).
#include "crypto/hkdf.hpp"
#include "tests/crypto/support.hpp"

#include <gtest/gtest.h>

#include <numeric>

namespace confidant::crypto {
namespace {

using test::hex;

bytes range(int first, int last) {
  bytes b;
  for (int i = first; i < last; ++i) b.push_back(static_cast<byte>(i));
  return b;
}

struct rfc5869_case {
  bytes ikm, salt, info;
  std::size_t length;
  std::string prk, okm;
};

class Rfc5869 : public ::testing::TestWithParam<int> {};

rfc5869_case make_case(int n) {
  switch (n) {
    case 1:
      return {bytes(22, 0x0b), range(0x00, 0x0d), range(0xf0, 0xfa), 42,
              "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
              "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"};
    case 2:
      return {range(0x00, 0x50), range(0x60, 0xb0), range(0xb0, 0x100), 82,
              "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
              "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c"
              "2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"};
    default:
      return {bytes(22, 0x0b), {}, {}, 42, "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
              "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"};
  }
}

TEST_P(Rfc5869, ExtractAndExpandMatchPublishedValues) {
  const auto tc = make_case(GetParam());
  const auto prk = hkdf::extract(tc.salt, tc.ikm);
  EXPECT_EQ(to_hex(prk.view()), tc.prk);
  bytes okm(tc.length);
  ASSERT_TRUE(hkdf::expand(prk, tc.info, okm));
  EXPECT_EQ(to_hex(okm), tc.okm);
  bytes okm2(tc.length);
  ASSERT_TRUE(hkdf::derive(tc.salt, tc.ikm, tc.info, okm2));
  EXPECT_EQ(okm2, okm);
}

INSTANTIATE_TEST_SUITE_P(TestCases, Rfc5869, ::testing::Values(1, 2, 3));

TEST(Hkdf, ShorterOutputIsAPrefix) {
  const auto prk = hkdf::extract({}, bytes(22, 0x0b));
  bytes long_out(100), short_out(33);
  ASSERT_TRUE(hkdf::expand(prk, {}, long_out));
  ASSERT_TRUE(hkdf::expand(prk, {}, short_out));
  EXPECT_TRUE(std::equal(short_out.begin(), short_out.end(), long_out.begin()));
}

TEST(Hkdf, RejectsEmptyAndOverlongOutput) {
  const auto prk = hkdf::extract({}, bytes(22, 0x0b));
  bytes none;
  EXPECT_EQ(hkdf::expand(prk, {}, none).error(), errc::invalid_argument);
  bytes too_long(hkdf::max_output + 1);
  EXPECT_EQ(hkdf::expand(prk, {}, too_long).error(), errc::invalid_argument);
  bytes longest(hkdf::max_output);
  EXPECT_TRUE(hkdf::expand(prk, {}, longest));
}

}  // namespace
}  // namespace confidant::crypto
