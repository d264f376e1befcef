#include "crypto/x3dh.hpp"
#include "tests/crypto/support.hpp"

#include <gtest/gtest.h>

namespace confidant::crypto {
namespace {

struct parties {
  deterministic_random rng{11};
  identity_keypair alice = identity_keypair::generate(rng);
  identity_keypair bob = identity_keypair::generate(rng);
  signed_prekey spk = signed_prekey::generate(bob, 1, 1700000000, rng);
  std::vector<one_time_prekey> otks = one_time_prekey::generate_batch(500, 3, rng);
};

TEST(X3dh, BothSidesAgreeWithAOneTimePrekey) {
  parties p;
  prekey_bundle bundle{p.bob.public_keys(), p.spk.public_part(), p.otks[1].public_part()};
  auto init = x3dh::initiate(p.alice, bundle, p.rng);
  ASSERT_TRUE(init) << init.error().message();
  EXPECT_EQ(init->signed_prekey_id, 1u);
  ASSERT_TRUE(init->one_time_prekey_id);
  EXPECT_EQ(*init->one_time_prekey_id, 501u);
  auto resp = x3dh::respond(p.bob, p.spk, &p.otks[1], p.alice.public_keys(), init->ephemeral);
  ASSERT_TRUE(resp) << resp.error().message();
  EXPECT_TRUE(init->key == resp->key);
  EXPECT_EQ(init->ad, resp->ad);
  // AD = IK_A ‖ IK_B
  const auto a = p.alice.public_keys().key_bytes();
  EXPECT_TRUE(std::equal(a.begin(), a.end(), init->ad.begin()));
}

TEST(X3dh, BothSidesAgreeWithoutAOneTimePrekey) {
  parties p;
  prekey_bundle bundle{p.bob.public_keys(), p.spk.public_part(), std::nullopt};
  auto init = x3dh::initiate(p.alice, bundle, p.rng).value();
  EXPECT_FALSE(init.one_time_prekey_id);
  auto resp = x3dh::respond(p.bob, p.spk, nullptr, p.alice.public_keys(), init.ephemeral).value();
  EXPECT_TRUE(init.key == resp.key);
  // Using a one-time prekey the initiator did not use gives a different key.
  auto wrong = x3dh::respond(p.bob, p.spk, &p.otks[0], p.alice.public_keys(), init.ephemeral).value();
  EXPECT_FALSE(init.key == wrong.key);
}

TEST(X3dh, InfoLabelIsAParameter) {
  parties p;
  prekey_bundle bundle{p.bob.public_keys(), p.spk.public_part(), std::nullopt};
  auto init = x3dh::initiate(p.alice, bundle, p.rng, "Other_Label").value();
  auto resp = x3dh::respond(p.bob, p.spk, nullptr, p.alice.public_keys(), init.ephemeral).value();
  EXPECT_FALSE(init.key == resp.key);
  auto resp2 = x3dh::respond(p.bob, p.spk, nullptr, p.alice.public_keys(), init.ephemeral, "Other_Label").value();
  EXPECT_TRUE(init.key == resp2.key);
}

TEST(X3dh, ResponderRejectsSmallOrderEphemeralAndForgedIdentity) {
  parties p;
  EXPECT_EQ(x3dh::respond(p.bob, p.spk, nullptr, p.alice.public_keys(), x25519_public_key{}).error(),
            errc::invalid_public_key);
  auto forged = p.alice.public_keys();
  forged.dh = p.bob.public_keys().dh;  // someone else's DH key under Alice's signing key
  auto eph = x25519::generate(p.rng);
  EXPECT_EQ(x3dh::respond(p.bob, p.spk, nullptr, forged, eph.public_key).error(), errc::bad_signature);
}

TEST(X3dh, KdfNeedsThreeOrFourDhOutputs) {
  std::vector<x25519::shared_secret> two(2);
  std::array<byte, 32> out{};
  EXPECT_EQ(x3dh::kdf(two, "x", out).error(), errc::invalid_argument);
}

}  // namespace
}  // namespace confidant::crypto
