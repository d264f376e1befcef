#include "crypto/safety_number.hpp"
#include "tests/crypto/support.hpp"

#include <gtest/gtest.h>

namespace confidant::crypto {
namespace {

using test::hex;

// libsignal rust/protocol/src/fingerprint.rs, fingerprint_test_v1 (keys carry the 0x05 type byte).
TEST(SafetyNumber, LibsignalDisplayableFingerprintKnownAnswer) {
  const auto alice_key = hex("0506863bc66d02b40d27b8d49ca7c09e9239236f9d7d25d6fcca5ce13c7064d868");
  const auto bob_key = hex("05f781b6fb32fed9ba1cf2de978d4d5da28dc34046ae814402b5c0dbd96fda907b");
  const std::string alice_id = "+14152222222";
  const std::string bob_id = "+14153333333";
  const char* expected = "300354477692869396892869876765458257569162576843440918079131";
  EXPECT_EQ(safety::number(as_bytes(alice_id), alice_key, as_bytes(bob_id), bob_key, 5200).value(), expected);
  EXPECT_EQ(safety::number(as_bytes(bob_id), bob_key, as_bytes(alice_id), alice_key, 5200).value(), expected);
  // libsignal's scannable form holds the first 32 bytes of each fingerprint.
  auto alice_fp = safety::fingerprint(as_bytes(alice_id), alice_key, 5200).value();
  EXPECT_EQ(to_hex(byte_view(alice_fp).first(32)), "1e301a0353dce3dbe7684cb8336e85136cdc0ee96219494ada305d62a7bd61df");
}

TEST(SafetyNumber, SameOnBothSidesAndSixtyDigitsInTwelveGroups) {
  deterministic_random rng(31);
  auto a = identity_keypair::generate(rng);
  auto b = identity_keypair::generate(rng);
  const auto ab = safety::number("alice", a.public_keys(), "bob", b.public_keys());
  const auto ba = safety::number("bob", b.public_keys(), "alice", a.public_keys());
  EXPECT_EQ(ab, ba);
  ASSERT_EQ(ab.size(), 60u);
  EXPECT_EQ(ab.find_first_not_of("0123456789"), std::string::npos);
  const auto shown = safety::grouped(ab);
  EXPECT_EQ(shown.size(), 60u + 11u);
  EXPECT_EQ(shown.substr(0, 6), ab.substr(0, 5) + " ");
}

TEST(SafetyNumber, ChangesWithAKeyOrAnIdentifier) {
  deterministic_random rng(32);
  auto a = identity_keypair::generate(rng);
  auto b = identity_keypair::generate(rng);
  auto m = identity_keypair::generate(rng);
  const auto real = safety::number("alice", a.public_keys(), "bob", b.public_keys());
  EXPECT_NE(real, safety::number("alice", a.public_keys(), "bob", m.public_keys()));
  EXPECT_NE(real, safety::number("alice", a.public_keys(), "bob2", b.public_keys()));
}

TEST(SafetyNumber, IterationBounds) {
  EXPECT_EQ(safety::fingerprint({}, {}, 1).error(), errc::invalid_argument);
  EXPECT_EQ(safety::fingerprint({}, {}, 1000001).error(), errc::invalid_argument);
  EXPECT_TRUE(safety::fingerprint({}, {}, 2));
}

}  // namespace
}  // namespace confidant::crypto
