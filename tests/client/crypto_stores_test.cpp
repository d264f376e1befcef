// The crypto core's stores on the local database: trust on first use with verified marks (as
// crypto::memory_identity_store behaves), prekeys and sessions, each surviving a reopen.
#include "tests/client/support.hpp"

#include "crypto/prekeys.hpp"

namespace confidant::client {
namespace {

using namespace client::test;

TEST(ClientIdentityStore, TrustOnFirstUseThenRefusesAChangedKey) {
  profile p;
  auto& ids = p.store->identities();
  const crypto::device_address bob{"5", 1};
  const auto key = crypto::identity_keypair::generate(p.rng).public_keys();
  const auto other = crypto::identity_keypair::generate(p.rng).public_keys();

  EXPECT_TRUE(ids.check_trusted(bob, key));  // never seen: fine
  EXPECT_TRUE(ids.check_trusted(bob, other));
  ASSERT_TRUE(ids.save_identity(bob, key));
  EXPECT_TRUE(ids.check_trusted(bob, key));
  EXPECT_EQ(ids.check_trusted(bob, other).error(), crypto::errc::untrusted_identity);
  EXPECT_TRUE(ids.check_trusted({"5", 2}, other));  // another device is its own entry
  EXPECT_TRUE(ids.check_trusted({"6", 1}, other));

  p.reopen();
  auto& again = p.store->identities();
  EXPECT_TRUE(again.check_trusted(bob, key));
  EXPECT_EQ(again.check_trusted(bob, other).error(), crypto::errc::untrusted_identity);
}

TEST(ClientIdentityStore, VerifiedMarkBelongsToTheKeyThatWasCompared) {
  profile p;
  const crypto::device_address bob{"5", 1};
  const auto key = crypto::identity_keypair::generate(p.rng).public_keys();
  const auto changed = crypto::identity_keypair::generate(p.rng).public_keys();

  EXPECT_FALSE(p.store->is_verified(bob).value());  // unknown device
  ASSERT_TRUE(p.store->identities().save_identity(bob, key));
  EXPECT_FALSE(p.store->is_verified(bob).value());
  ASSERT_TRUE(p.store->mark_verified(bob, key));
  EXPECT_TRUE(p.store->is_verified(bob).value());
  ASSERT_TRUE(p.store->identities().save_identity(bob, key));  // same key: the mark stays
  EXPECT_TRUE(p.store->is_verified(bob).value());
  p.reopen();
  EXPECT_TRUE(p.store->is_verified(bob).value());

  // Saving a changed key (the crypto core only does that after the user re-verified) clears it.
  ASSERT_TRUE(p.store->identities().save_identity(bob, changed));
  EXPECT_FALSE(p.store->is_verified(bob).value());
  EXPECT_TRUE(p.store->identities().check_trusted(bob, changed));
  EXPECT_EQ(p.store->identities().check_trusted(bob, key).error(), crypto::errc::untrusted_identity);

  // mark_verified accepts a changed key the user has compared: it replaces the old one.
  ASSERT_TRUE(p.store->mark_verified(bob, key));
  EXPECT_TRUE(p.store->is_verified(bob).value());
  EXPECT_TRUE(p.store->identities().check_trusted(bob, key));
  EXPECT_EQ(p.store->identities().check_trusted(bob, changed).error(), crypto::errc::untrusted_identity);
}

TEST(ClientIdentityStore, KnownIdentitiesListsOneUsersDevicesInOrder) {
  profile p;
  const auto k1 = crypto::identity_keypair::generate(p.rng).public_keys();
  const auto k2 = crypto::identity_keypair::generate(p.rng).public_keys();
  const auto k3 = crypto::identity_keypair::generate(p.rng).public_keys();
  ASSERT_TRUE(p.store->identities().save_identity({"5", 2}, k2));
  ASSERT_TRUE(p.store->identities().save_identity({"5", 1}, k1));
  ASSERT_TRUE(p.store->identities().save_identity({"55", 1}, k3));
  auto known = p.store->known_identities(5).value();
  ASSERT_EQ(known.size(), 2u);
  EXPECT_EQ(known[0].first, (crypto::device_address{"5", 1}));
  EXPECT_TRUE(known[0].second == k1);
  EXPECT_EQ(known[1].first, (crypto::device_address{"5", 2}));
  EXPECT_TRUE(known[1].second == k2);
  EXPECT_TRUE(p.store->known_identities(6).value().empty());
}

TEST(ClientPrekeyStore, SignedAndOneTimePrekeysRoundTrip) {
  profile p;
  auto& pre = p.store->prekeys();
  const auto& own = p.store->identities().own_identity();
  const auto spk = crypto::signed_prekey::generate(own, 1, 1700000000, p.rng);
  ASSERT_TRUE(pre.store_signed_prekey(spk));
  EXPECT_EQ(pre.load_signed_prekey(2).error(), crypto::errc::unknown_prekey);
  EXPECT_EQ(pre.load_one_time_prekey(1).error(), crypto::errc::unknown_prekey);

  EXPECT_EQ(p.store->next_prekey_id().value(), 1u);
  const auto first = p.store->next_prekey_id().value();
  const auto batch = crypto::one_time_prekey::generate_batch(first, 5, p.rng);
  for (const auto& k : batch) ASSERT_TRUE(pre.store_one_time_prekey(k));
  EXPECT_EQ(pre.one_time_prekey_count().value(), 5u);
  EXPECT_EQ(p.store->next_prekey_id().value(), 6u);

  p.reopen();
  auto& again = p.store->prekeys();
  const auto& reopened = p.store->identities().own_identity();  // `own` went with the old store
  auto loaded = again.load_signed_prekey(1);
  ASSERT_TRUE(loaded) << loaded.error().message();
  EXPECT_EQ(loaded->public_part().key, spk.public_part().key);
  EXPECT_EQ(loaded->public_part().signature, spk.public_part().signature);
  EXPECT_EQ(loaded->public_part().created_at, 1700000000u);
  EXPECT_TRUE(loaded->keypair().secret_key == spk.keypair().secret_key);
  EXPECT_TRUE(loaded->public_part().verify(reopened.public_keys().signing));

  auto otk = again.load_one_time_prekey(3);
  ASSERT_TRUE(otk);
  EXPECT_EQ(otk->public_part().key, batch[2].public_part().key);
  EXPECT_TRUE(otk->keypair().secret_key == batch[2].keypair().secret_key);

  ASSERT_TRUE(again.remove_one_time_prekey(3));
  EXPECT_EQ(again.remove_one_time_prekey(3).error(), crypto::errc::unknown_prekey);
  EXPECT_EQ(again.load_one_time_prekey(3).error(), crypto::errc::unknown_prekey);
  EXPECT_EQ(again.one_time_prekey_count().value(), 4u);
  for (std::uint32_t id : {1u, 2u, 4u, 5u}) ASSERT_TRUE(again.remove_one_time_prekey(id));
  EXPECT_EQ(again.one_time_prekey_count().value(), 0u);
  // Ids are never handed out twice, even once every key is gone.
  EXPECT_EQ(p.store->next_prekey_id().value(), 6u);

  // A rotated signed prekey under the same id replaces the old one.
  const auto rotated = crypto::signed_prekey::generate(reopened, 1, 1800000000, p.rng);
  ASSERT_TRUE(again.store_signed_prekey(rotated));
  EXPECT_EQ(again.load_signed_prekey(1).value().public_part().created_at, 1800000000u);
}

TEST(ClientSessionStore, RecordsRoundTripPerDevice) {
  profile p;
  auto& sessions = p.store->sessions();
  const crypto::device_address bob1{"5", 1};
  const crypto::device_address bob2{"5", 2};
  EXPECT_FALSE(sessions.load_session(bob1).value().has_value());
  const crypto::bytes one{1, 2, 3, 4};
  const crypto::bytes two(3000, 0xab);
  ASSERT_TRUE(sessions.store_session(bob1, one));
  ASSERT_TRUE(sessions.store_session(bob2, two));
  EXPECT_EQ(sessions.load_session(bob1).value(), one);

  p.reopen();
  auto& again = p.store->sessions();
  EXPECT_EQ(again.load_session(bob1).value(), one);
  EXPECT_EQ(again.load_session(bob2).value(), two);
  ASSERT_TRUE(again.store_session(bob1, two));
  EXPECT_EQ(again.load_session(bob1).value(), two);
  ASSERT_TRUE(again.delete_session(bob1));
  ASSERT_TRUE(again.delete_session(bob1));  // absent: fine, as the in-memory store
  EXPECT_FALSE(again.load_session(bob1).value().has_value());
  EXPECT_EQ(again.load_session(bob2).value(), two);
}

}  // namespace
}  // namespace confidant::client
