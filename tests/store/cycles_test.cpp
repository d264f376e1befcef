// Cycles, pairings, preferences, concerns and the associates' record in a real SQLCipher file
// (schema 0009): rows round-trip, a closed pairing reopens for the same two people, the load
// counts open partnerships only, and the schema refuses impossible rows.
#include "server/store/associates.hpp"
#include "server/store/accounts.hpp"
#include "server/store/cycles.hpp"
#include "server/store/feedback.hpp"
#include "server/store/key.hpp"
#include "server/store/meetings.hpp"
#include "server/store/migrator.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace confidant::store {
namespace {

struct cycles_fixture : ::testing::Test {
  test::temp_dir dir;
  database db = [this] {
    auto d = database::open(dir / "c.db", db_key::random(), {.create = true});
    EXPECT_TRUE(d);
    EXPECT_TRUE(migrate(*d, sql::migrations(), 0));
    return std::move(*d);
  }();
  std::int64_t head = account(rules::role::headteacher, "Hana");
  std::int64_t asha = account(rules::role::associate, "Asha");
  std::int64_t carol = account(rules::role::coordinator, "Carol");

  std::int64_t account(rules::role r, const char* name) {
    auto id = insert_account(db, r, name, 1000);
    EXPECT_TRUE(id);
    return id ? *id : 0;
  }

  cycle_row paired_cycle() {
    cycle_row c;
    c.headteacher = head;
    c.school = "Dale Primary";
    c.region = "north";
    c.requested_at_ms = 1000;
    auto pairing = open_pairing(db, head, asha, carol, 2000);
    EXPECT_TRUE(pairing);
    c.associate = asha;
    c.pairing = *pairing;
    c.state = rules::cycle_state::paired;
    c.paired_at_ms = 2000;
    auto id = insert_cycle(db, c);
    EXPECT_TRUE(id);
    c.id = *id;
    return c;
  }
};

TEST_F(cycles_fixture, ACycleRoundTripsAndCountsTowardTheLoad) {
  auto c = paired_cycle();
  auto found = find_cycle(db, c.id);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->state, rules::cycle_state::paired);
  EXPECT_EQ((*found)->school, "Dale Primary");
  EXPECT_EQ((*found)->paired_at_ms, 2000);
  EXPECT_FALSE((*found)->ended_at_ms);
  EXPECT_EQ(*associate_load(db, asha), 1);
  EXPECT_TRUE(*are_paired(db, head, asha));
  auto between = open_cycle_between(db, asha, head);
  ASSERT_TRUE(between && *between);
  EXPECT_EQ((*between)->id, c.id);

  c.state = rules::cycle_state::closed;
  c.ended_at_ms = 3000;
  ASSERT_TRUE(update_cycle(db, c));
  ASSERT_TRUE(end_pairing(db, c.pairing, 3000));
  EXPECT_EQ(*associate_load(db, asha), 0);
  EXPECT_FALSE(*are_paired(db, head, asha));
  EXPECT_FALSE(*open_cycle_between(db, head, asha));
  EXPECT_FALSE(*open_cycle_of(db, head));

  // The same two people paired again later share the pairing row, reopened.
  auto again = open_pairing(db, head, asha, carol, 4000);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, c.pairing);
  EXPECT_TRUE(*are_paired(db, head, asha));
}

TEST_F(cycles_fixture, PreferencesKeepTheirRankAndConcernsTheirOwner) {
  auto c = paired_cycle();
  const std::int64_t ranked[] = {asha, carol};
  ASSERT_TRUE(set_preferences(db, c.id, ranked));
  EXPECT_EQ(*preferences(db, c.id), (std::vector<std::int64_t>{asha, carol}));
  const std::int64_t reranked[] = {asha};
  ASSERT_TRUE(set_preferences(db, c.id, reranked));
  EXPECT_EQ(*preferences(db, c.id), (std::vector<std::int64_t>{asha}));
  const unsigned char body[] = {1, 2, 3};
  ASSERT_TRUE(put_concern(db, c.id, carol, body));
  EXPECT_EQ(*concern_of(db, c.id, carol), (std::vector<unsigned char>{1, 2, 3}));
  EXPECT_TRUE(concern_of(db, c.id, asha)->empty());
}

TEST_F(cycles_fixture, TheSchemaRefusesAPairedCycleWithoutItsAssociate) {
  cycle_row c;
  c.headteacher = head;
  c.state = rules::cycle_state::active;
  c.school = "X";
  c.region = "north";
  EXPECT_FALSE(insert_cycle(db, c));
}

TEST_F(cycles_fixture, AnAssociateIsPendingUntilApprovedAndKeepsTheEvidence) {
  auto a = find_associate(db, asha);
  ASSERT_TRUE(a && *a);
  EXPECT_EQ((*a)->status, "pending");
  EXPECT_EQ((*a)->capacity, 1);
  EXPECT_FALSE((*a)->evidence);
  EXPECT_FALSE(*find_associate(db, head));  // not an associate
  ASSERT_TRUE(approve_associate(db, asha, {.years = 9, .inspection = "good", .training = true, .coaching = true,
                                           .recorded_by = carol, .recorded_at_ms = 5000}));
  ASSERT_TRUE(put_profile(db, asha, R"({"region":"north"})", 3, 6000));
  a = find_associate(db, asha);
  EXPECT_EQ((*a)->status, "approved");
  EXPECT_EQ((*a)->capacity, 3);
  ASSERT_TRUE((*a)->evidence);
  EXPECT_EQ((*a)->evidence->years, 9);
  EXPECT_EQ((*a)->evidence->recorded_by, carol);
  ASSERT_TRUE(suspend_associate(db, asha, "leave"));
  a = find_associate(db, asha);
  EXPECT_EQ((*a)->status, "suspended");
  EXPECT_EQ((*a)->suspended_reason, "leave");
}

TEST_F(cycles_fixture, FeedbackQuestionsAndReleasesRoundTrip) {
  auto c = paired_cycle();
  ASSERT_TRUE(insert_feedback(db, {c.id, carol, 7000, {"What helped?", "What next?"}, std::nullopt}));
  const unsigned char body[] = {9, 9};
  ASSERT_TRUE(put_answer(db, c.id, 2, carol, body));
  ASSERT_TRUE(put_answer(db, c.id, 2, head, body));
  auto f = find_feedback(db, c.id);
  ASSERT_TRUE(f && *f);
  EXPECT_EQ((*f)->questions, (std::vector<std::string>{"What helped?", "What next?"}));
  EXPECT_EQ(*answered_items(db, c.id), (std::vector<std::int64_t>{2}));
  EXPECT_TRUE(releases(db, c.id)->empty());
  ASSERT_TRUE(put_release(db, c.id, 2, body, 8000));
  ASSERT_TRUE(put_release(db, c.id, 2, body, 9000));  // again: replaced
  ASSERT_EQ(releases(db, c.id)->size(), 1u);
  EXPECT_EQ(releases(db, c.id)->front().released_at_ms, 9000);
}

}  // namespace
}  // namespace confidant::store

namespace confidant::store {
namespace {

// A server upgraded to schema 0009 keeps its pairings: each becomes a cycle (open ones `paired`,
// ended ones `closed`) and its meetings count in that cycle.
TEST(CyclesMigration, PairingsBeforeTheProgrammeBecomeCycles) {
  test::temp_dir dir;
  auto db = database::open(dir / "m.db", db_key::random(), {.create = true});
  ASSERT_TRUE(db);
  const auto all = sql::migrations();
  ASSERT_GE(all.size(), 9u);
  ASSERT_TRUE(migrate(*db, all.first(8), 1000));
  ASSERT_TRUE(db->exec(
      "INSERT INTO accounts (id, role, display_name, created_at) VALUES (1, 'headteacher', 'H', 1), (2, 'associate', 'A', 1),"
      " (3, 'headteacher', 'G', 1);"
      "INSERT INTO pairings (id, headteacher, associate, created_at) VALUES (7, 1, 2, 50);"
      "INSERT INTO pairings (id, headteacher, associate, created_at, ended_at) VALUES (8, 3, 2, 60, 70);"
      "INSERT INTO meetings (pairing, associate, counterpart, proposer, starts_at, ends_at, mode, kind, state, changed_by,"
      " created_at, updated_at) VALUES (7, 2, 1, 1, 100, 200, 'online', 'support', 'accepted', 2, 90, 95);"));
  ASSERT_TRUE(migrate(*db, all, 2000));
  auto open = open_cycle_between(*db, 1, 2);
  ASSERT_TRUE(open && *open);
  EXPECT_EQ((*open)->state, rules::cycle_state::paired);
  EXPECT_EQ((*open)->pairing, 7);
  EXPECT_EQ((*open)->paired_at_ms, 50);
  EXPECT_EQ(meetings_of_cycle(*db, (*open)->id)->size(), 1u);
  auto ended = list_cycles(*db, cycle_scope::of_headteacher, 3);
  ASSERT_TRUE(ended);
  ASSERT_EQ(ended->size(), 1u);
  EXPECT_EQ(ended->front().state, rules::cycle_state::closed);
  EXPECT_EQ(*associate_load(*db, 2), 1);
}

}  // namespace
}  // namespace confidant::store
