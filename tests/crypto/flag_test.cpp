#include "crypto/flag.hpp"
#include "tests/crypto/support.hpp"

#include <sodium.h>

#include <gtest/gtest.h>

namespace confidant::crypto {
namespace {

bytes text(std::string_view s) { return bytes(s.begin(), s.end()); }

constexpr std::uint64_t now = 1700000000;

struct spoc_setup {
  deterministic_random rng{71};
  identity_keypair spoc = identity_keypair::generate(rng);
  identity_keypair flagger = identity_keypair::generate(rng);
  spoc_setup() = default;
  flag::spoc_device_key phone = flag::spoc_device_key::generate(spoc, 1, now - 10, now + 86400, rng);
  flag::spoc_device_key laptop = flag::spoc_device_key::generate(spoc, 2, now - 10, now + 86400, rng);
  std::vector<flag::spoc_key_certificate> certs() const { return {phone.certificate(), laptop.certificate()}; }
};

TEST(Flag, SealedToEachSpocDeviceAndOpenedWithSignerVerified) {
  spoc_setup s;
  auto sealed = flag::seal(s.flagger, s.spoc.public_keys().signing, s.certs(), now, text("concern about X"), s.rng);
  ASSERT_TRUE(sealed) << sealed.error().message();
  ASSERT_EQ(sealed->size(), 2u);
  const flag::spoc_device_key* phone_keys[] = {&s.phone};
  const flag::spoc_device_key* laptop_keys[] = {&s.laptop};
  auto on_phone = flag::open(phone_keys, flag::sealed_flag::from_bytes((*sealed)[0].to_bytes()).value());
  ASSERT_TRUE(on_phone) << on_phone.error().message();
  EXPECT_EQ(on_phone->body, text("concern about X"));
  EXPECT_TRUE(on_phone->flagger == s.flagger.public_keys());
  auto on_laptop = flag::open(laptop_keys, (*sealed)[1]);
  ASSERT_TRUE(on_laptop);
  // The phone cannot open the laptop's copy.
  EXPECT_EQ(flag::open(phone_keys, (*sealed)[1]).error(), errc::unknown_prekey);
}

TEST(Flag, FormatIsCryptoBoxSeal) {
  spoc_setup s;
  auto sealed = flag::seal(s.flagger, s.spoc.public_keys().signing, s.certs(), now, text("b"), s.rng).value();
  bytes inner(sealed[0].box.size() - crypto_box_SEALBYTES);
  EXPECT_EQ(crypto_box_seal_open(inner.data(), sealed[0].box.data(), sealed[0].box.size(),
                                 s.phone.keypair().public_key.data(), s.phone.keypair().secret_key.data()),
            0);
}

TEST(Flag, RebindingToAnotherKeyIsDetected) {
  spoc_setup s;
  auto sealed = flag::seal(s.flagger, s.spoc.public_keys().signing, s.certs(), now, text("b"), s.rng).value();
  // The phone's holder re-seals the decrypted inner record to the laptop under the laptop's id.
  bytes inner(sealed[0].box.size() - crypto_box_SEALBYTES);
  ASSERT_EQ(crypto_box_seal_open(inner.data(), sealed[0].box.data(), sealed[0].box.size(),
                                 s.phone.keypair().public_key.data(), s.phone.keypair().secret_key.data()),
            0);
  flag::sealed_flag moved{2, bytes(inner.size() + crypto_box_SEALBYTES)};
  ASSERT_EQ(crypto_box_seal(moved.box.data(), inner.data(), inner.size(), s.laptop.keypair().public_key.data()), 0);
  const flag::spoc_device_key* laptop_keys[] = {&s.laptop};
  EXPECT_EQ(flag::open(laptop_keys, moved).error(), errc::binding_mismatch);

  // Tampering with the body inside a valid box breaks the flagger's signature.
  inner[1 + 32 + 4 + 32 + identity_public::encoded_size + 4] ^= 1;
  flag::sealed_flag tampered{1, bytes(inner.size() + crypto_box_SEALBYTES)};
  ASSERT_EQ(crypto_box_seal(tampered.box.data(), inner.data(), inner.size(), s.phone.keypair().public_key.data()), 0);
  const flag::spoc_device_key* phone_keys[] = {&s.phone};
  EXPECT_EQ(flag::open(phone_keys, tampered).error(), errc::bad_signature);

  auto corrupt = sealed[0];
  corrupt.box[40] ^= 1;
  EXPECT_EQ(flag::open(phone_keys, corrupt).error(), errc::decrypt_failed);
}

TEST(Flag, CertificatesAreCheckedBeforeSealing) {
  spoc_setup s;
  auto certs = s.certs();
  EXPECT_EQ(flag::seal(s.flagger, s.flagger.public_keys().signing, certs, now, text("b"), s.rng).error(),
            errc::binding_mismatch);
  EXPECT_EQ(flag::seal(s.flagger, s.spoc.public_keys().signing, certs, now + 2 * 86400, text("b"), s.rng).error(),
            errc::expired_key);
  certs[1].key_id = 3;
  EXPECT_EQ(flag::seal(s.flagger, s.spoc.public_keys().signing, certs, now, text("b"), s.rng).error(),
            errc::bad_signature);
  auto back = flag::spoc_key_certificate::from_bytes(s.phone.certificate().to_bytes()).value();
  EXPECT_TRUE(back.verify(s.spoc.public_keys().signing, now));
}

TEST(Flag, RotationKeepsOldFlagsReadable) {
  spoc_setup s;
  auto old_flag = flag::seal(s.flagger, s.spoc.public_keys().signing, s.certs(), now, text("old"), s.rng).value();
  auto next = flag::spoc_device_key::generate(s.spoc, 3, now, now + 30 * 86400, s.rng);
  const flag::spoc_key_certificate new_certs[] = {next.certificate()};
  auto new_flag = flag::seal(s.flagger, s.spoc.public_keys().signing, new_certs, now, text("new"), s.rng).value();
  const flag::spoc_device_key* keys[] = {&s.phone, &next};
  EXPECT_EQ(flag::open(keys, old_flag[0]).value().body, text("old"));
  EXPECT_EQ(flag::open(keys, new_flag[0]).value().body, text("new"));
}

TEST(Flag, AKeptKeyIsRebuiltFromItsCertificateAndSecret) {
  spoc_setup s;
  auto sealed = flag::seal(s.flagger, s.spoc.public_keys().signing, s.certs(), now, text("kept"), s.rng).value();
  auto rebuilt = flag::spoc_device_key::from_parts(s.phone.certificate(), s.phone.keypair().secret_key.clone());
  ASSERT_TRUE(rebuilt) << rebuilt.error().message();
  const flag::spoc_device_key* keys[] = {&*rebuilt};
  EXPECT_EQ(flag::open(keys, sealed[0]).value().body, text("kept"));
  // The laptop's secret does not belong to the phone's certificate.
  EXPECT_EQ(flag::spoc_device_key::from_parts(s.phone.certificate(), s.laptop.keypair().secret_key.clone()).error(),
            errc::binding_mismatch);
}

}  // namespace
}  // namespace confidant::crypto
