#include "server/store/writer.hpp"
#include "server/store/key.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

namespace confidant::store {
namespace {

result<void> insert(database& db, std::int64_t x) {
  auto s = db.prepare("INSERT INTO t (x) VALUES (?1);");
  if (!s) return s.error();
  s->bind(1, x);
  return s->run();
}

struct writer_fixture : ::testing::Test {
  test::temp_dir dir;
  db_key key = db_key::random();
  std::filesystem::path path = dir / "w.db";

  database make() {
    auto db = database::open(path, key, {.create = true});
    EXPECT_TRUE(db);
    EXPECT_TRUE(db->exec("CREATE TABLE IF NOT EXISTS t (x INTEGER UNIQUE);"));
    return std::move(*db);
  }
  std::string count() {
    auto db = database::open(path, key, {.read_only = true});
    return *db->query_text("SELECT count(*) FROM t;");
  }
};

TEST_F(writer_fixture, CompletionComesAfterTheCommitIsVisibleToOthers) {
  writer w{make()};
  std::promise<boost::system::error_code> done;
  w.submit([](database& db) { return insert(db, 1); }, [&](auto ec) { done.set_value(ec); });
  EXPECT_FALSE(done.get_future().get());
  EXPECT_EQ(count(), "1");  // a separate connection sees it once completed
}

TEST_F(writer_fixture, RunWaitsForTheCommitAndReportsFailureAndStop) {
  writer w{make()};
  EXPECT_FALSE(w.run([](database& db) { return insert(db, 7); }));
  EXPECT_EQ(count(), "1");
  EXPECT_TRUE(w.run([](database& db) { return insert(db, 7); }));  // UNIQUE: the job fails, nothing stored
  EXPECT_EQ(count(), "1");
  w.stop();
  EXPECT_EQ(w.run([](database& db) { return insert(db, 8); }), make_error_code(errc::stopped));
}

TEST_F(writer_fixture, AFailingJobRollsBackAloneInsideItsBatch) {
  std::atomic<int> ok{0}, failed{0};
  std::atomic<std::size_t> batches{0};
  {
    writer w{make(), [&](auto, std::size_t) { ++batches; }};
    for (int i = 0; i < 200; ++i) {
      // Every tenth job inserts a duplicate and must fail without undoing its neighbours.
      const std::int64_t x = (i % 10 == 9) ? i - 1 : i;
      w.submit([x](database& db) { return insert(db, x); }, [&](auto ec) { (ec ? failed : ok)++; });
    }
  }  // the destructor drains the queue
  EXPECT_EQ(ok.load(), 180);
  EXPECT_EQ(failed.load(), 20);
  EXPECT_EQ(count(), "180");
  EXPECT_GE(batches.load(), 1u);
  EXPECT_LE(batches.load(), 200u);
}

TEST_F(writer_fixture, ConcurrentSubmittersAreGroupCommitted) {
  std::atomic<std::size_t> batches{0};
  std::atomic<int> ok{0};
  {
    writer w{make(), [&](auto, std::size_t) { ++batches; }};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 250; ++i) {
          std::promise<void> p;
          const std::int64_t x = t * 1000 + i;
          w.submit([x](database& db) { return insert(db, x); }, [&](auto ec) {
            if (!ec) ++ok;
            p.set_value();
          });
          p.get_future().wait();
        }
      });
    }
    for (auto& th : threads) th.join();
  }
  EXPECT_EQ(ok.load(), 1000);
  EXPECT_EQ(count(), "1000");
  EXPECT_LE(batches.load(), 1000u);
}

TEST_F(writer_fixture, SubmitAfterStopIsRefusedNotLost) {
  writer w{make()};
  w.stop();
  boost::system::error_code got;
  w.submit([](database& db) { return insert(db, 5); }, [&](auto ec) { got = ec; });
  EXPECT_EQ(got, errc::stopped);
  EXPECT_EQ(count(), "0");
}

}  // namespace
}  // namespace confidant::store
