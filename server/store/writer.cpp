#include "server/store/writer.hpp"

#include <future>
#include <utility>
#include <vector>

namespace confidant::store {

writer::writer(database db, commit_observer observer)
    : db_(std::move(db)), observer_(std::move(observer)), thread_([this] { run(); }) {}

writer::~writer() { stop(); }

void writer::submit(job j, completion done) { enqueue({std::move(j), std::move(done)}); }

void writer::enqueue(item it) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      queue_.push_back(std::move(it));
      wake_.notify_one();
      return;
    }
  }
  if (it.done) it.done(errc::stopped);
}

boost::system::error_code writer::run(job j) {
  std::promise<boost::system::error_code> done;
  enqueue({std::move(j), [&done](boost::system::error_code ec) { done.set_value(ec); }, true});
  return done.get_future().get();
}

void writer::complete_on(poster post) {
  std::lock_guard lock(mutex_);
  post_ = std::move(post);
}

void writer::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void writer::at_commit(job step) { at_commit_.push_back(std::move(step)); }

void writer::run() {
  std::deque<item> batch;
  for (;;) {
    poster post;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      while (!queue_.empty() && batch.size() < max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      post = post_;
    }
    commit_batch(batch, post);
    batch.clear();
  }
}

void writer::commit_batch(std::deque<item>& batch, const poster& post) {
  const auto started = std::chrono::steady_clock::now();
  ++batch_number_;
  std::vector<boost::system::error_code> outcomes(batch.size());

  auto tx = transaction::begin(db_);
  if (!tx) {
    for (auto& it : batch)
      if (it.done) it.done(tx.error());
    return;
  }
  // One savepoint name serves every job: each is released before the next begins.
  result<void> committed;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (auto r = db_.run("SAVEPOINT job;"); !r) {
      outcomes[i] = r.error();
      continue;
    }
    auto r = batch[i].work(db_);
    if (!r) outcomes[i] = r.error();
    if (!db_.in_transaction()) {
      // SQLite rolled the whole transaction back by itself (an I/O error, a full disk): the jobs
      // before this one are undone too, and the ones after must not run outside it.
      committed = r ? make_error_code(errc::io) : r.error();
      break;
    }
    if (!r) (void)db_.run("ROLLBACK TO job;");
    (void)db_.run("RELEASE job;");
  }
  auto steps = std::exchange(at_commit_, {});
  for (auto& step : steps) {
    if (!committed) break;
    committed = step(db_);
  }
  if (committed) {
    committed = tx->commit();
  } else {
    tx->rollback();
  }
  if (observer_) observer_(std::chrono::steady_clock::now() - started, batch.size());
  std::vector<std::pair<completion, boost::system::error_code>> later;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto ec = committed ? outcomes[i] : committed.error();
    if (!batch[i].done) continue;
    if (post && !batch[i].inline_done) {
      later.emplace_back(std::move(batch[i].done), ec);
    } else {
      batch[i].done(ec);
    }
  }
  if (later.empty()) return;
  post([done = std::make_shared<decltype(later)>(std::move(later))] {
    for (auto& [complete, ec] : *done) complete(ec);
  });
}

}  // namespace confidant::store
