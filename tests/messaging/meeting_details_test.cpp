// Meeting details end to end between devices (docs/protocol.md 7.16): sealed to every device of
// the owner, readable by each of them only, signed by the author, refused when tampered with or
// addressed to someone else.
#include "client/lib/meeting_details.hpp"

#include <gtest/gtest.h>

namespace confidant::client::meeting_details {
namespace {

struct device {
  std::int64_t user, id;
  crypto::identity_keypair keys;
};

TEST(MeetingDetails, EachOfTheOwnersDevicesReadsAndVerifies) {
  crypto::deterministic_random rng{42};
  device author{3, 1, crypto::identity_keypair::generate(rng)};
  device phone{5, 1, crypto::identity_keypair::generate(rng)};
  device laptop{5, 2, crypto::identity_keypair::generate(rng)};
  device stranger{7, 1, crypto::identity_keypair::generate(rng)};
  const std::string text = "Room 4, Castle School; agenda: staffing, Ofsted";
  auto body = seal(author.keys, author.user, author.id, 5,
                   {{phone.id, phone.keys.public_keys()}, {laptop.id, laptop.keys.public_keys()}}, text, rng);
  ASSERT_TRUE(body) << body.error().detail;
  EXPECT_EQ(std::string(body->begin(), body->end()).find("Castle"), std::string::npos);
  const identity_lookup known = [&](std::int64_t u, std::int64_t d) -> std::optional<crypto::identity_public> {
    if (u == author.user && d == author.id) return author.keys.public_keys();
    return std::nullopt;
  };
  for (const auto* reader : {&phone, &laptop}) {
    auto o = open(reader->keys, reader->user, reader->id, *body, known);
    ASSERT_TRUE(o) << o.error().detail;
    EXPECT_EQ(o->text, text);
    EXPECT_TRUE(o->verified);
    EXPECT_EQ(o->author_user, 3);
  }
  // Unknown author: readable but not verified.
  auto unverified = open(phone.keys, 5, 1, *body, [](std::int64_t, std::int64_t) { return std::nullopt; });
  ASSERT_TRUE(unverified);
  EXPECT_FALSE(unverified->verified);
  // A forged author identity does not verify.
  auto forged = open(phone.keys, 5, 1, *body, [&](std::int64_t, std::int64_t) { return std::optional{stranger.keys.public_keys()}; });
  ASSERT_TRUE(forged);
  EXPECT_FALSE(forged->verified);
  // Not for this user or this device.
  EXPECT_FALSE(open(stranger.keys, 7, 1, *body, known));
  EXPECT_FALSE(open(phone.keys, 5, 3, *body, known));
  // Tampered ciphertext.
  auto bad = *body;
  bad[bad.size() - 70] ^= 1;
  EXPECT_FALSE(open(phone.keys, 5, 1, bad, known));
  // A damaged signature: still readable, not verified.
  auto moved = *body;
  moved[moved.size() - 1] ^= 1;
  auto o = open(phone.keys, 5, 1, moved, known);
  ASSERT_TRUE(o);
  EXPECT_FALSE(o->verified);
}

TEST(MeetingDetails, LimitsAreKept) {
  crypto::deterministic_random rng{1};
  auto a = crypto::identity_keypair::generate(rng);
  EXPECT_FALSE(seal(a, 1, 1, 2, {}, "x", rng));
  EXPECT_FALSE(seal(a, 1, 1, 2, {{1, a.public_keys()}}, std::string(9000, 'x'), rng));
  EXPECT_FALSE(open(a, 2, 1, std::vector<std::uint8_t>{2, 0, 0}, {}));
}

}  // namespace
}  // namespace confidant::client::meeting_details
