#include "server/store/migrator.hpp"
#include "server/store/key.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <array>

namespace confidant::store {
namespace {

TEST(Migrator, AppliesEmbeddedMigrationsOnceAndIsIdempotent) {
  test::temp_dir dir;
  auto db = database::open(dir / "t.db", db_key::random(), {.create = true});
  ASSERT_TRUE(db);
  const auto all = sql::migrations();
  ASSERT_FALSE(all.empty());
  auto first = migrate(*db, all, 1000);
  ASSERT_TRUE(first) << first.error().message();
  EXPECT_EQ(*first, static_cast<int>(all.size()));
  EXPECT_EQ(*schema_version(*db), all.back().version);
  auto second = migrate(*db, all, 2000);
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, 0);
  EXPECT_EQ(*db->query_text("SELECT count(*) FROM schema_migrations;"), std::to_string(all.size()));
  EXPECT_EQ(*db->query_text("SELECT count(*) FROM sqlite_master WHERE name = 'tenant';"), "1");
}

TEST(Migrator, AFailingMigrationLeavesNoTrace) {
  test::temp_dir dir;
  auto db = database::open(dir / "t.db", db_key::random(), {.create = true});
  ASSERT_TRUE(db);
  const std::array<sql::migration, 2> broken{{
      {1, "0001_ok.sql", "CREATE TABLE a (x INTEGER);"},
      {2, "0002_bad.sql", "CREATE TABLE b (x INTEGER); THIS IS NOT SQL;"},
  }};
  auto r = migrate(*db, broken, 1);
  ASSERT_FALSE(r);
  EXPECT_EQ(*schema_version(*db), 1);
  EXPECT_EQ(*db->query_text("SELECT count(*) FROM sqlite_master WHERE name = 'b';"), "0");
}

TEST(Migrator, RefusesADatabaseFromANewerBuild) {
  test::temp_dir dir;
  auto db = database::open(dir / "t.db", db_key::random(), {.create = true});
  ASSERT_TRUE(db);
  const std::array<sql::migration, 2> newer{{{1, "0001_a.sql", "CREATE TABLE a (x);"}, {2, "0002_b.sql", "CREATE TABLE b (x);"}}};
  ASSERT_TRUE(migrate(*db, newer, 1));
  auto r = migrate(*db, std::span(newer).first(1), 2);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::schema_too_new);
}

}  // namespace
}  // namespace confidant::store
