// Sesame: one payload fanned out to every device of the recipient and the sender's other
// devices, sessions created from bundles, prekeys consumed only on success, trust on first use.
#include "crypto/memory_stores.hpp"
#include "crypto/sesame.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace confidant::crypto {
namespace {

bytes text(std::string_view s) { return bytes(s.begin(), s.end()); }

struct device {
  device_address address;
  memory_identity_store identities;
  memory_prekey_store prekeys;
  memory_session_store sessions;
  std::uint32_t next_otk = 100;
  sesame::session_manager manager;

  device(device_address a, random_source& rng)
      : address(a),
        identities(identity_keypair::generate(rng)),
        manager(address, identities, prekeys, sessions, rng) {
    EXPECT_TRUE(prekeys.store_signed_prekey(signed_prekey::generate(identities.own_identity(), 1, 1700000000, rng)));
    for (auto& k : one_time_prekey::generate_batch(next_otk, 5, rng)) EXPECT_TRUE(prekeys.store_one_time_prekey(k));
  }

  // What the server would hand out: identity, signed prekey and the next one-time prekey.
  prekey_bundle bundle() {
    auto spk = prekeys.load_signed_prekey(1).value();
    auto otk = prekeys.load_one_time_prekey(next_otk++).value();
    return {identities.own_identity().public_keys(), spk.public_part(), otk.public_part()};
  }
  sesame::device_target target() { return {address, bundle()}; }
  std::size_t otks() const { return prekeys.one_time_prekey_count().value(); }
};

struct world {
  deterministic_random rng{81};
  device alice1{{"alice", 1}, rng};
  device alice2{{"alice", 2}, rng};
  device bob1{{"bob", 1}, rng};
  device bob2{{"bob", 2}, rng};
};

const bytes& find(const std::vector<sesame::outgoing>& out, const device_address& to) {
  for (const auto& o : out) {
    if (o.to == to) return o.envelope;
  }
  ADD_FAILURE() << "no envelope for " << to.user << "/" << to.device;
  static const bytes none;
  return none;
}

TEST(Sesame, OnePayloadForEveryRecipientDeviceAndTheSendersOtherDevices) {
  world w;
  const sesame::device_target targets[] = {w.bob1.target(), w.bob2.target(), w.alice2.target(), {w.alice1.address, {}}};
  auto out = w.alice1.manager.encrypt(targets, text("hello bob"));
  ASSERT_TRUE(out) << out.error().message();
  ASSERT_EQ(out->size(), 3u);  // this device is skipped
  for (device* d : {&w.bob1, &w.bob2, &w.alice2}) {
    const auto before = d->otks();
    auto got = d->manager.decrypt(w.alice1.address, find(*out, d->address));
    ASSERT_TRUE(got) << d->address.user << "/" << d->address.device << ": " << got.error().message();
    EXPECT_EQ(*got, text("hello bob"));
    EXPECT_EQ(d->otks(), before - 1);
  }
  EXPECT_NE(find(*out, w.bob1.address), find(*out, w.bob2.address));
}

TEST(Sesame, PrekeyEnvelopesRepeatUntilTheFirstReplyAndReuseOneSession) {
  world w;
  const sesame::device_target to_bob[] = {w.bob1.target()};
  auto first = w.alice1.manager.encrypt(to_bob, text("one")).value();
  const sesame::device_target again[] = {{w.bob1.address, {}}};
  auto second = w.alice1.manager.encrypt(again, text("two")).value();
  EXPECT_EQ(second[0].envelope[1], 1);  // still a prekey envelope
  EXPECT_EQ(w.bob1.manager.decrypt(w.alice1.address, second[0].envelope).value(), text("two"));
  EXPECT_EQ(w.bob1.manager.decrypt(w.alice1.address, first[0].envelope).value(), text("one"));
  EXPECT_EQ(w.bob1.otks(), 4u);  // consumed once

  const sesame::device_target to_alice[] = {{w.alice1.address, {}}};
  auto reply = w.bob1.manager.encrypt(to_alice, text("hi")).value();
  EXPECT_EQ(reply[0].envelope[1], 2);
  EXPECT_EQ(w.alice1.manager.decrypt(w.bob1.address, reply[0].envelope).value(), text("hi"));
  auto third = w.alice1.manager.encrypt(again, text("three")).value();
  EXPECT_EQ(third[0].envelope[1], 2);  // the handshake is complete
  EXPECT_EQ(w.bob1.manager.decrypt(w.alice1.address, third[0].envelope).value(), text("three"));
  EXPECT_EQ(w.bob1.manager.decrypt(w.alice1.address, first[0].envelope).error(), errc::duplicate_message);
  EXPECT_EQ(w.bob1.manager.decrypt(w.alice1.address, third[0].envelope).error(), errc::duplicate_message);
}

TEST(Sesame, NoSessionAndNoBundleChangesNothing) {
  world w;
  const sesame::device_target targets[] = {w.bob1.target(), {w.bob2.address, {}}};
  EXPECT_EQ(w.alice1.manager.encrypt(targets, text("x")).error(), errc::no_session);
  EXPECT_EQ(w.alice1.sessions.size(), 0u);
  EXPECT_EQ(w.bob1.manager.decrypt(w.alice1.address, bytes{1, 2}).error(), errc::invalid_length);
}

TEST(Sesame, FailedDecryptionConsumesNoPrekeyAndStoresNothing) {
  world w;
  const sesame::device_target to_bob[] = {w.bob1.target()};
  auto out = w.alice1.manager.encrypt(to_bob, text("fragile")).value();
  auto forged = out[0].envelope;
  forged.back() ^= 1;
  EXPECT_EQ(w.bob1.manager.decrypt(w.alice1.address, forged).error(), errc::decrypt_failed);
  EXPECT_EQ(w.bob1.otks(), 5u);
  EXPECT_FALSE(w.bob1.manager.has_session(w.alice1.address).value());
  // Flipping the envelope type or a prekey id is caught as well (the prefix is authenticated).
  auto other_id = out[0].envelope;
  other_id[2 + 128 + 32 + 3] ^= 1;
  EXPECT_FALSE(w.bob1.manager.decrypt(w.alice1.address, other_id));
  EXPECT_EQ(w.bob1.manager.decrypt(w.alice1.address, out[0].envelope).value(), text("fragile"));
}

TEST(Sesame, ChangedIdentityIsRefusedOnBothSides) {
  world w;
  const sesame::device_target to_bob[] = {w.bob1.target()};
  auto out = w.alice1.manager.encrypt(to_bob, text("real alice")).value();
  ASSERT_TRUE(w.bob1.manager.decrypt(w.alice1.address, out[0].envelope));

  // Mallory claims to be alice/1 with her own identity.
  deterministic_random rng(82);
  device mallory({"alice", 1}, rng);
  const sesame::device_target to_bob_again[] = {w.bob1.target()};
  auto fake = mallory.manager.encrypt(to_bob_again, text("fake alice")).value();
  EXPECT_EQ(w.bob1.manager.decrypt(w.alice1.address, fake[0].envelope).error(), errc::untrusted_identity);

  // Alice is handed a bundle for bob/1 with someone else's identity after the reset.
  ASSERT_TRUE(w.alice1.manager.reset(w.bob1.address));
  auto evil = w.bob2.bundle();
  const sesame::device_target swapped[] = {{w.bob1.address, evil}};
  EXPECT_EQ(w.alice1.manager.encrypt(swapped, text("x")).error(), errc::untrusted_identity);
}

TEST(Sesame, ResetStartsAFreshSession) {
  world w;
  const sesame::device_target to_bob[] = {w.bob1.target()};
  ASSERT_TRUE(w.bob1.manager.decrypt(w.alice1.address, w.alice1.manager.encrypt(to_bob, text("a")).value()[0].envelope));
  ASSERT_TRUE(w.alice1.manager.reset(w.bob1.address));
  EXPECT_FALSE(w.alice1.manager.has_session(w.bob1.address).value());
  const sesame::device_target no_bundle[] = {{w.bob1.address, {}}};
  EXPECT_EQ(w.alice1.manager.encrypt(no_bundle, text("b")).error(), errc::no_session);
  const sesame::device_target fresh[] = {w.bob1.target()};
  auto out = w.alice1.manager.encrypt(fresh, text("after reset")).value();
  EXPECT_EQ(w.bob1.manager.decrypt(w.alice1.address, out[0].envelope).value(), text("after reset"));
  const sesame::device_target to_alice[] = {{w.alice1.address, {}}};
  auto reply = w.bob1.manager.encrypt(to_alice, text("ok")).value();
  EXPECT_EQ(w.alice1.manager.decrypt(w.bob1.address, reply[0].envelope).value(), text("ok"));
}

TEST(Sesame, UnknownPrekeyIsATypedError) {
  world w;
  const sesame::device_target to_bob[] = {w.bob1.target()};
  auto out = w.alice1.manager.encrypt(to_bob, text("a")).value();
  ASSERT_TRUE(w.bob1.prekeys.remove_one_time_prekey(100));
  EXPECT_EQ(w.bob1.manager.decrypt(w.alice1.address, out[0].envelope).error(), errc::unknown_prekey);
}

}  // namespace
}  // namespace confidant::crypto
