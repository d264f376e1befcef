#pragma once

// One generator thread: its own io_context (so the clients it runs need no strand), its own
// recorder, and randomness for the clients' crypto.

#include "crypto/random.hpp"
#include "tests/load/metrics.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <optional>
#include <thread>

namespace confidant::load {

struct thread_ctx {
  boost::asio::io_context ioc{1};
  recorder rec;
  crypto::system_random rng;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard{ioc.get_executor()};
  std::thread thread;

  void start() {
    thread = std::thread([this] { ioc.run(); });
  }
  void finish() {
    guard.reset();
    ioc.stop();
    if (thread.joinable()) thread.join();
  }
};

}  // namespace confidant::load
