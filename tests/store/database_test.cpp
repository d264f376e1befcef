#include "server/store/database.hpp"
#include "server/store/key.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <optional>

namespace confidant::store {
namespace {

constexpr std::string_view canary = "CANARY-7f3a9c-the-head-said-this-in-confidence";

TEST(Database, OpensWithKeyAndAnswersSqlCipher4) {
  test::temp_dir dir;
  auto db = database::open(dir / "t.db", db_key::random(), {.create = true});
  ASSERT_TRUE(db) << db.error().message();
  auto v = db->query_text("PRAGMA cipher_version;");
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->starts_with("4.")) << *v;
  EXPECT_EQ(*db->query_text("PRAGMA journal_mode;"), "wal");
  EXPECT_EQ(*db->query_text("PRAGMA synchronous;"), "2");  // FULL
  EXPECT_EQ(*db->query_text("PRAGMA cipher_integrity_check;"), "");
}

TEST(Database, CanaryNeverReachesTheFilesOnDisk) {
  test::temp_dir dir;
  const auto path = dir / "t.db";
  const auto key = db_key::random();
  {
    auto db = database::open(path, key, {.create = true});
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->exec("CREATE TABLE notes (body TEXT);"));
    auto ins = db->prepare("INSERT INTO notes (body) VALUES (?1);");
    ASSERT_TRUE(ins);
    ins->bind(1, canary);
    ASSERT_TRUE(ins->run());
    // While open, the committed row lives in the -wal file: read all three files now.
    const auto wal = test::read_bytes(path.string() + "-wal");
    EXPECT_GT(wal.size(), 0u);
    for (const auto& file : {path.string(), path.string() + "-wal", path.string() + "-shm"}) {
      EXPECT_EQ(test::read_bytes(file).find(canary), std::string::npos) << file;
    }
    auto sel = db->query_text("SELECT body FROM notes;");
    ASSERT_TRUE(sel);
    EXPECT_EQ(*sel, canary);
  }
  const auto main = test::read_bytes(path);
  ASSERT_GT(main.size(), 0u);
  EXPECT_EQ(main.find(canary), std::string::npos);
  EXPECT_NE(main.rfind("SQLite format 3", 0), 0u) << "the file starts with the plaintext SQLite header";
}

TEST(Database, WrongKeyFailsCleanlyAndLeavesTheFileUntouched) {
  test::temp_dir dir;
  const auto path = dir / "t.db";
  {
    auto db = database::open(path, db_key::random(), {.create = true});
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);"));
  }
  const auto before = test::read_bytes(path);
  auto wrong = database::open(path, db_key::random(), {});
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error(), errc::wrong_key);
  EXPECT_EQ(test::read_bytes(path), before);
  EXPECT_FALSE(std::filesystem::exists(path.string() + "-wal") && test::read_bytes(path.string() + "-wal").size() > 0);
}

TEST(Database, MissingFileIsNotCreatedWithoutAsking) {
  test::temp_dir dir;
  auto db = database::open(dir / "absent.db", db_key::random(), {});
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error(), errc::not_found);
  EXPECT_FALSE(std::filesystem::exists(dir / "absent.db"));
}

TEST(Database, PlainSqliteFileIsRefusedAsWrongKey) {
  test::temp_dir dir;
  const auto path = dir / "plain.db";
  {
    // An unencrypted database, as a wrong link against libsqlite3 would write.
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "CREATE TABLE t (x);", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
  }
  auto db = database::open(path, db_key::random(), {});
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error(), errc::wrong_key);
}

TEST(Transaction, RollsBackUnlessCommitted) {
  test::temp_dir dir;
  auto db = database::open(dir / "t.db", db_key::random(), {.create = true});
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec("CREATE TABLE t (x INTEGER);"));
  {
    auto tx = transaction::begin(*db);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(db->exec("INSERT INTO t VALUES (1);"));
  }
  EXPECT_EQ(*db->query_text("SELECT count(*) FROM t;"), "0");
  {
    auto tx = transaction::begin(*db);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(db->exec("INSERT INTO t VALUES (2);"));
    ASSERT_TRUE(tx->commit());
  }
  EXPECT_EQ(*db->query_text("SELECT count(*) FROM t;"), "1");
}

TEST(Statement, ErrorsMapToStableCodes) {
  test::temp_dir dir;
  auto db = database::open(dir / "t.db", db_key::random(), {.create = true});
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->exec("CREATE TABLE u (x INTEGER UNIQUE);"));
  ASSERT_TRUE(db->exec("INSERT INTO u VALUES (1);"));
  auto dup = db->exec("INSERT INTO u VALUES (1);");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error(), errc::constraint);
  EXPECT_EQ(db->prepare("SELEC nonsense").error(), errc::misuse);
}

// prepare() lends the connection's compiled statement for a text; what comes back must behave as
// a fresh one: from the first row, no bindings left over, no read left open.
class StatementCache : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = database::open(dir_ / "t.db", key_, {.create = true});
    ASSERT_TRUE(opened);
    db_.emplace(std::move(*opened));
    ASSERT_TRUE(db_->exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3);"));
  }
  std::int64_t first_x_above(std::int64_t floor) {
    auto s = db_->prepare("SELECT x FROM t WHERE x > ?1 ORDER BY x;");
    EXPECT_TRUE(s);
    s->bind(1, floor);
    EXPECT_TRUE(*s->step());
    return s->column_int64(0);
  }
  test::temp_dir dir_;
  db_key key_ = db_key::random();
  std::optional<database> db_;
};

TEST_F(StatementCache, AStatementReturnedMidwayStartsAgainFromTheFirstRow) {
  EXPECT_EQ(first_x_above(0), 1);  // leaves the query after its first row
  EXPECT_EQ(first_x_above(1), 2);
  EXPECT_EQ(first_x_above(0), 1);
}

TEST_F(StatementCache, BindingsDoNotCarryOver) {
  {
    auto s = db_->prepare("SELECT ?1 IS NULL;");
    ASSERT_TRUE(s);
    s->bind(1, std::int64_t{7});
    ASSERT_TRUE(*s->step());
    EXPECT_EQ(s->column_int64(0), 0);
  }
  auto again = db_->prepare("SELECT ?1 IS NULL;");
  ASSERT_TRUE(again);
  ASSERT_TRUE(*again->step());
  EXPECT_EQ(again->column_int64(0), 1);
}

TEST_F(StatementCache, TheSameTextTwiceAtOnceGivesTwoIndependentStatements) {
  auto outer = db_->prepare("SELECT x FROM t ORDER BY x;");
  auto inner = db_->prepare("SELECT x FROM t ORDER BY x;");
  ASSERT_TRUE(outer && inner);
  ASSERT_TRUE(*outer->step());
  ASSERT_TRUE(*inner->step());
  ASSERT_TRUE(*inner->step());
  EXPECT_EQ(outer->column_int64(0), 1);
  EXPECT_EQ(inner->column_int64(0), 2);
}

TEST_F(StatementCache, AReturnedStatementHoldsNoReadThatBlocksACheckpoint) {
  auto reader = database::open(dir_ / "t.db", key_, {.read_only = true});
  ASSERT_TRUE(reader);
  {
    auto s = reader->prepare("SELECT x FROM t ORDER BY x;");
    ASSERT_TRUE(s);
    ASSERT_TRUE(*s->step());  // a read snapshot, given back without finishing
  }
  ASSERT_TRUE(db_->exec("INSERT INTO t VALUES (4);"));
  auto s = db_->prepare("PRAGMA wal_checkpoint(TRUNCATE);");
  ASSERT_TRUE(s);
  ASSERT_TRUE(*s->step());
  EXPECT_EQ(s->column_int64(0), 0) << "the checkpoint was blocked by a reader";
}

TEST_F(StatementCache, AStatementFollowsASchemaChange) {
  auto second_column = [&] {
    auto s = db_->prepare("SELECT * FROM t LIMIT 1;");
    EXPECT_TRUE(s);
    EXPECT_TRUE(*s->step());
    return s->column_int64(1);
  };
  EXPECT_EQ(second_column(), 0);
  ASSERT_TRUE(db_->exec("ALTER TABLE t ADD COLUMN y INTEGER DEFAULT 42;"));
  EXPECT_EQ(second_column(), 42);
}

}  // namespace
}  // namespace confidant::store
