// The flag tables of the client store (migration 0002): SPOC keys kept across rotations, raised
// flags, received flags with quotes and notes, duplicates, persistence across reopening; and a
// flag sealed to a rotated-out key, opened with the key the store kept.
#include "client/store/flag_store.hpp"
#include "crypto/flag.hpp"
#include "tests/client/support.hpp"

#include <gtest/gtest.h>

namespace confidant::client {
namespace {

using namespace client::test;

constexpr std::uint64_t now_s = 1'795'428'000;

spoc_key_record record_of(const crypto::flag::spoc_device_key& k, std::int64_t created) {
  spoc_key_record r;
  r.key_id = k.certificate().key_id;
  const auto s = k.keypair().secret_key.view();
  r.secret.assign(s.begin(), s.end());
  r.certificate = k.certificate().to_bytes();
  r.created_at_ms = created;
  return r;
}

std::vector<crypto::flag::spoc_device_key> load_keys(flag_store& store) {
  std::vector<crypto::flag::spoc_device_key> out;
  for (const auto& r : store.keys().value()) {
    auto cert = crypto::flag::spoc_key_certificate::from_bytes(r.certificate).value();
    auto secret = crypto::x25519_secret_key::from(r.secret).value();
    out.push_back(crypto::flag::spoc_device_key::from_parts(cert, std::move(secret)).value());
  }
  return out;
}

TEST(ClientFlagStore, KeysAreKeptAndRetiredOnRotation) {
  profile p;
  const auto& id = p.store->identities().own_identity();
  auto k1 = crypto::flag::spoc_device_key::generate(id, 1, now_s, now_s + 86400 * 90, p.rng);
  auto k2 = crypto::flag::spoc_device_key::generate(id, 2, now_s, now_s + 86400 * 90, p.rng);
  auto& flags = p.store->flags();
  ASSERT_TRUE(flags.add_key(record_of(k1, 10)));
  ASSERT_TRUE(flags.mark_published(1, 11));
  ASSERT_TRUE(flags.add_key(record_of(k2, 20)));
  EXPECT_FALSE(flags.add_key(record_of(k2, 21))) << "a key id is stored once";
  auto keys = flags.keys().value();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].published_at_ms, 11);
  EXPECT_FALSE(keys[0].retired_at_ms);
  EXPECT_FALSE(keys[1].published_at_ms);
  ASSERT_TRUE(flags.mark_published(2, 30));
  EXPECT_EQ(flags.mark_published(9, 31).error(), store_errc::not_found);
  p.reopen();
  keys = p.store->flags().keys().value();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].retired_at_ms, 30) << "the older key is retired, not deleted";
  EXPECT_EQ(keys[1].published_at_ms, 30);
  EXPECT_FALSE(keys[1].retired_at_ms);
  EXPECT_EQ(keys[1].certificate, k2.certificate().to_bytes());
}

TEST(ClientFlagStore, AFlagSealedToARotatedOutKeyStillOpens) {
  profile p;
  crypto::deterministic_random rng(31);
  const auto raiser = crypto::identity_keypair::generate(rng);
  const auto& spoc = p.store->identities().own_identity();
  auto old_key = crypto::flag::spoc_device_key::generate(spoc, 1, now_s - 10, now_s + 86400, rng);
  ASSERT_TRUE(p.store->flags().add_key(record_of(old_key, 1)));
  ASSERT_TRUE(p.store->flags().mark_published(1, 1));
  // Raised while key 1 was current ...
  const crypto::flag::spoc_key_certificate old_cert[] = {old_key.certificate()};
  const std::string text = "sealed before the rotation";
  auto sealed = crypto::flag::seal(raiser, spoc.public_keys().signing, old_cert, now_s,
                                   crypto::as_bytes(text), rng)
                    .value()
                    .front()
                    .to_bytes();
  // ... then the device rotates to key 2 and the process restarts.
  auto new_key = crypto::flag::spoc_device_key::generate(spoc, 2, now_s, now_s + 86400 * 90, rng);
  ASSERT_TRUE(p.store->flags().add_key(record_of(new_key, 2)));
  ASSERT_TRUE(p.store->flags().mark_published(2, 2));
  p.reopen();

  const auto kept = load_keys(p.store->flags());
  ASSERT_EQ(kept.size(), 2u);
  std::vector<const crypto::flag::spoc_device_key*> ptrs{&kept[0], &kept[1]};
  auto opened = crypto::flag::open(ptrs, crypto::flag::sealed_flag::from_bytes(sealed).value());
  ASSERT_TRUE(opened) << opened.error().message();
  EXPECT_EQ(std::string(opened->body.begin(), opened->body.end()), text);
  EXPECT_TRUE(opened->flagger == raiser.public_keys());
  // Without the kept key it cannot be opened.
  const crypto::flag::spoc_device_key* only_new[] = {&kept[1]};
  EXPECT_EQ(crypto::flag::open(only_new, crypto::flag::sealed_flag::from_bytes(sealed).value()).error(),
            crypto::errc::unknown_prekey);
}

raised_flag sample_raised(unsigned char seed) {
  raised_flag f;
  f.flag_id = message_id(seed);
  f.category = "child_protection";
  f.urgency = "urgent";
  f.state = "pending";
  f.text = "what happened";
  f.body = {1, 2, 3};
  f.quotes = 1;
  f.created_at_ms = 100 + seed;
  return f;
}

TEST(ClientFlagStore, RaisedFlagsFromPendingToResolved) {
  profile p;
  auto& flags = p.store->flags();
  ASSERT_TRUE(flags.add_raised(sample_raised(1)));
  EXPECT_FALSE(flags.add_raised(sample_raised(1))) << "one record per flag_id";
  auto f = sample_raised(1);
  f.server_id = 4;
  f.state = "received";
  f.raised_at_ms = 1000;
  f.deadline_at_ms = 2000;
  f.out_of_hours = true;
  f.emergency_route = "Call 999.";
  ASSERT_TRUE(flags.update_raised(f));
  EXPECT_EQ(flags.update_raised(sample_raised(9)).error(), store_errc::not_found);
  ASSERT_TRUE(flags.add_raised(sample_raised(2)));
  EXPECT_TRUE(flags.set_raised_state(4, "acknowledged", 1500).value());
  EXPECT_FALSE(flags.set_raised_state(5, "acknowledged", 1500).value());
  p.reopen();
  auto all = p.store->flags().raised().value();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].flag_id, message_id(2)) << "newest first";
  EXPECT_EQ(all[0].state, "pending");
  EXPECT_FALSE(all[0].server_id);
  auto mine = p.store->flags().raised_by_server_id(4).value();
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->state, "acknowledged");
  EXPECT_EQ(mine->acknowledged_at_ms, 1500);
  EXPECT_EQ(mine->deadline_at_ms, 2000);
  EXPECT_TRUE(mine->out_of_hours);
  EXPECT_EQ(mine->emergency_route, "Call 999.");
  EXPECT_EQ(mine->body, (std::vector<unsigned char>{1, 2, 3}));
  EXPECT_FALSE(p.store->flags().raised_by_server_id(5).value());
}

received_flag sample_received() {
  received_flag f;
  f.server_id = 4;
  f.category = "staff_allegation";
  f.urgency = "immediate";
  f.state = "received";
  f.raised_at_ms = 1000;
  f.deadline_at_ms = 2000;
  f.raised_by_user = 5;
  f.raised_by_device = 1;
  f.alert = true;
  f.received_at_ms = 1001;
  f.key_id = 1;
  f.sealed = {9, 9, 9};
  return f;
}

TEST(ClientFlagStore, ReceivedFlagsWithQuotesAndNotes) {
  profile p;
  auto& flags = p.store->flags();
  ASSERT_TRUE(flags.add_received(sample_received()).value());
  EXPECT_FALSE(flags.add_received(sample_received()).value()) << "a redelivered flag is not stored twice";
  auto f = sample_received();
  f.opened = true;
  f.problem = "MISMATCH: …";
  f.flagger_identity.assign(128, 7);
  f.body_flag_id.assign(16, 1);
  f.body_category = "child_protection";
  f.body_urgency = "immediate";
  f.body_raiser_user = 5;
  f.body_raiser_device = 1;
  f.raised_at_client_ms = 999;
  f.text = "the concern";
  f.quotes = {{0, {1, 2}, true, "", "6", "5", 900'000, "quoted one"},
              {1, {3, 4}, false, "the text does not match what the sender committed to", "6", "5", 901'000, "edited"}};
  ASSERT_TRUE(flags.set_opened(f));
  auto meta = sample_received();
  meta.state = "acknowledged";
  meta.acknowledged_at_ms = 1500;
  meta.acknowledged_by = 9;
  ASSERT_TRUE(flags.update_metadata(meta));
  ASSERT_TRUE(flags.set_escalations(4, 2));
  ASSERT_TRUE(flags.set_escalations(4, 1)) << "an older alert never lowers the count";
  EXPECT_TRUE(flags.add_note({4, 1, 9, 1, 1600, true, "", "called the DSL"}).value());
  EXPECT_FALSE(flags.add_note({4, 1, 9, 1, 1600, true, "", "again"}).value());
  EXPECT_TRUE(flags.add_note({4, 2, 10, 1, 1700, false, "not signed by its author", "?"}).value());
  p.reopen();

  auto back = p.store->flags().received(4).value();
  ASSERT_TRUE(back);
  EXPECT_EQ(back->state, "acknowledged");
  EXPECT_EQ(back->acknowledged_by, 9);
  EXPECT_EQ(back->escalations, 2);
  EXPECT_TRUE(back->opened);
  EXPECT_TRUE(back->alert);
  EXPECT_EQ(back->text, "the concern");
  EXPECT_EQ(back->body_category, "child_protection");
  EXPECT_EQ(back->problem, "MISMATCH: …");
  EXPECT_EQ(back->sealed, (std::vector<unsigned char>{9, 9, 9}));
  ASSERT_EQ(back->quotes.size(), 2u);
  EXPECT_TRUE(back->quotes[0].verified);
  EXPECT_EQ(back->quotes[0].text, "quoted one");
  EXPECT_FALSE(back->quotes[1].verified);
  EXPECT_EQ(back->quotes[1].problem, "the text does not match what the sender committed to");
  EXPECT_EQ(back->quotes[1].stamped_at_ms, 901'000);
  auto notes = p.store->flags().notes(4).value();
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0].text, "called the DSL");
  EXPECT_FALSE(notes[1].verified);
  EXPECT_EQ(p.store->flags().received_all().value().size(), 1u);
  EXPECT_FALSE(p.store->flags().received(5).value());
  // Opening again replaces the quotes rather than adding to them.
  f.quotes.resize(1);
  ASSERT_TRUE(p.store->flags().set_opened(f));
  EXPECT_EQ(p.store->flags().received(4).value()->quotes.size(), 1u);
}

TEST(ClientFlagStore, ReceivedMessagesKeepTheirFrankedPayloadForQuoting) {
  profile p;
  history_entry e;
  e.peer = 6;
  e.from_device = 1;
  e.message_id = message_id(3);
  e.server_id = 77;
  e.text = "quote me";
  e.payload = {'{', '}'};
  ASSERT_TRUE(p.store->add_incoming(e).value());
  p.reopen();
  auto back = p.store->incoming_since(0).value();
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].payload, (std::vector<unsigned char>{'{', '}'}));
}

}  // namespace
}  // namespace confidant::client
