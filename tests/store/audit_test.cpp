#include "server/store/audit.hpp"
#include "server/store/key.hpp"
#include "server/store/migrator.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace confidant::store {
namespace {

struct audit_fixture : ::testing::Test {
  test::temp_dir dir;
  database db = [this] {
    auto d = database::open(dir / "a.db", db_key::random(), {.create = true});
    EXPECT_TRUE(d);
    EXPECT_TRUE(migrate(*d, sql::migrations(), 0));
    return std::move(*d);
  }();

  void append(int n) {
    for (int i = 0; i < n; ++i) {
      auto seq = append_audit(db, 1000 + i, "user:" + std::to_string(i % 3 + 1), "flag_raised",
                              "flag:" + std::to_string(i), R"({"category":"other"})");
      ASSERT_TRUE(seq) << seq.error().message();
    }
  }
  audit_verdict verify() {
    auto v = verify_audit(db);
    EXPECT_TRUE(v) << v.error().message();
    return *v;
  }
  // What someone with the key and the sqlcipher shell could do: drop the guard, then edit.
  void tamper(const std::string& sql) {
    ASSERT_TRUE(db.exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"));
    ASSERT_TRUE(db.exec(sql));
  }
};

TEST_F(audit_fixture, AnEmptyLogVerifies) {
  const auto v = verify();
  EXPECT_EQ(v.entries, 0);
  EXPECT_FALSE(v.broken_at);
}

TEST_F(audit_fixture, EntriesChainFromZeroAndVerify) {
  append(5);
  const auto v = verify();
  EXPECT_EQ(v.entries, 5);
  EXPECT_FALSE(v.broken_at) << v.problem;
  std::vector<audit_entry> seen;
  ASSERT_TRUE(for_each_audit(db, 0, INT64_MAX, [&](const audit_entry& e) { seen.push_back(e); }));
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[0].prev_hash, audit_hash{});
  for (std::size_t i = 1; i < seen.size(); ++i) EXPECT_EQ(seen[i].prev_hash, seen[i - 1].hash);
  EXPECT_EQ(v.head, seen.back().hash);
}

TEST_F(audit_fixture, SqlCannotUpdateOrDeleteAnEntry) {
  append(2);
  EXPECT_FALSE(db.exec("UPDATE audit_log SET actor = 'user:9' WHERE seq = 1;"));
  EXPECT_FALSE(db.exec("DELETE FROM audit_log WHERE seq = 2;"));
  EXPECT_EQ(verify().entries, 2);
}

TEST_F(audit_fixture, AHandEditedEntryIsNamed) {
  append(6);
  tamper("UPDATE audit_log SET action = 'flag_resolved' WHERE seq = 4;");
  const auto v = verify();
  ASSERT_TRUE(v.broken_at);
  EXPECT_EQ(*v.broken_at, 4);
  EXPECT_EQ(v.entries, 3);
  EXPECT_NE(v.problem.find("hash"), std::string::npos);
}

TEST_F(audit_fixture, ARecomputedHashStillBreaksTheNextLink) {
  append(4);
  // The editor recomputes entry 2's own hash; entry 3 still names the old one.
  auto entries = std::vector<audit_entry>{};
  ASSERT_TRUE(for_each_audit(db, 0, INT64_MAX, [&](const audit_entry& e) { entries.push_back(e); }));
  auto forged = entries[1];
  forged.actor = "user:99";
  forged.hash = audit_entry_hash(forged);
  tamper("UPDATE audit_log SET actor = 'user:99' WHERE seq = 2;");
  auto s = db.prepare("UPDATE audit_log SET hash = ?1 WHERE seq = 2;");
  ASSERT_TRUE(s);
  s->bind(1, std::span<const unsigned char>{forged.hash});
  ASSERT_TRUE(s->run());
  const auto v = verify();
  ASSERT_TRUE(v.broken_at);
  EXPECT_EQ(*v.broken_at, 3);
}

TEST_F(audit_fixture, ADeletedEntryIsNamedAsMissing) {
  append(5);
  tamper("DELETE FROM audit_log WHERE seq = 3;");
  const auto v = verify();
  ASSERT_TRUE(v.broken_at);
  EXPECT_EQ(*v.broken_at, 4);
  EXPECT_NE(v.problem.find("entry 3 is missing"), std::string::npos) << v.problem;
}

TEST_F(audit_fixture, ExportTakesAHalfOpenRangeAndObjectsHaveTheirHistory) {
  append(6);
  std::vector<std::int64_t> seqs;
  ASSERT_TRUE(for_each_audit(db, 1002, 1004, [&](const audit_entry& e) { seqs.push_back(e.seq); }));
  EXPECT_EQ(seqs, (std::vector<std::int64_t>{3, 4}));
  ASSERT_TRUE(append_audit(db, 2000, "server", "flag_escalated", "flag:2", R"({"escalation":1})"));
  auto history = audit_of_object(db, "flag:2");
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].action, "flag_raised");
  EXPECT_EQ((*history)[1].action, "flag_escalated");
  EXPECT_EQ((*history)[1].actor, "server");
}

}  // namespace
}  // namespace confidant::store
