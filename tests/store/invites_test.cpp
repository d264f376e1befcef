#include "server/store/invites.hpp"
#include "server/store/key.hpp"
#include "server/store/migrator.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace confidant::store {
namespace {

struct invites_fixture : ::testing::Test {
  test::temp_dir dir;
  database db = [this] {
    auto d = database::open(dir / "i.db", db_key::random(), {.create = true});
    EXPECT_TRUE(d);
    EXPECT_TRUE(migrate(*d, sql::migrations(), 0));
    return std::move(*d);
  }();

  static code_hash hash_of(unsigned char b) {
    code_hash h;
    h.fill(b);
    return h;
  }
  std::int64_t add(unsigned char b, std::int64_t expires = 2000) {
    auto id = insert_invite(db, {hash_of(b), rules::role::coordinator, "Ann", std::nullopt, 1000, expires, std::nullopt});
    EXPECT_TRUE(id) << id.error().message();
    return *id;
  }
  std::int64_t add_account() {
    EXPECT_TRUE(db.exec("INSERT INTO accounts (role, display_name, created_at) VALUES ('coordinator', 'Ann', 1);"));
    return std::stoll(*db.query_text("SELECT max(id) FROM accounts;"));
  }
};

TEST_F(invites_fixture, UsableUnknownUsedAndExpiredAreDistinct) {
  const auto id = add(1);
  auto found = find_invite(db, hash_of(1), 1500);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->first, invite_state::usable);
  EXPECT_EQ(found->second->role, rules::role::coordinator);
  EXPECT_EQ(found->second->display_name, "Ann");

  EXPECT_EQ(find_invite(db, hash_of(2), 1500)->first, invite_state::unknown);
  EXPECT_EQ(find_invite(db, hash_of(1), 2000)->first, invite_state::expired);

  ASSERT_TRUE(mark_invite_used(db, id, add_account(), 1600));
  EXPECT_EQ(find_invite(db, hash_of(1), 1700)->first, invite_state::used);
}

TEST_F(invites_fixture, AnInviteIsUsedOnceAndNeverAfterExpiry) {
  const auto id = add(3);
  const auto account = add_account();
  EXPECT_EQ(mark_invite_used(db, id, account, 2500).error(), errc::constraint) << "expired";
  ASSERT_TRUE(mark_invite_used(db, id, account, 1500));
  EXPECT_EQ(mark_invite_used(db, id, account, 1501).error(), errc::constraint) << "second use";
}

TEST_F(invites_fixture, SchemaRefusesBadRows) {
  EXPECT_EQ(insert_invite(db, {hash_of(4), rules::role::spoc, "S", std::nullopt, 1000, 999, std::nullopt}).error(), errc::constraint);
  add(5);
  EXPECT_EQ(insert_invite(db, {hash_of(5), rules::role::spoc, "S", std::nullopt, 1000, 2000, std::nullopt}).error(), errc::constraint)
      << "the same code twice";
}

}  // namespace
}  // namespace confidant::store
