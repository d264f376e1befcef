// Franking: commitment inside the ciphertext, server stamps (batched under one signature), and
// the quoted-message proof a SPOC checks alone.
#include "crypto/quote.hpp"
#include "tests/crypto/conversation.hpp"

#include <gtest/gtest.h>

namespace confidant::crypto {
namespace {

using test::text;

franking::context ctx(std::uint8_t id) {
  franking::context c{"head-17", "assoc-4", 1700000123, {}};
  c.message_id[0] = id;
  return c;
}

struct server {
  deterministic_random rng{61};
  ed25519::keypair key = ed25519::generate(rng);
};

TEST(Franking, CommitmentTravelsInsideTheRatchetAndVerifiesAfterDecryption) {
  test::conversation c(62);
  const auto f = franking::commit(c.rng, ctx(1), text("we need to talk about Y")).value();
  auto m = c.alice->encrypt(f.payload).value();
  auto payload = c.bob_reads(m).value();
  auto opened = franking::open(payload, f.c);
  ASSERT_TRUE(opened) << opened.error().message();
  EXPECT_EQ(opened->message, text("we need to talk about Y"));
  EXPECT_TRUE(opened->ctx == ctx(1));
  EXPECT_TRUE(opened->c == f.c);
}

TEST(Franking, MismatchedCommitmentIsATypedError) {
  deterministic_random rng(63);
  const auto f = franking::commit(rng, ctx(1), text("hello")).value();
  auto wrong = f.c;
  wrong.bytes[0] ^= 1;
  EXPECT_EQ(franking::open(f.payload, wrong).error(), errc::commitment_mismatch);
  // The sender swaps the message inside the payload after committing: the commitment catches it.
  const auto other = franking::commit(rng, ctx(1), text("hellp")).value();
  EXPECT_EQ(franking::open(other.payload, f.c).error(), errc::commitment_mismatch);
  EXPECT_EQ(franking::open(byte_view(f.payload).first(10), f.c).error(), errc::malformed);
}

TEST(Franking, CommitmentDependsOnKeyContextAndMessage) {
  deterministic_random rng(64);
  franking::key k;
  rng.fill(k.writable());
  const auto base = franking::compute(k, ctx(1), text("m")).value();
  EXPECT_FALSE(base == franking::compute(k, ctx(2), text("m")).value());
  EXPECT_FALSE(base == franking::compute(k, ctx(1), text("n")).value());
  franking::key k2 = k.clone();
  k2.writable()[0] ^= 1;
  EXPECT_FALSE(base == franking::compute(k2, ctx(1), text("m")).value());
}

TEST(Stamp, SingleAndBatchedStampsVerifyAndRoundTrip) {
  server s;
  deterministic_random rng(65);
  for (std::size_t n : {1u, 2u, 3u, 5u, 8u, 13u}) {
    std::vector<franking::stamp_fields> batch;
    for (std::size_t i = 0; i < n; ++i) {
      auto f = franking::commit(rng, ctx(static_cast<std::uint8_t>(i)), text("m")).value();
      batch.push_back({f.c, "head-17", "assoc-4", 1700000200 + i});
    }
    auto stamps = franking::sign_batch(s.key.secret_key, batch).value();
    ASSERT_EQ(stamps.size(), n);
    for (const auto& st : stamps) {
      EXPECT_TRUE(franking::verify_stamp(s.key.public_key, st)) << n << "/" << st.index;
      auto back = franking::stamp::from_bytes(st.to_bytes()).value();
      EXPECT_TRUE(franking::verify_stamp(s.key.public_key, back));
      EXPECT_TRUE(back.fields == st.fields);
    }
  }
}

TEST(Stamp, AnyAlterationIsABadStamp) {
  server s;
  deterministic_random rng(66);
  std::vector<franking::stamp_fields> batch;
  for (int i = 0; i < 5; ++i) {
    batch.push_back({franking::commit(rng, ctx(1), text("m")).value().c, "head-17", "assoc-4", 1700000300});
  }
  const auto stamps = franking::sign_batch(s.key.secret_key, batch).value();
  const auto& good = stamps[2];
  auto t = good;
  t.fields.time += 1;
  EXPECT_EQ(franking::verify_stamp(s.key.public_key, t).error(), errc::bad_stamp);
  t = good;
  t.fields.sender = "head-18";
  EXPECT_EQ(franking::verify_stamp(s.key.public_key, t).error(), errc::bad_stamp);
  t = good;
  t.fields.c.bytes[31] ^= 1;
  EXPECT_EQ(franking::verify_stamp(s.key.public_key, t).error(), errc::bad_stamp);
  t = good;
  t.index = 3;  // another position with this path
  EXPECT_EQ(franking::verify_stamp(s.key.public_key, t).error(), errc::bad_stamp);
  t = good;
  t.path.pop_back();
  EXPECT_EQ(franking::verify_stamp(s.key.public_key, t).error(), errc::bad_stamp);
  t = good;
  t.batch_size = 4;
  EXPECT_EQ(franking::verify_stamp(s.key.public_key, t).error(), errc::bad_stamp);
  server other;
  other.key = ed25519::generate(rng);
  EXPECT_EQ(franking::verify_stamp(other.key.public_key, good).error(), errc::bad_stamp);
}

TEST(Quote, ThirdPartyVerifiesAQuotedMessageAlone) {
  server s;
  test::conversation c(67);
  const auto f = franking::commit(c.rng, ctx(9), text("something a SPOC must see")).value();
  auto payload = c.bob_reads(c.alice->encrypt(f.payload).value()).value();
  auto opened = franking::open(payload, f.c).value();
  const franking::stamp_fields fields{f.c, "head-17", "assoc-4", 1700000400};
  const auto st = franking::sign_batch(s.key.secret_key, std::span(&fields, 1)).value().front();
  ASSERT_TRUE(franking::check_delivery(s.key.public_key, opened, st));

  const auto wire = franking::make_quote(opened, st).to_bytes();
  // The SPOC's side: only the bytes and the server's public key.
  auto q = franking::quote::from_bytes(wire);
  ASSERT_TRUE(q) << q.error().message();
  EXPECT_TRUE(franking::verify_quote(s.key.public_key, *q));
  EXPECT_EQ(q->message, text("something a SPOC must see"));

  auto altered = franking::quote::from_bytes(wire).value();
  altered.message.back() ^= 1;
  EXPECT_EQ(franking::verify_quote(s.key.public_key, altered).error(), errc::commitment_mismatch);
  altered = franking::quote::from_bytes(wire).value();
  altered.ctx.sender = "head-99";  // blame someone else: commitment no longer matches
  EXPECT_EQ(franking::verify_quote(s.key.public_key, altered).error(), errc::commitment_mismatch);
}

TEST(Quote, StampForAnotherPairIsABindingMismatch) {
  server s;
  deterministic_random rng(68);
  const auto f = franking::commit(rng, ctx(1), text("m")).value();
  auto opened = franking::open(f.payload, f.c).value();
  const franking::stamp_fields fields{f.c, "head-17", "someone-else", 1700000500};
  const auto st = franking::sign_batch(s.key.secret_key, std::span(&fields, 1)).value().front();
  EXPECT_EQ(franking::check_delivery(s.key.public_key, opened, st).error(), errc::binding_mismatch);
  EXPECT_EQ(franking::verify_quote(s.key.public_key, franking::make_quote(opened, st)).error(),
            errc::binding_mismatch);
}

}  // namespace
}  // namespace confidant::crypto
