// RFC 7748 §6.1 (X25519) and RFC 8032 §7.1 tests 1-3 (Ed25519), plus the key checks.
#include "crypto/ed25519.hpp"
#include "crypto/x25519.hpp"
#include "tests/crypto/support.hpp"

#include <gtest/gtest.h>

namespace confidant::crypto {
namespace {

using test::hex;

TEST(Rfc7748, DiffieHellmanSection6_1) {
  auto alice = x25519::from_secret(
      test::secret_from_hex<x25519_secret_key>("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
  auto bob = x25519::from_secret(
      test::secret_from_hex<x25519_secret_key>("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
  EXPECT_EQ(to_hex(alice.public_key.view()), "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  EXPECT_EQ(to_hex(bob.public_key.view()), "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
  auto k1 = x25519::dh(alice.secret_key, bob.public_key);
  auto k2 = x25519::dh(bob.secret_key, alice.public_key);
  ASSERT_TRUE(k1);
  ASSERT_TRUE(k2);
  EXPECT_EQ(to_hex(k1->view()), "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  EXPECT_TRUE(*k1 == *k2);
}

struct rfc8032_case {
  const char* secret;
  const char* public_key;
  const char* message;
  const char* signature;
};

constexpr rfc8032_case rfc8032_cases[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24"
     "655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302a"
     "eeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed2"
     "8dc027beceea1ec40a"},
};

TEST(Rfc8032, Tests1To3SignAndVerify) {
  for (const auto& tc : rfc8032_cases) {
    SCOPED_TRACE(tc.public_key);
    auto kp = ed25519::from_seed(hex(tc.secret));
    ASSERT_TRUE(kp);
    EXPECT_EQ(to_hex(kp->public_key.view()), tc.public_key);
    const auto msg = hex(tc.message);
    const auto sig = ed25519::sign(kp->secret_key, {msg});
    EXPECT_EQ(to_hex(sig.view()), tc.signature);
    EXPECT_TRUE(ed25519::verify(kp->public_key, sig, {msg}));
    auto tampered = sig;
    tampered.bytes[5] ^= 0x01;
    EXPECT_EQ(ed25519::verify(kp->public_key, tampered, {msg}).error(), errc::bad_signature);
  }
}

TEST(Ed25519, SignatureOverPartsEqualsSignatureOverTheirConcatenation) {
  auto kp = ed25519::from_seed(hex(rfc8032_cases[2].secret)).value();
  const auto whole = ed25519::sign(kp.secret_key, {hex("af82")});
  const auto parts = ed25519::sign(kp.secret_key, {hex("af"), hex(""), hex("82")});
  EXPECT_TRUE(whole == parts);
}

// The eight-torsion points of Curve25519 in u-coordinates, plus non-canonical encodings of them.
const char* const small_order_x25519[] = {
    "0000000000000000000000000000000000000000000000000000000000000000",  // 0
    "0100000000000000000000000000000000000000000000000000000000000000",  // 1
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",  // order 8
    "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",  // order 8
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // p - 1
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // p
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",  // p + 1
};

TEST(X25519, SmallOrderAndZeroPublicKeysAreRejected) {
  system_random rng;
  auto kp = x25519::generate(rng);
  for (const char* h : small_order_x25519) {
    SCOPED_TRACE(h);
    EXPECT_EQ(x25519::parse_public(hex(h)).error(), errc::invalid_public_key);
    auto pk = test::fixed_from_hex<x25519_public_key>(h);
    EXPECT_EQ(x25519::dh(kp.secret_key, pk).error(), errc::dh_failed);
  }
  EXPECT_EQ(x25519::parse_public(hex("0900")).error(), errc::invalid_public_key);
  EXPECT_TRUE(x25519::parse_public(kp.public_key.view()));
}

TEST(Ed25519, SmallOrderAndNonCanonicalPublicKeysAreRejected) {
  // The identity, a point of order 2 and one of order 4 (Ed25519 encodings), and y = p.
  for (const char* h : {"0100000000000000000000000000000000000000000000000000000000000000",
                        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                        "0000000000000000000000000000000000000000000000000000000000000000",
                        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"}) {
    SCOPED_TRACE(h);
    EXPECT_EQ(ed25519::parse_public(hex(h)).error(), errc::invalid_public_key);
  }
  EXPECT_TRUE(ed25519::parse_public(hex(rfc8032_cases[0].public_key)));
}

TEST(Secrets, CompareInConstantTimeAndWipeOnMove) {
  auto a = test::secret_from_hex<x25519_secret_key>("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  auto b = a.clone();
  EXPECT_TRUE(a == b);
  b.writable()[31] ^= 1;
  EXPECT_FALSE(a == b);
  x25519_secret_key c(std::move(a));
  EXPECT_EQ(to_hex(a.view()), std::string(64, '0'));  // NOLINT(bugprone-use-after-move): checks the wipe
  EXPECT_EQ(to_hex(c.view()).substr(0, 4), "7707");
  EXPECT_EQ(x25519_secret_key::from(hex("00")).error(), errc::invalid_length);
}

}  // namespace
}  // namespace confidant::crypto
