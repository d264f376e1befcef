#include "server/store/writer.hpp"

#include <future>
#include <string>
#include <utility>
#include <vector>

namespace confidant::store {

writer::writer(database db, commit_observer observer)
    : db_(std::move(db)), observer_(std::move(observer)), thread_([this] { run(); }) {}

writer::~writer() { stop(); }

void writer::submit(job j, completion done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back({std::move(j), std::move(done)});
      wake_.notify_one();
      return;
    }
  }
  if (done) done(errc::stopped);
}

boost::system::error_code writer::run(job j) {
  std::promise<boost::system::error_code> done;
  submit(std::move(j), [&done](boost::system::error_code ec) { done.set_value(ec); });
  return done.get_future().get();
}

void writer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void writer::run() {
  std::deque<item> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      while (!queue_.empty() && batch.size() < max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commit_batch(batch);
    batch.clear();
  }
}

void writer::commit_batch(std::deque<item>& batch) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<boost::system::error_code> outcomes(batch.size());

  auto tx = transaction::begin(db_);
  if (!tx) {
    for (auto& it : batch)
      if (it.done) it.done(tx.error());
    return;
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const std::string sp = "j" + std::to_string(i);
    if (auto r = db_.exec("SAVEPOINT " + sp + ";"); !r) {
      outcomes[i] = r.error();
      continue;
    }
    auto r = batch[i].work(db_);
    if (!r) {
      outcomes[i] = r.error();
      (void)db_.exec("ROLLBACK TO " + sp + ";");
    }
    (void)db_.exec("RELEASE " + sp + ";");
  }
  const auto committed = tx->commit();
  if (observer_) observer_(std::chrono::steady_clock::now() - started, batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto ec = committed ? outcomes[i] : committed.error();
    if (batch[i].done) batch[i].done(ec);
  }
}

}  // namespace confidant::store
