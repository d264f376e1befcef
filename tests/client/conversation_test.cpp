// A real two-party conversation through crypto::sesame::session_manager with both sides' stores
// on local_store, each decryption stored together with its message (atomically), and both
// profiles closed and reopened from disk in the middle.
#include "tests/client/support.hpp"

#include "crypto/bundle.hpp"
#include "crypto/sesame.hpp"

#include <optional>

namespace confidant::client {
namespace {

using namespace client::test;

struct party {
  std::filesystem::path dir;
  crypto::device_address address;
  crypto::deterministic_random rng;
  std::unique_ptr<local_store> store;
  std::optional<crypto::sesame::session_manager> manager;
  std::uint32_t next_handed_out = 0;  // the next one-time prekey "the server" gives away
  std::int64_t next_server_id;

  party(std::filesystem::path d, std::int64_t user, std::uint64_t seed)
      : dir(std::move(d)), address{std::to_string(user), 1}, rng(seed), next_server_id(user * 1000) {
    store = create_store(dir, crypto::identity_keypair::generate(rng), sample_account(user, 1));
    attach();
  }

  void attach() { manager.emplace(address, store->identities(), store->prekeys(), store->sessions(), rng); }

  void reopen() {
    manager.reset();
    store.reset();
    store = open_store(dir);
    ASSERT_TRUE(store);
    attach();
  }

  void publish_prekeys() {
    const auto& own = store->identities().own_identity();
    ASSERT_TRUE(store->prekeys().store_signed_prekey(crypto::signed_prekey::generate(own, 1, 1700000000, rng)));
    next_handed_out = store->next_prekey_id().value();
    for (const auto& k : crypto::one_time_prekey::generate_batch(next_handed_out, 5, rng)) {
      ASSERT_TRUE(store->prekeys().store_one_time_prekey(k));
    }
  }

  crypto::prekey_bundle bundle() {
    auto spk = store->prekeys().load_signed_prekey(1).value();
    auto otk = store->prekeys().load_one_time_prekey(next_handed_out++).value();
    return {store->identities().own_identity().public_keys(), spk.public_part(), otk.public_part()};
  }

  // Encrypts for `to`'s device (with a bundle the first time) and records the send.
  crypto::bytes send(party& to, const std::string& text, bool with_bundle = false) {
    std::vector<crypto::sesame::device_target> targets{{to.address, {}}};
    if (with_bundle) targets[0].bundle = to.bundle();
    auto out = manager->encrypt(targets, crypto::as_bytes(text));
    EXPECT_TRUE(out) << out.error().message();
    if (!out || out->size() != 1) return {};
    history_entry e;
    e.peer = std::stoll(to.address.user);
    e.outgoing = true;
    e.from_device = 1;
    e.message_id = message_id(static_cast<unsigned char>(next_server_id));
    e.sent_at_ms = next_server_id;
    e.text = text;
    EXPECT_TRUE(store->add_outgoing(e));
    EXPECT_TRUE(store->mark_accepted(e.message_id, next_server_id++, 1));
    return std::move((*out)[0].envelope);
  }

  // Decrypts and stores the message in one transaction; `fail_after` simulates a crash or a
  // failed check after decryption, which must leave the session where it was.
  store_result<std::string> receive(const party& from, const crypto::bytes& envelope, std::int64_t server_id,
                                    bool fail_after = false) {
    std::string text;
    auto r = store->atomically([&]() -> store_result<void> {
      auto plain = manager->decrypt(from.address, envelope);
      if (!plain) return plain.error();
      text.assign(plain->begin(), plain->end());
      crypto::wipe(*plain);
      history_entry e;
      e.peer = std::stoll(from.address.user);
      e.from_device = 1;
      e.message_id = message_id(static_cast<unsigned char>(server_id));
      e.server_id = server_id;
      e.text = text;
      if (auto added = store->add_incoming(e); !added) return added.error();
      if (fail_after) return store_errc::io_error;
      return {};
    });
    if (!r) return r.error();
    return text;
  }

  std::vector<std::string> texts(std::int64_t peer) {
    std::vector<std::string> out;
    for (const auto& e : store->history(peer, 100).value()) out.push_back(e.text);
    return out;
  }
};

TEST(ClientConversation, TwoLocalStoresTalkAcrossReopens) {
  temp_dir tmp;
  party alice(tmp / "alice", 3, 101);
  party bob(tmp / "bob", 5, 202);
  bob.publish_prekeys();
  ASSERT_FALSE(HasFatalFailure());

  const auto m1 = alice.send(bob, "m1: can we talk about Year 6?", true);
  const auto m2 = alice.send(bob, "m2: before Thursday");
  EXPECT_EQ(bob.receive(alice, m1, 1).value(), "m1: can we talk about Year 6?");
  EXPECT_EQ(bob.receive(alice, m2, 2).value(), "m2: before Thursday");
  EXPECT_EQ(bob.store->prekeys().one_time_prekey_count().value(), 4u);  // consumed once
  EXPECT_EQ(alice.receive(bob, bob.send(alice, "r1: of course"), 3).value(), "r1: of course");

  // Both close and reopen from disk: sessions, identities and prekeys come back from the files.
  alice.reopen();
  bob.reopen();
  ASSERT_FALSE(HasFatalFailure());
  const auto m3 = alice.send(bob, "m3: thank you");
  ASSERT_EQ(m3.at(1), 2);  // the handshake finished before the reopen: a plain message
  EXPECT_EQ(bob.receive(alice, m3, 4).value(), "m3: thank you");

  // Out of order across a reopen: r3's skipped key for r2 is kept in the stored session.
  const auto r2 = bob.send(alice, "r2: see you then");
  const auto r3 = bob.send(alice, "r3: bring the data");
  EXPECT_EQ(alice.receive(bob, r3, 5).value(), "r3: bring the data");
  alice.reopen();
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_EQ(alice.receive(bob, r2, 6).value(), "r2: see you then");
  EXPECT_EQ(alice.receive(bob, r2, 7).error(), crypto::errc::duplicate_message);

  // A failure after decryption rolls the ratchet back with the message: it decrypts again.
  const auto m4 = alice.send(bob, "m4: one more thing");
  EXPECT_EQ(bob.receive(alice, m4, 8, true).error(), store_errc::io_error);
  EXPECT_FALSE(bob.store->seen_server_id(8).value());
  bob.reopen();
  ASSERT_FALSE(HasFatalFailure());
  EXPECT_EQ(bob.receive(alice, m4, 8).value(), "m4: one more thing");
  EXPECT_EQ(bob.receive(alice, m3, 9).error(), crypto::errc::duplicate_message);
  EXPECT_EQ(bob.receive(alice, m1, 10).error(), crypto::errc::duplicate_message);

  EXPECT_EQ(bob.texts(3), (std::vector<std::string>{"m1: can we talk about Year 6?", "m2: before Thursday",
                                                    "r1: of course", "m3: thank you", "r2: see you then",
                                                    "r3: bring the data", "m4: one more thing"}));
  EXPECT_EQ(alice.texts(5), (std::vector<std::string>{"m1: can we talk about Year 6?", "m2: before Thursday",
                                                      "r1: of course", "m3: thank you", "r3: bring the data",
                                                      "r2: see you then", "m4: one more thing"}));
  // Trust on first use recorded each other's identity.
  const auto known = bob.store->known_identities(3).value();
  ASSERT_EQ(known.size(), 1u);
  EXPECT_TRUE(known[0].second == alice.store->identities().own_identity().public_keys());
  EXPECT_EQ(alice.store->known_identities(5).value().size(), 1u);
  EXPECT_EQ(bob.store->prekeys().one_time_prekey_count().value(), 4u);
}

}  // namespace
}  // namespace confidant::client
