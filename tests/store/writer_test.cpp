#include "server/store/writer.hpp"
#include "server/store/key.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <future>
#include <mutex>
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

// Holds the writer inside a first job until released, so that what is submitted meanwhile is
// one batch.
struct held_writer {
  writer& w;
  std::promise<void> started, release;
  explicit held_writer(writer& wr) : w(wr) {
    auto go = release.get_future().share();
    w.submit([this, go](database&) -> result<void> {
      started.set_value();
      go.wait();
      return {};
    }, {});
    started.get_future().wait();
  }
  void let_go() { release.set_value(); }
};

TEST_F(writer_fixture, WhenSQLiteRollsTheBatchBackNoLaterJobCommitsOnItsOwn) {
  std::vector<boost::system::error_code> outcomes(3);
  {
    writer w{make()};
    held_writer hold{w};
    w.submit([](database& db) { return insert(db, 1); }, [&](auto ec) { outcomes[0] = ec; });
    // What SQLite does on an I/O error or a full disk: the whole transaction is rolled back.
    w.submit([](database& db) -> result<void> {
      if (auto r = insert(db, 2); !r) return r.error();
      (void)db.exec("ROLLBACK;");
      return errc::full;
    }, [&](auto ec) { outcomes[1] = ec; });
    w.submit([](database& db) { return insert(db, 3); }, [&](auto ec) { outcomes[2] = ec; });
    hold.let_go();
  }
  for (const auto& ec : outcomes) EXPECT_EQ(ec, errc::full);
  EXPECT_EQ(count(), "0");  // neither the first job (undone with the batch) nor the third
}

TEST_F(writer_fixture, AtCommitStepsRunOnceAfterEveryJobAndTheirFailureFailsTheBatch) {
  std::vector<boost::system::error_code> outcomes(2);
  {
    writer w{make()};
    int steps = 0;
    EXPECT_FALSE(w.run([&](database& db) -> result<void> {
      w.at_commit([&](database& d) -> result<void> {
        ++steps;
        return insert(d, 100);  // after the job's own row
      });
      return insert(db, 10);
    }));
    EXPECT_EQ(steps, 1);
    EXPECT_EQ(count(), "2");

    held_writer hold{w};
    w.submit([&](database& db) -> result<void> {
      w.at_commit([](database& d) { return insert(d, 10); });  // a duplicate: the step fails
      return insert(db, 11);
    }, [&](auto ec) { outcomes[0] = ec; });
    w.submit([](database& db) { return insert(db, 12); }, [&](auto ec) { outcomes[1] = ec; });
    hold.let_go();
  }
  EXPECT_EQ(outcomes[0], errc::constraint);
  EXPECT_EQ(outcomes[1], errc::constraint);
  EXPECT_EQ(count(), "2");
}

TEST_F(writer_fixture, APosterGetsEachBatchsCompletionsInCommitOrderButRunsAreInline) {
  std::mutex m;
  std::vector<std::function<void()>> posted;
  std::vector<int> order;
  {
    writer w{make()};
    w.complete_on([&](std::function<void()> task) {
      std::lock_guard lock(m);
      posted.push_back(std::move(task));
    });
    // run() waits for its completion: it must not wait for the poster.
    EXPECT_FALSE(w.run([](database& db) { return insert(db, 1); }));
    held_writer hold{w};
    for (int i = 2; i <= 5; ++i) {
      w.submit([i](database& db) { return insert(db, i); }, [&order, i](auto ec) {
        EXPECT_FALSE(ec);
        order.push_back(i);
      });
    }
    hold.let_go();
  }  // drained: every batch committed
  EXPECT_EQ(count(), "5");
  EXPECT_TRUE(order.empty()) << "a completion ran on the writer thread";
  ASSERT_EQ(posted.size(), 1u);  // the four sends were one batch: one task
  for (auto& task : posted) task();
  EXPECT_EQ(order, (std::vector<int>{2, 3, 4, 5}));
}

}  // namespace
}  // namespace confidant::store
