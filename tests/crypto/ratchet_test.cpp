// Whole Alice <-> Bob conversations in memory: alternating, one-sided, reordered, lossy, and
// serialized mid-way.
#include "crypto/ratchet/session.hpp"
#include "tests/crypto/conversation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace confidant::crypto {
namespace {

using test::conversation;
using test::text;

std::string msg(const std::string& who, int i) { return std::string(who) + " #" + std::to_string(i); }

TEST(Ratchet, LongAlternatingConversation) {
  conversation c(1);
  for (int i = 0; i < 300; ++i) {
    auto a = c.alice_sends(msg("alice", i));
    auto got = c.bob_reads(a);
    ASSERT_TRUE(got) << i << ": " << got.error().message();
    ASSERT_EQ(*got, text(msg("alice", i)));
    auto b = c.bob_sends(msg("bob", i));
    auto back = c.alice_reads(b);
    ASSERT_TRUE(back) << i << ": " << back.error().message();
    ASSERT_EQ(*back, text(msg("bob", i)));
  }
  EXPECT_EQ(c.alice->skipped_count(), 0u);
  EXPECT_EQ(c.bob->skipped_count(), 0u);
}

TEST(Ratchet, RatchetKeyChangesOnEveryTurnAndNotWithinATurn) {
  conversation c(2);
  auto a1 = c.alice_sends("1");
  auto a2 = c.alice_sends("2");
  EXPECT_TRUE(a1.hdr.dh == a2.hdr.dh);
  EXPECT_EQ(a2.hdr.n, 1u);
  ASSERT_TRUE(c.bob_reads(a1));
  ASSERT_TRUE(c.bob_reads(a2));
  auto b1 = c.bob_sends("3");
  ASSERT_TRUE(c.alice_reads(b1));
  auto a3 = c.alice_sends("4");
  EXPECT_FALSE(a3.hdr.dh == a1.hdr.dh);
  EXPECT_EQ(a3.hdr.n, 0u);
  EXPECT_EQ(a3.hdr.pn, 2u);
  EXPECT_NE(a1.ciphertext, a2.ciphertext);
}

TEST(Ratchet, LongOneSidedRunsBothWays) {
  conversation c(3);
  std::vector<ratchet::message> out;
  for (int i = 0; i < 700; ++i) out.push_back(c.alice_sends(msg("a", i)));
  for (int i = 0; i < 700; ++i) ASSERT_EQ(c.bob_reads(out[static_cast<std::size_t>(i)]).value(), text(msg("a", i)));
  out.clear();
  for (int i = 0; i < 700; ++i) out.push_back(c.bob_sends(msg("b", i)));
  for (int i = 0; i < 700; ++i) ASSERT_EQ(c.alice_reads(out[static_cast<std::size_t>(i)]).value(), text(msg("b", i)));
}

TEST(Ratchet, ResponderCannotSendBeforeFirstMessage) {
  conversation c(4);
  EXPECT_FALSE(c.bob->can_send());
  EXPECT_EQ(c.bob->encrypt(text("too early")).error(), errc::no_session);
}

TEST(Ratchet, RandomReorderingWithinMaxSkipAcrossSeveralChains) {
  conversation c(5);
  std::mt19937 shuffle_rng(5);
  std::vector<std::pair<ratchet::message, std::string>> in_flight;
  // Three of Alice's chains: Bob reads only the first message of each before replying.
  for (int chain = 0; chain < 3; ++chain) {
    auto first = c.alice_sends(msg("first", chain));
    ASSERT_EQ(c.bob_reads(first).value(), text(msg("first", chain)));
    for (int i = 0; i < 150; ++i) {
      const auto s = msg("c" + std::to_string(chain), i);
      in_flight.emplace_back(c.alice_sends(s), s);
    }
    ASSERT_TRUE(c.alice_reads(c.bob_sends(msg("reply", chain))));
  }
  std::shuffle(in_flight.begin(), in_flight.end(), shuffle_rng);
  for (const auto& [m, s] : in_flight) {
    auto got = c.bob_reads(m);
    ASSERT_TRUE(got) << s << ": " << got.error().message();
    ASSERT_EQ(*got, text(s));
  }
  EXPECT_EQ(c.bob->skipped_count(), 0u);
}

TEST(Ratchet, LossyDeliveryKeepsWorking) {
  conversation c(6);
  std::mt19937 loss(6);
  std::bernoulli_distribution drop(0.3);
  int delivered = 0;
  for (int round = 0; round < 40; ++round) {
    // Bob must hear at least once before he can send; afterwards any message may be lost.
    for (int i = 0; i < 10; ++i) {
      auto m = c.alice_sends(msg("a", round * 10 + i));
      if (round > 0 && drop(loss)) continue;
      ASSERT_EQ(c.bob_reads(m).value(), text(msg("a", round * 10 + i)));
      ++delivered;
    }
    for (int i = 0; i < 10; ++i) {
      auto m = c.bob_sends(msg("b", round * 10 + i));
      if (drop(loss) && i != 9) continue;
      ASSERT_EQ(c.alice_reads(m).value(), text(msg("b", round * 10 + i)));
      ++delivered;
    }
  }
  EXPECT_GT(delivered, 400);
}

TEST(Ratchet, SerializationRoundTripMidConversation) {
  conversation c(7);
  std::vector<ratchet::message> late;
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(c.bob_reads(c.alice_sends(msg("a", i))));
  for (int i = 0; i < 6; ++i) late.push_back(c.alice_sends(msg("late", i)));
  auto last = c.alice_sends("last");
  ASSERT_TRUE(c.bob_reads(last));  // six keys are now skipped and must survive serialization
  ASSERT_EQ(c.bob->skipped_count(), 6u);

  auto bob_bytes = c.bob->to_bytes();
  auto alice_bytes = c.alice->to_bytes();
  auto bob2 = ratchet::session::from_bytes(bob_bytes);
  auto alice2 = ratchet::session::from_bytes(alice_bytes);
  ASSERT_TRUE(bob2) << bob2.error().message();
  ASSERT_TRUE(alice2) << alice2.error().message();
  EXPECT_EQ(bob2->to_bytes(), bob_bytes);
  EXPECT_EQ(alice2->to_bytes(), alice_bytes);
  c.bob.emplace(std::move(*bob2));
  c.alice.emplace(std::move(*alice2));

  for (int i = 5; i >= 0; --i) {
    ASSERT_EQ(c.bob_reads(late[static_cast<std::size_t>(i)]).value(), text(msg("late", i)));
  }
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(c.alice_reads(c.bob_sends(msg("b", i))).value(), text(msg("b", i)));
    ASSERT_EQ(c.bob_reads(c.alice_sends(msg("a", i))).value(), text(msg("a", i)));
  }
}

TEST(Ratchet, SerializationRejectsTruncationVersionAndTrailingBytes) {
  conversation c(8);
  ASSERT_TRUE(c.bob_reads(c.alice_sends("x")));
  c.alice_sends("skipped");
  ASSERT_TRUE(c.bob_reads(c.alice_sends("y")));
  const auto good = c.bob->to_bytes();
  for (std::size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(ratchet::session::from_bytes(byte_view(good).first(n))) << n;
  }
  auto longer = good;
  longer.push_back(0);
  EXPECT_EQ(ratchet::session::from_bytes(longer).error(), errc::malformed);
  auto newer = good;
  newer[0] = 2;
  EXPECT_EQ(ratchet::session::from_bytes(newer).error(), errc::unsupported_version);
}

TEST(Ratchet, MessageWireFormatRoundTrip) {
  conversation c(9);
  auto m = c.alice_sends("wire");
  const auto wire = m.to_bytes();
  EXPECT_EQ(wire.size(), ratchet::header::encoded_size + 4 + aead::tag_size);
  auto back = ratchet::message::from_bytes(wire);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->to_bytes(), wire);
  EXPECT_EQ(c.bob_reads(*back).value(), text("wire"));
  EXPECT_EQ(ratchet::message::from_bytes(byte_view(wire).first(20)).error(), errc::invalid_length);
}

TEST(Ratchet, CallerAssociatedDataIsAuthenticated) {
  conversation c(10);
  auto m = c.alice->encrypt(text("bound"), text("envelope-42")).value();
  EXPECT_EQ(c.bob->decrypt(m, c.rng, text("envelope-43")).error(), errc::decrypt_failed);
  EXPECT_EQ(c.bob->decrypt(m, c.rng, text("envelope-42")).value(), text("bound"));
}

}  // namespace
}  // namespace confidant::crypto
