#include "crypto/passphrase.hpp"
#include "tests/crypto/support.hpp"

#include <gtest/gtest.h>

namespace confidant::crypto {
namespace {

TEST(Passphrase, DerivationIsDeterministicPerRecordAndSaltSensitive) {
  deterministic_random rng(51);
  const auto rec = passphrase::new_record(rng, passphrase::minimum);
  auto k1 = passphrase::derive_key("correct horse battery staple", rec);
  auto k2 = passphrase::derive_key("correct horse battery staple", passphrase::record::from_bytes(rec.to_bytes()).value());
  ASSERT_TRUE(k1);
  ASSERT_TRUE(k2);
  EXPECT_TRUE(*k1 == *k2);
  EXPECT_FALSE(*k1 == passphrase::derive_key("correct horse battery stable", rec).value());
  auto other = rec;
  other.salt[0] ^= 1;
  EXPECT_FALSE(*k1 == passphrase::derive_key("correct horse battery staple", other).value());
}

TEST(Passphrase, RecordKeepsParametersAndRefusesWeakOnes) {
  deterministic_random rng(52);
  const auto rec = passphrase::new_record(rng);
  const auto wire = rec.to_bytes();
  ASSERT_EQ(wire.size(), passphrase::record::encoded_size);
  auto back = passphrase::record::from_bytes(wire).value();
  EXPECT_EQ(back.p.opslimit, passphrase::recommended.opslimit);
  EXPECT_EQ(back.p.memlimit, passphrase::recommended.memlimit);
  EXPECT_EQ(back.salt, rec.salt);
  EXPECT_FALSE(passphrase::needs_upgrade(back));

  auto weak = rec;
  weak.p = {1, 8192};
  EXPECT_EQ(passphrase::derive_key("x", weak).error(), errc::weak_parameters);
  EXPECT_TRUE(passphrase::needs_upgrade(passphrase::new_record(rng, passphrase::minimum)));

  auto v2 = wire;
  v2[0] = 2;
  EXPECT_EQ(passphrase::record::from_bytes(v2).error(), errc::unsupported_version);
  EXPECT_EQ(passphrase::record::from_bytes(byte_view(wire).first(10)).error(), errc::invalid_length);
}

}  // namespace
}  // namespace confidant::crypto
