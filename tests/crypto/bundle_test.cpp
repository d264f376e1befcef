// Identity, prekeys and prekey bundles: generation, serialization and verification failures.
#include "crypto/bundle.hpp"
#include "tests/crypto/support.hpp"

#include <gtest/gtest.h>

namespace confidant::crypto {
namespace {

using test::hex;

struct bob {
  deterministic_random rng{21};
  identity_keypair id = identity_keypair::generate(rng);
  signed_prekey spk = signed_prekey::generate(id, 9, 1700000000, rng);
  std::vector<one_time_prekey> otks = one_time_prekey::generate_batch(1000, 100, rng);
  prekey_bundle bundle() const { return {id.public_keys(), spk.public_part(), otks[0].public_part()}; }
};

TEST(Identity, DhKeyIsSignedBySigningKeyAndRoundTrips) {
  bob b;
  EXPECT_TRUE(b.id.public_keys().verify());
  auto wire = b.id.public_keys().to_bytes();
  ASSERT_EQ(wire.size(), identity_public::encoded_size);
  EXPECT_TRUE(identity_public::from_bytes(wire).value() == b.id.public_keys());
  wire[40] ^= 1;  // inside the DH key
  EXPECT_FALSE(identity_public::from_bytes(wire));
  EXPECT_EQ(identity_public::from_bytes(byte_view(wire).first(100)).error(), errc::invalid_length);

  auto secret = b.id.to_bytes();
  auto back = identity_keypair::from_bytes(secret);
  wipe(secret);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->public_keys() == b.id.public_keys());
}

TEST(Prekeys, BatchesHaveConsecutiveIdsAndDistinctKeys) {
  bob b;
  ASSERT_EQ(b.otks.size(), 100u);
  for (std::size_t i = 0; i < b.otks.size(); ++i) EXPECT_EQ(b.otks[i].id(), 1000u + i);
  EXPECT_FALSE(b.otks[0].public_part().key == b.otks[1].public_part().key);
  auto wire = b.otks[3].to_bytes();
  auto back = one_time_prekey::from_bytes(wire).value();
  EXPECT_EQ(back.id(), 1003u);
  EXPECT_TRUE(back.public_part().key == b.otks[3].public_part().key);
}

TEST(Prekeys, SignedPrekeyRotationAndRoundTrip) {
  bob b;
  EXPECT_FALSE(b.spk.due_for_rotation(1700000000 + 3600, 7 * 86400));
  EXPECT_TRUE(b.spk.due_for_rotation(1700000000 + 7 * 86400, 7 * 86400));
  auto next = signed_prekey::generate(b.id, 10, 1700000000 + 7 * 86400, b.rng);
  EXPECT_EQ(next.id(), 10u);
  EXPECT_TRUE(next.public_part().verify(b.id.public_keys().signing));
  auto back = signed_prekey::from_bytes(b.spk.to_bytes()).value();
  EXPECT_EQ(back.public_part().created_at, 1700000000u);
  EXPECT_TRUE(back.public_part().key == b.spk.public_part().key);
  EXPECT_TRUE(back.public_part().verify(b.id.public_keys().signing));
}

TEST(Bundle, VerifiesAndRoundTripsWithAndWithoutOneTimePrekey) {
  bob b;
  auto full = b.bundle();
  EXPECT_TRUE(full.verify());
  auto wire = full.to_bytes();
  EXPECT_EQ(wire.size(), 274u);
  auto back = prekey_bundle::from_bytes(wire).value();
  EXPECT_TRUE(back.verify());
  EXPECT_EQ(back.to_bytes(), wire);

  auto bare = full;
  bare.one_time_prekey.reset();
  const auto bare_wire = bare.to_bytes();
  EXPECT_EQ(bare_wire.size(), 238u);
  EXPECT_FALSE(prekey_bundle::from_bytes(bare_wire).value().one_time_prekey);
}

TEST(Bundle, BadSignaturesAreTypedErrors) {
  bob b;
  auto spk_sig = b.bundle();
  spk_sig.signed_prekey.signature.bytes[0] ^= 1;
  EXPECT_EQ(spk_sig.verify().error(), errc::bad_signature);

  auto spk_id = b.bundle();  // the id and creation time are signed too
  spk_id.signed_prekey.id += 1;
  EXPECT_EQ(spk_id.verify().error(), errc::bad_signature);

  auto swapped = b.bundle();  // a prekey signed by someone else
  deterministic_random rng(99);
  auto eve = identity_keypair::generate(rng);
  swapped.signed_prekey = signed_prekey::generate(eve, 9, 1700000000, rng).public_part();
  EXPECT_EQ(swapped.verify().error(), errc::bad_signature);

  auto id_sig = b.bundle();
  id_sig.identity.dh_signature.bytes[63] ^= 0x10;
  EXPECT_EQ(id_sig.verify().error(), errc::bad_signature);
}

TEST(Bundle, SmallOrderAndZeroKeysAreTypedErrors) {
  bob b;
  const auto order8 = test::fixed_from_hex<x25519_public_key>(
      "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
  auto spk = b.bundle();
  spk.signed_prekey.key = order8;
  EXPECT_EQ(spk.verify().error(), errc::invalid_public_key);
  auto otk = b.bundle();
  otk.one_time_prekey->key = x25519_public_key{};
  EXPECT_EQ(otk.verify().error(), errc::invalid_public_key);
  auto idk = b.bundle();
  idk.identity.dh = x25519_public_key{};
  EXPECT_EQ(idk.verify().error(), errc::invalid_public_key);
  auto sig = b.bundle();
  sig.identity.signing = test::fixed_from_hex<ed25519_public_key>(
      "0100000000000000000000000000000000000000000000000000000000000000");
  EXPECT_EQ(sig.verify().error(), errc::invalid_public_key);
}

TEST(Bundle, WrongLengthsAndVersionsAreTypedErrors) {
  bob b;
  const auto wire = b.bundle().to_bytes();
  EXPECT_EQ(prekey_bundle::from_bytes({}).error(), errc::invalid_length);
  EXPECT_EQ(prekey_bundle::from_bytes(byte_view(wire).first(273)).error(), errc::invalid_length);
  EXPECT_EQ(prekey_bundle::from_bytes(byte_view(wire).first(238)).error(), errc::invalid_length);
  auto v2 = wire;
  v2[0] = 2;
  EXPECT_EQ(prekey_bundle::from_bytes(v2).error(), errc::unsupported_version);
  auto flag = wire;
  flag[237] = 2;
  EXPECT_EQ(prekey_bundle::from_bytes(flag).error(), errc::malformed);
}

}  // namespace
}  // namespace confidant::crypto
