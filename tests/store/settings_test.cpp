#include "server/store/settings.hpp"
#include "server/store/store.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <future>

namespace confidant::store {
namespace {

TEST(Settings, PutThroughTheWriterAndReadBackThroughAReader) {
  test::temp_dir dir;
  const auto path = dir / "c.db";
  const auto hex = std::string(64, 'c');
  ASSERT_TRUE(create_database(path, *db_key::from_hex(hex), "LA", 1));
  auto s = store::open(path, *db_key::from_hex(hex), 2);
  ASSERT_TRUE(s);
  for (const char* value : {"first", "second"}) {
    std::promise<boost::system::error_code> done;
    (*s)->write().submit([value](database& db) { return put_setting(db, "last_started_at", value); },
                         [&](auto ec) { done.set_value(ec); });
    EXPECT_FALSE(done.get_future().get());
  }
  std::optional<std::string> got;
  ASSERT_TRUE((*s)->read([&](database& db) -> result<void> {
    auto v = get_setting(db, "last_started_at");
    if (!v) return v.error();
    got = *v;
    return {};
  }));
  EXPECT_EQ(got, "second");
}

}  // namespace
}  // namespace confidant::store
