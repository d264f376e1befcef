// Forgeries, replays and resource limits: every rejection is typed and leaves the state intact.
#include "crypto/ratchet/session.hpp"
#include "tests/crypto/conversation.hpp"
#include "tests/crypto/support.hpp"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace confidant::crypto {
namespace {

using test::conversation;
using test::text;

// A conversation in steady state (both chains open) and a fresh message from Alice to Bob.
struct steady {
  conversation c{42};
  ratchet::message sample;
  steady() {
    for (int i = 0; i < 3; ++i) {
      EXPECT_TRUE(c.bob_reads(c.alice_sends("warm-up a")));
      EXPECT_TRUE(c.alice_reads(c.bob_sends("warm-up b")));
    }
    EXPECT_TRUE(c.bob_reads(c.alice_sends("one more")));
    sample = c.alice_sends("the sample message, forty-odd bytes long");
  }
};

TEST(RatchetAdversarial, EverySingleBitFlipOfHeaderAndCiphertextIsRejected) {
  steady s;
  const auto before = s.c.bob->to_bytes();
  const auto wire = s.sample.to_bytes();
  std::size_t rejected = 0;
  for (std::size_t bit = 0; bit < wire.size() * 8; ++bit) {
    auto forged = wire;
    forged[bit / 8] = static_cast<byte>(forged[bit / 8] ^ (1u << (bit % 8)));
    auto m = ratchet::message::from_bytes(forged);
    if (!m) {
      ++rejected;
      continue;
    }
    auto r = s.c.bob_reads(*m);
    ASSERT_FALSE(r) << "bit " << bit << " accepted";
    ++rejected;
  }
  EXPECT_EQ(rejected, wire.size() * 8);
  EXPECT_EQ(s.c.bob->to_bytes(), before);
  EXPECT_EQ(s.c.bob_reads(s.sample).value(), text("the sample message, forty-odd bytes long"));
}

TEST(RatchetAdversarial, TenThousandRandomBitFlipsAreRejected) {
  steady s;
  const auto before = s.c.bob->to_bytes();
  const auto wire = s.sample.to_bytes();
  std::mt19937_64 gen(2024);
  std::uniform_int_distribution<std::size_t> pick_bit(0, wire.size() * 8 - 1);
  std::uniform_int_distribution<int> how_many(1, 3);
  for (int trial = 0; trial < 10000; ++trial) {
    auto forged = wire;
    const int flips = trial < 5000 ? 1 : how_many(gen);  // half single flips, half 1-3 flips
    bool changed = false;
    for (int f = 0; f < flips; ++f) {
      const auto bit = pick_bit(gen);
      forged[bit / 8] = static_cast<byte>(forged[bit / 8] ^ (1u << (bit % 8)));
    }
    changed = forged != wire;
    if (!changed) continue;  // an even number of flips of one bit
    auto m = ratchet::message::from_bytes(forged);
    if (!m) continue;
    ASSERT_FALSE(s.c.bob_reads(*m)) << "trial " << trial << " accepted";
  }
  EXPECT_EQ(s.c.bob->to_bytes(), before);
  EXPECT_TRUE(s.c.bob_reads(s.sample));
}

TEST(RatchetAdversarial, ReplaysAreRejectedAsDuplicates) {
  steady s;
  ASSERT_TRUE(s.c.bob_reads(s.sample));
  EXPECT_EQ(s.c.bob_reads(s.sample).error(), errc::duplicate_message);

  // A replay of a message delivered from a skipped key.
  auto early = s.c.alice_sends("early");
  auto later = s.c.alice_sends("later");
  ASSERT_TRUE(s.c.bob_reads(later));
  ASSERT_TRUE(s.c.bob_reads(early));
  EXPECT_EQ(s.c.bob_reads(early).error(), errc::duplicate_message);
  EXPECT_EQ(s.c.bob_reads(later).error(), errc::duplicate_message);

  // A replay from a chain that has since been closed by a ratchet step.
  ASSERT_TRUE(s.c.alice_reads(s.c.bob_sends("turn")));
  ASSERT_TRUE(s.c.bob_reads(s.c.alice_sends("new chain")));
  EXPECT_EQ(s.c.bob_reads(s.sample).error(), errc::duplicate_message);
  EXPECT_EQ(s.c.bob_reads(later).error(), errc::duplicate_message);
}

TEST(RatchetAdversarial, SkippingBeyondMaxSkipIsRefusedWithoutDamage) {
  conversation c(43);
  std::vector<ratchet::message> sent;
  for (std::uint32_t i = 0; i <= ratchet::max_skip + 1; ++i) sent.push_back(c.alice_sends("m" + std::to_string(i)));
  const auto before = c.bob->to_bytes();
  // The first message of a chain may skip exactly MAX_SKIP keys, not one more.
  EXPECT_EQ(c.bob_reads(sent[ratchet::max_skip + 1]).error(), errc::too_many_skipped);
  EXPECT_EQ(c.bob->to_bytes(), before);
  ASSERT_EQ(c.bob_reads(sent[ratchet::max_skip]).value(), text("m1000"));
  EXPECT_EQ(c.bob->skipped_count(), ratchet::max_skip);
  ASSERT_EQ(c.bob_reads(sent[0]).value(), text("m0"));
  ASSERT_EQ(c.bob_reads(sent[ratchet::max_skip + 1]).value(), text("m1001"));
}

TEST(RatchetAdversarial, ForgedHugeCounterIsRefusedBeforeAnyWork) {
  steady s;
  const auto before = s.c.bob->to_bytes();
  auto forged = s.sample;
  forged.hdr.n = 0xfffffff0u;
  EXPECT_EQ(s.c.bob_reads(forged).error(), errc::too_many_skipped);
  forged.hdr.n = 0xffffffffu;
  EXPECT_EQ(s.c.bob_reads(forged).error(), errc::too_many_skipped);
  EXPECT_EQ(s.c.bob->to_bytes(), before);
}

TEST(RatchetAdversarial, StoredSkippedKeysAreBoundedAcrossChains) {
  conversation c(44);
  std::vector<ratchet::message> oldest;
  for (int chain = 0; chain < 3; ++chain) {
    std::vector<ratchet::message> batch;
    for (std::uint32_t i = 0; i <= ratchet::max_skip; ++i) batch.push_back(c.alice_sends("x"));
    ASSERT_TRUE(c.bob_reads(batch.back()));  // skips 1000 keys of this chain
    if (chain == 0) oldest = batch;
    ASSERT_TRUE(c.alice_reads(c.bob_sends("turn")));
  }
  EXPECT_EQ(c.bob->skipped_count(), ratchet::max_skipped_total);
  // The oldest chain's keys were evicted first; the newest chain's are still there.
  EXPECT_EQ(c.bob_reads(oldest[0]).error(), errc::duplicate_message);
}

TEST(RatchetAdversarial, SmallOrderRatchetKeyIsRejected) {
  steady s;
  const auto before = s.c.bob->to_bytes();
  for (const char* h : {"0000000000000000000000000000000000000000000000000000000000000000",
                        "0100000000000000000000000000000000000000000000000000000000000000",
                        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"}) {
    auto forged = s.sample;
    forged.hdr.dh = test::fixed_from_hex<x25519_public_key>(h);
    EXPECT_EQ(s.c.bob_reads(forged).error(), errc::invalid_public_key) << h;
  }
  EXPECT_EQ(s.c.bob->to_bytes(), before);
  deterministic_random rng(1);
  x3dh::shared_key sk;
  EXPECT_EQ(ratchet::session::initiate(sk, {}, x25519_public_key{}, rng).error(), errc::invalid_public_key);
}

TEST(RatchetAdversarial, WrongIdentityCannotReadTheFirstMessage) {
  conversation c(45);
  // Bob believes the initiator is Mallory: the AD and DH1 differ, so nothing decrypts.
  deterministic_random rng(46);
  auto mallory = identity_keypair::generate(rng);
  auto otks = one_time_prekey::generate_batch(1, 1, rng);
  prekey_bundle bundle{c.bob_id.public_keys(), c.bob_spk.public_part(), std::nullopt};
  auto init = x3dh::initiate(c.alice_id, bundle, rng).value();
  auto alice = ratchet::session::initiate(init.key, init.ad, init.their_signed_prekey, rng).value();
  auto resp = x3dh::respond(c.bob_id, c.bob_spk, nullptr, mallory.public_keys(), init.ephemeral).value();
  auto bob = ratchet::session::respond(resp.key, resp.ad, c.bob_spk.keypair().clone()).value();
  auto m = alice.encrypt(text("hello")).value();
  EXPECT_EQ(bob.decrypt(m, rng).error(), errc::decrypt_failed);
}

TEST(RatchetAdversarial, OversizeAssociatedDataIsRefusedOnBothSides) {
  conversation c(48);
  deterministic_random rng(49);
  prekey_bundle bundle{c.bob_id.public_keys(), c.bob_spk.public_part(), std::nullopt};
  auto init = x3dh::initiate(c.alice_id, bundle, rng).value();
  const bytes long_ad(ratchet::max_ad_size + 1, 0x41);
  EXPECT_EQ(ratchet::session::initiate(init.key, long_ad, init.their_signed_prekey, rng).error(),
            errc::invalid_argument);
  EXPECT_EQ(ratchet::session::respond(init.key, long_ad, c.bob_spk.keypair().clone()).error(),
            errc::invalid_argument);
}

TEST(RatchetAdversarial, WrongLabelsCannotReadEachOther) {
  conversation c(47);
  auto m = c.alice_sends("labelled");
  auto bob_other = ratchet::session::from_bytes(c.bob->to_bytes(), ratchet::labels{"X", "Y"}).value();
  EXPECT_EQ(bob_other.decrypt(m, c.rng).error(), errc::decrypt_failed);
  EXPECT_EQ(c.bob_reads(m).value(), text("labelled"));
}

}  // namespace
}  // namespace confidant::crypto
