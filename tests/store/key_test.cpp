#include "server/store/key.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace confidant::store {
namespace {

TEST(KeyFile, WrittenWithMode0600AndReadBack) {
  test::temp_dir dir;
  const auto path = dir / "db.key";
  const auto key = db_key::random();
  ASSERT_TRUE(write_key_file(path, key));
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto back = read_key_file(path);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(back->bytes(), key.bytes());
  EXPECT_EQ(test::read_bytes(path).size(), 65u);  // 64 hex digits and a newline
}

TEST(KeyFile, NeverOverwritesAnExistingKey) {
  test::temp_dir dir;
  const auto path = dir / "db.key";
  ASSERT_TRUE(write_key_file(path, db_key::random()));
  const auto before = test::read_bytes(path);
  auto again = write_key_file(path, db_key::random());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error(), errc::key_file_exists);
  EXPECT_EQ(test::read_bytes(path), before);
}

TEST(KeyFile, RefusesGroupOrWorldReadableFile) {
  test::temp_dir dir;
  const auto path = dir / "db.key";
  ASSERT_TRUE(write_key_file(path, db_key::random()));
  std::filesystem::permissions(path, std::filesystem::perms::group_read, std::filesystem::perm_options::add);
  auto r = read_key_file(path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::key_file_permissions);
}

TEST(KeyFile, MissingAndMalformedHaveDistinctErrors) {
  test::temp_dir dir;
  EXPECT_EQ(read_key_file(dir / "absent").error(), errc::key_file_missing);
  for (const char* text : {"", "abc", "zz00000000000000000000000000000000000000000000000000000000000000"}) {
    const auto path = dir / "bad.key";
    std::filesystem::remove(path);
    { std::ofstream(path) << text; }
    std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    EXPECT_EQ(read_key_file(path).error(), errc::key_file_malformed) << text;
  }
}

TEST(DbKey, HexRoundTripAndLiteralShape) {
  auto k = db_key::from_hex(std::string(64, 'a') + "\n");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->bytes()[0], 0xaa);
  const auto lit = k->sqlcipher_literal();
  EXPECT_EQ(lit, "x'" + std::string(64, 'a') + "'");
  EXPECT_NE(db_key::random().bytes(), db_key::random().bytes());
}

}  // namespace
}  // namespace confidant::store
