#pragma once

// A service::peer for in-process tests: frames and closes are recorded; strand work runs at once
// on the calling thread (the test thread or the writer thread), one at a time.

#include "server/service/dispatcher.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>

namespace confidant::test {

class capture_peer final : public service::peer {
 public:
  void send(std::shared_ptr<const std::string> frame) override {
    std::lock_guard lock{mutex_};
    frames_.push_back(*frame);
    cv_.notify_all();
  }
  void close(std::uint16_t code, std::string) override {
    std::lock_guard lock{mutex_};
    closed_ = code;
    cv_.notify_all();
  }
  void dispatch(std::function<void()> fn) override {
    std::lock_guard lock{strand_};
    fn();
  }

  // The next frame within 5 s, as a JSON object (fails the test on timeout).
  boost::json::object next() {
    std::unique_lock lock{mutex_};
    if (!cv_.wait_for(lock, std::chrono::seconds{5}, [&] { return !frames_.empty(); })) {
      ADD_FAILURE() << "no frame within 5 s";
      return {};
    }
    auto f = std::move(frames_.front());
    frames_.pop_front();
    return boost::json::parse(f).as_object();
  }
  std::optional<std::uint16_t> wait_closed() {
    std::unique_lock lock{mutex_};
    cv_.wait_for(lock, std::chrono::seconds{5}, [&] { return closed_.has_value(); });
    return closed_;
  }
  std::size_t pending() {
    std::lock_guard lock{mutex_};
    return frames_.size();
  }

 private:
  std::mutex mutex_;
  std::recursive_mutex strand_;
  std::condition_variable cv_;
  std::deque<std::string> frames_;
  std::optional<std::uint16_t> closed_;
};

}  // namespace confidant::test
