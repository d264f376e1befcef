#include "server/daemon/commands.hpp"
#include "tests/daemon/temp_config.hpp"
#include "server/store/store.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace confidant::daemon {
namespace {

config in(const test::temp_dir& dir) { return test_support::temp_config(dir); }

TEST(Init, CreatesKeyAndEncryptedDatabaseThenIsIdempotent) {
  test::temp_dir dir;
  const auto c = in(dir);
  ASSERT_EQ(init_command(c), exit_ok);
  struct stat st {};
  ASSERT_EQ(::stat(c.key_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(c.data_dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  const auto key_before = test::read_bytes(c.key_file);
  EXPECT_NE(test::read_bytes(c.database_path()).rfind("SQLite format 3", 0), 0u);

  ASSERT_EQ(init_command(c), exit_ok);
  EXPECT_EQ(test::read_bytes(c.key_file), key_before) << "a second init must not replace the key";
  auto s = store::store::open(c.database_path(), *store::read_key_file(c.key_file), 1);
  ASSERT_TRUE(s);
  EXPECT_EQ((*s)->tenant_name(), c.tenant_name);
}

TEST(Init, WrongKeyOnAnInitialisedDirectoryFailsAndChangesNothing) {
  test::temp_dir dir;
  const auto c = in(dir);
  ASSERT_EQ(init_command(c), exit_ok);
  std::filesystem::remove(c.key_file);
  ASSERT_TRUE(store::write_key_file(c.key_file, store::db_key::random()));
  const auto before = test::read_bytes(c.database_path());
  EXPECT_EQ(init_command(c), exit_failure);
  EXPECT_EQ(run_command(c), exit_failure);
  EXPECT_EQ(test::read_bytes(c.database_path()), before);
}

TEST(Init, RunWithoutInitSaysSo) {
  test::temp_dir dir;
  EXPECT_EQ(run_command(in(dir)), exit_failure);
  EXPECT_FALSE(std::filesystem::exists(dir / "data"));
}

}  // namespace
}  // namespace confidant::daemon
