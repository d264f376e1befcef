// Sealed bodies end to end between devices (docs/protocol.md 7.16, 7.29): sealed to every device
// of the owner, readable by each of them only, signed by the author, refused when tampered with,
// addressed to someone else or opened as another purpose (each purpose has its own label).
#include "client/lib/sealed_body.hpp"

#include <gtest/gtest.h>

namespace confidant::client::sealed_body {
namespace {

struct device {
  std::int64_t user, id;
  crypto::identity_keypair keys;
};

TEST(SealedBody, EachOfTheOwnersDevicesReadsAndVerifies) {
  crypto::deterministic_random rng{42};
  device author{3, 1, crypto::identity_keypair::generate(rng)};
  device phone{5, 1, crypto::identity_keypair::generate(rng)};
  device laptop{5, 2, crypto::identity_keypair::generate(rng)};
  device stranger{7, 1, crypto::identity_keypair::generate(rng)};
  const std::string text = "Room 4, Castle School; agenda: staffing, Ofsted";
  auto body = seal(purpose::meeting_details, author.keys, author.user, author.id, 5,
                   {{phone.id, phone.keys.public_keys()}, {laptop.id, laptop.keys.public_keys()}}, text, rng);
  ASSERT_TRUE(body) << body.error().detail;
  EXPECT_EQ(std::string(body->begin(), body->end()).find("Castle"), std::string::npos);
  const identity_lookup known = [&](std::int64_t u, std::int64_t d) -> std::optional<crypto::identity_public> {
    if (u == author.user && d == author.id) return author.keys.public_keys();
    return std::nullopt;
  };
  for (const auto* reader : {&phone, &laptop}) {
    auto o = open(purpose::meeting_details, reader->keys, reader->user, reader->id, *body, known);
    ASSERT_TRUE(o) << o.error().detail;
    EXPECT_EQ(o->text, text);
    EXPECT_TRUE(o->verified);
    EXPECT_EQ(o->author_user, 3);
  }
  // Unknown author: readable but not verified.
  auto unverified = open(purpose::meeting_details, phone.keys, 5, 1, *body, [](std::int64_t, std::int64_t) { return std::nullopt; });
  ASSERT_TRUE(unverified);
  EXPECT_FALSE(unverified->verified);
  // A forged author identity does not verify.
  auto forged = open(purpose::meeting_details, phone.keys, 5, 1, *body, [&](std::int64_t, std::int64_t) { return std::optional{stranger.keys.public_keys()}; });
  ASSERT_TRUE(forged);
  EXPECT_FALSE(forged->verified);
  // Not for this user or this device.
  EXPECT_FALSE(open(purpose::meeting_details, stranger.keys, 7, 1, *body, known));
  EXPECT_FALSE(open(purpose::meeting_details, phone.keys, 5, 3, *body, known));
  // Tampered ciphertext.
  auto bad = *body;
  bad[bad.size() - 70] ^= 1;
  EXPECT_FALSE(open(purpose::meeting_details, phone.keys, 5, 1, bad, known));
  // A damaged signature: still readable, not verified.
  auto moved = *body;
  moved[moved.size() - 1] ^= 1;
  auto o = open(purpose::meeting_details, phone.keys, 5, 1, moved, known);
  ASSERT_TRUE(o);
  EXPECT_FALSE(o->verified);
}

TEST(SealedBody, LimitsAreKept) {
  crypto::deterministic_random rng{1};
  auto a = crypto::identity_keypair::generate(rng);
  EXPECT_FALSE(seal(purpose::note, a, 1, 1, 2, {}, "x", rng));
  EXPECT_FALSE(seal(purpose::note, a, 1, 1, 2, {{1, a.public_keys()}}, std::string(9000, 'x'), rng));
  EXPECT_FALSE(open(purpose::note, a, 2, 1, std::vector<std::uint8_t>{2, 0, 0}, {}));
}

constexpr purpose all_purposes[] = {purpose::meeting_details, purpose::concern, purpose::feedback,
                                   purpose::feedback_release, purpose::note};

TEST(SealedBody, EachPurposeHasItsOwnLabel) {
  for (const auto a : all_purposes) {
    for (const auto b : all_purposes) {
      if (a != b) {
        EXPECT_NE(label(a), label(b));
      }
    }
  }
  EXPECT_EQ(label(purpose::meeting_details), "Confidant_Meeting_Details_v1");
  EXPECT_EQ(label(purpose::concern), "Confidant_Concern_v1");
  EXPECT_EQ(label(purpose::feedback), "Confidant_Feedback_v1");
  EXPECT_EQ(label(purpose::feedback_release), "Confidant_Feedback_Release_v1");
  EXPECT_EQ(label(purpose::note), "Confidant_Note_v1");
}

TEST(SealedBody, ABodyOpensOnlyAsThePurposeItWasSealedFor) {
  crypto::deterministic_random rng{7};
  device author{3, 1, crypto::identity_keypair::generate(rng)};
  device reader{5, 1, crypto::identity_keypair::generate(rng)};
  const identity_lookup known = [&](std::int64_t, std::int64_t) { return std::optional{author.keys.public_keys()}; };
  for (const auto sealed_as : all_purposes) {
    auto body = seal(sealed_as, author.keys, 3, 1, 5, {{1, reader.keys.public_keys()}}, "the same words", rng);
    ASSERT_TRUE(body) << body.error().detail;
    for (const auto opened_as : all_purposes) {
      auto o = open(opened_as, reader.keys, 5, 1, *body, known);
      if (opened_as == sealed_as) {
        ASSERT_TRUE(o) << o.error().detail;
        EXPECT_EQ(o->text, "the same words");
        EXPECT_TRUE(o->verified);
      } else {
        // The label is in the associated data: the text never decrypts under another purpose.
        ASSERT_FALSE(o) << label(sealed_as) << " opened as " << label(opened_as);
        EXPECT_NE(o.error().detail.find("does not decrypt"), std::string::npos) << o.error().detail;
      }
    }
  }
}

// The consent gate of feedback (docs/protocol.md 7.37, docs/crypto.md): the headteacher's answer
// is sealed to the coordinator who asked and to the headteacher's own devices; the associate can
// read it only once the headteacher's device has opened its own copy and sealed it again to the
// associate as a released answer.
TEST(SealedBody, AnAssociateReadsFeedbackOnlyOnceTheHeadteacherReleasedIt) {
  crypto::deterministic_random rng{11};
  device coord{1, 1, crypto::identity_keypair::generate(rng)};
  device head{2, 1, crypto::identity_keypair::generate(rng)};
  device head_laptop{2, 2, crypto::identity_keypair::generate(rng)};
  device assoc{3, 1, crypto::identity_keypair::generate(rng)};
  const identity_lookup known = [&](std::int64_t u, std::int64_t d) -> std::optional<crypto::identity_public> {
    for (const auto* x : {&coord, &head, &head_laptop, &assoc})
      if (x->user == u && x->id == d) return x->keys.public_keys();
    return std::nullopt;
  };
  const std::string answer = "The sessions on budgeting helped most.";
  auto for_coord = seal(purpose::feedback, head.keys, 2, 1, coord.user, {{1, coord.keys.public_keys()}}, answer, rng);
  auto own_copy = seal(purpose::feedback, head.keys, 2, 1, head.user,
                       {{1, head.keys.public_keys()}, {2, head_laptop.keys.public_keys()}}, answer, rng);
  ASSERT_TRUE(for_coord && own_copy);

  // The coordinator reads the answer; the associate can read neither the coordinator's body nor
  // the headteacher's own copy, whatever purpose it tries.
  auto c = open(purpose::feedback, coord.keys, 1, 1, *for_coord, known);
  ASSERT_TRUE(c) << c.error().detail;
  EXPECT_EQ(c->text, answer);
  for (const auto* body : {&*for_coord, &*own_copy})
    for (const auto p : all_purposes) EXPECT_FALSE(open(p, assoc.keys, 3, 1, *body, known));

  // The associate's own key sealed under the feedback label (a client that skipped the release,
  // or a server that handed it over) is still not a released answer.
  auto unreleased = seal(purpose::feedback, head.keys, 2, 1, assoc.user, {{1, assoc.keys.public_keys()}}, answer, rng);
  ASSERT_TRUE(unreleased);
  EXPECT_FALSE(open(purpose::feedback_release, assoc.keys, 3, 1, *unreleased, known));

  // The release: the headteacher's other device opens its own copy and seals it to the associate.
  auto released = reseal(purpose::feedback, purpose::feedback_release, head_laptop.keys, 2, 2, *own_copy, known,
                         assoc.user, {{1, assoc.keys.public_keys()}}, rng);
  ASSERT_TRUE(released) << released.error().detail;
  auto a = open(purpose::feedback_release, assoc.keys, 3, 1, *released, known);
  ASSERT_TRUE(a) << a.error().detail;
  EXPECT_EQ(a->text, answer);
  EXPECT_TRUE(a->verified);
  EXPECT_EQ(a->author_user, 2);
  EXPECT_EQ(a->author_device, 2);
  EXPECT_FALSE(open(purpose::feedback, assoc.keys, 3, 1, *released, known));

  // Only one's own words are released: the coordinator's body is not the headteacher's to open,
  // and a body written by someone else for the headteacher is not passed on.
  EXPECT_FALSE(reseal(purpose::feedback, purpose::feedback_release, head.keys, 2, 1, *for_coord, known, assoc.user,
                      {{1, assoc.keys.public_keys()}}, rng));
  auto from_coord = seal(purpose::feedback, coord.keys, 1, 1, head.user, {{1, head.keys.public_keys()}}, "x", rng);
  ASSERT_TRUE(from_coord);
  auto refused = reseal(purpose::feedback, purpose::feedback_release, head.keys, 2, 1, *from_coord, known, assoc.user,
                        {{1, assoc.keys.public_keys()}}, rng);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().detail.find("not written"), std::string::npos);
}

}  // namespace
}  // namespace confidant::client::sealed_body
