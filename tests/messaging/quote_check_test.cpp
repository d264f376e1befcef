// Quotes in a flag: built from what the raiser's store keeps of a received message, checked by a
// SPOC with only the server's key. Every way a quote can lie must come out FAILED.
#include "client/lib/payload.hpp"
#include "client/lib/quote_check.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/quote.hpp"

#include "tests/messaging/must.hpp"

#include <gtest/gtest.h>

namespace confidant::client::quote_check {
namespace {

constexpr std::int64_t head = 5;
constexpr std::int64_t assoc = 6;

// A message from the associate to the head as the server stamped it and the head stored it.
struct delivered {
  crypto::deterministic_random rng;
  crypto::ed25519::keypair server = crypto::ed25519::generate(rng);
  crypto::franking::context ctx{std::to_string(assoc), std::to_string(head), 1'795'442'700, {}};
  bytes message;
  crypto::franking::opened opened;
  crypto::franking::stamp st;

  explicit delivered(std::string_view text, std::uint64_t seed = 91, const std::string& sender = std::to_string(assoc),
                     const std::string& recipient = std::to_string(head))
      : rng(seed), message(test::must(encode_payload(text_payload{std::string{text}}))), opened(open_franked()), st(stamp(sender, recipient)) {}

  crypto::franking::opened open_franked() {
    ctx.message_id[0] = 9;
    auto f = crypto::franking::commit(rng, ctx, message).value();
    return crypto::franking::open(f.payload, f.c).value();
  }
  crypto::franking::stamp stamp(const std::string& sender, const std::string& recipient) {
    const crypto::franking::stamp_fields fields[] = {{opened.c, sender, recipient, 1'795'442'701}};
    return crypto::franking::sign_batch(server.secret_key, fields).value().front();
  }
  std::array<std::uint8_t, 32> server_key() const {
    std::array<std::uint8_t, 32> k{};
    std::copy(server.public_key.bytes.begin(), server.public_key.bytes.end(), k.begin());
    return k;
  }
  bytes quote(std::span<const std::uint8_t> msg) const {
    return test::must(make(ctx.encode().value(), msg, opened.k.view(), st.to_bytes()));
  }
  bytes quote() const { return quote(message); }
};

TEST(QuoteCheck, AQuoteOfAReceivedMessageVerifies) {
  delivered d("I can't cope with the inspection next week.");
  const auto v = check(d.server_key(), head, d.quote());
  EXPECT_TRUE(v.verified) << v.problem;
  EXPECT_TRUE(v.problem.empty());
  EXPECT_EQ(v.text, "I can't cope with the inspection next week.");
  EXPECT_EQ(v.sender, std::to_string(assoc));
  EXPECT_EQ(v.recipient, std::to_string(head));
  EXPECT_EQ(v.stamped_at_ms, 1'795'442'701'000);
  EXPECT_EQ(v.sent_at_ms, 1'795'442'700'000);
}

TEST(QuoteCheck, TextEditedByTheRaiserFails) {
  delivered d("We should talk on Monday.");
  const auto edited = test::must(encode_payload(text_payload{"We should talk about the pupil's bruises."}));
  const auto v = check(d.server_key(), head, d.quote(edited));
  EXPECT_FALSE(v.verified);
  EXPECT_EQ(v.problem, "the text does not match what the sender committed to");
  // What the raiser claims is still shown, marked as failed by the caller.
  EXPECT_EQ(v.text, "We should talk about the pupil's bruises.");
}

TEST(QuoteCheck, OtherLiesFail) {
  delivered d("hello");
  // Another server's key (or a forged stamp).
  delivered other("hello", 92);
  EXPECT_EQ(check(other.server_key(), head, d.quote()).problem, "the server's stamp does not verify");
  // A quote of a message someone else received.
  const auto v = check(d.server_key(), 77, d.quote());
  EXPECT_FALSE(v.verified);
  EXPECT_EQ(v.problem, "the quoted message was not sent to the person who raised the flag");
  // A stamp over the commitment but naming other users than the context.
  delivered rebound("hello", 93, std::to_string(assoc), "77");
  EXPECT_EQ(check(rebound.server_key(), head, rebound.quote()).problem, "the stamp names other users than the quote");
  // Truncated bytes.
  auto q = d.quote();
  q.resize(q.size() - 3);
  EXPECT_FALSE(check(d.server_key(), head, q).verified);
  // A quote whose message is not a text payload (a receipt).
  receipt_payload r{receipt_payload::kind::read, {message_id{}}};
  delivered receipt("x");
  receipt.message = test::must(encode_payload(r));
  receipt.opened = receipt.open_franked();
  receipt.st = receipt.stamp(std::to_string(assoc), std::to_string(head));
  EXPECT_EQ(check(receipt.server_key(), head, receipt.quote()).problem, "the quoted message is not a text message");
}

TEST(QuoteCheck, OnlyCompleteStoredMessagesCanBeQuoted) {
  delivered d("x");
  const auto ctx = d.ctx.encode().value();
  const auto st = d.st.to_bytes();
  EXPECT_EQ(make(ctx, d.message, {}, st).error().code, errc::invalid_request);  // no Kf (an outgoing message)
  EXPECT_FALSE(make({}, d.message, d.opened.k.view(), st));
  EXPECT_FALSE(make(ctx, d.message, d.opened.k.view(), bytes{1, 2}));
}

}  // namespace
}  // namespace confidant::client::quote_check
