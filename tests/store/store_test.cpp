#include "server/store/store.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace confidant::store {
namespace {

TEST(Store, CreateThenOpenKeepsTheTenantAndIsReady) {
  test::temp_dir dir;
  const auto path = dir / "confidant.db";
  const auto hex = std::string(64, '7');
  ASSERT_TRUE(create_database(path, *db_key::from_hex(hex), "Demo LA", 1));
  auto again = create_database(path, *db_key::from_hex(hex), "Other", 2);
  EXPECT_FALSE(again) << "creating over an existing database must fail";

  auto s = store::open(path, *db_key::from_hex(hex), 3);
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ((*s)->tenant_name(), "Demo LA");
  EXPECT_TRUE((*s)->ping());
  // Readers refuse writes.
  auto w = (*s)->read([](database& db) { return db.exec("DELETE FROM tenant;"); });
  EXPECT_FALSE(w);
  EXPECT_TRUE((*s)->ping());
}

TEST(Store, OpenWithWrongKeyIsRefused) {
  test::temp_dir dir;
  const auto path = dir / "confidant.db";
  ASSERT_TRUE(create_database(path, db_key::random(), "Demo LA", 1));
  auto s = store::open(path, db_key::random(), 2);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error(), errc::wrong_key);
}

}  // namespace
}  // namespace confidant::store
