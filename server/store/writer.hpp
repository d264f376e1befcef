#pragma once

#include "server/store/database.hpp"

#include <boost/system/error_code.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace confidant::store {

// The one thread that owns the write connection. Jobs queued from any thread run in order,
// grouped into one transaction per batch (group commit), each inside its own savepoint so that a
// failing job rolls back alone. A job's completion runs only after the batch's COMMIT returned,
// i.e. once the write is durable (WAL, synchronous=FULL): on the writer thread, or, once
// complete_on() named a poster, handed to it with the rest of its batch in commit order.
class writer {
 public:
  using job = std::function<result<void>(database&)>;
  using completion = std::function<void(boost::system::error_code)>;
  using commit_observer = std::function<void(std::chrono::nanoseconds commit_time, std::size_t batch)>;
  using poster = std::function<void(std::function<void()>)>;

  static constexpr std::size_t max_batch = 512;

  writer(database db, commit_observer observer = {});
  writer(const writer&) = delete;
  writer& operator=(const writer&) = delete;
  ~writer();  // stops: every queued job runs and commits first

  // Thread-safe. After stop() the completion gets errc::stopped at once.
  void submit(job j, completion done);
  // submit() and wait until the job's batch has committed (or failed): its error, if any. For
  // commands and timers off the writer thread; never call it from a completion.
  [[nodiscard]] boost::system::error_code run(job j);
  // Finishes every queued job, then ends the thread. Idempotent.
  void stop();

  // Thread-safe. From the next batch on, its completions are handed to `post` as one task, in
  // commit order (e.g. onto a strand of the server's I/O threads), so that the writer starts the
  // next batch at once; run()'s completions stay on the writer thread. Empty: back to inline.
  // `post` must accept tasks until it is replaced or the writer has stopped.
  void complete_on(poster post);

  // Only inside a job, on the writer thread: runs `step` once every job of the current batch has
  // run, just before the batch's COMMIT, in the same transaction. A failing step fails the whole
  // batch (every job's completion gets its error). A job registers it as its last action, after
  // its own work succeeded (a step survives the job's savepoint being rolled back).
  void at_commit(job step);
  // Only on the writer thread: which batch is running (a new number for every batch), so that
  // per-batch state kept elsewhere can tell that an earlier batch ended without its steps.
  [[nodiscard]] std::uint64_t batch_number() const noexcept { return batch_number_; }

 private:
  struct item {
    job work;
    completion done;
    bool inline_done = false;  // run(): completes on the writer thread
  };
  void enqueue(item it);
  void run();
  void commit_batch(std::deque<item>& batch, const poster& post);

  database db_;
  commit_observer observer_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<item> queue_;
  poster post_;
  std::vector<job> at_commit_;  // the writer thread's alone
  std::uint64_t batch_number_ = 0;  // the writer thread's alone
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace confidant::store
