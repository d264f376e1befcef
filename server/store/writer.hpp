#pragma once

#include "server/store/database.hpp"

#include <boost/system/error_code.hpp>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace confidant::store {

// The one thread that owns the write connection. Jobs queued from any thread run in order,
// grouped into one transaction per batch (group commit), each inside its own savepoint so that a
// failing job rolls back alone. A job's completion runs on the writer thread only after the
// batch's COMMIT returned, i.e. once the write is durable (WAL, synchronous=FULL).
class writer {
 public:
  using job = std::function<result<void>(database&)>;
  using completion = std::function<void(boost::system::error_code)>;
  using commit_observer = std::function<void(std::chrono::nanoseconds commit_time, std::size_t batch)>;

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

 private:
  struct item {
    job work;
    completion done;
  };
  void run();
  void commit_batch(std::deque<item>& batch);

  database db_;
  commit_observer observer_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<item> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace confidant::store
