#pragma once

// The phases every load run shares, whatever the target: the generator's threads, staged set-up
// with a bound on work in flight, the idle-connection memory figure, and the measured window
// with its drain (docs/benchmarks.md has the method).

#include "tests/load/runner.hpp"
#include "tests/load/send_pacer.hpp"
#include "tests/load/thread_ctx.hpp"
#include "tests/load/ws_link.hpp"

#include <boost/asio/post.hpp>
#include <sys/types.h>

#include <functional>
#include <future>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace confidant::load {

// A progress line on standard error, unless --quiet.
void say(const run_options& o, const std::string& s);
[[nodiscard]] double seconds_since(steady::time_point t);

// The generator's threads. stop() joins them; the io_contexts live until the pool is destroyed,
// after the clients whose sockets they hold.
struct thread_pool {
  std::vector<std::unique_ptr<thread_ctx>> threads;
  explicit thread_pool(unsigned n);
  thread_ctx& at(std::size_t i) { return *threads[i % threads.size()]; }
  void stop();
  [[nodiscard]] std::vector<recorder> recorders();
};

struct stop_on_exit {
  thread_pool& pool;
  ~stop_on_exit() { pool.stop(); }
};

template <class T>
T wait_future(std::future<T>& f, double timeout_s, const std::string& what) {
  if (f.wait_for(std::chrono::duration<double>(timeout_s)) != std::future_status::ready)
    throw std::runtime_error(what + ": timed out");
  return f.get();
}

// Starts `start(i)` for i in [from, to), at most `parallel` unfinished at once (counted by
// c.phase_done and c.phase_failed), until all finished; throws on a failure or the timeout.
void staged(counters& c, std::size_t from, std::size_t to, std::size_t parallel, double timeout_s,
            const std::string& what, const std::function<void(std::size_t)>& start);
// Waits until n of the current phase are done; throws on a failure or the timeout.
void wait_count(counters& c, std::size_t n, double timeout_s, const std::string& what);

[[nodiscard]] link_target target_for(unsigned short port, std::string path, std::string subprotocol);
[[nodiscard]] send_policy policy_of(const run_options& o);
[[nodiscard]] std::int64_t rss_of(pid_t pid);
// A random start into the send interval, to spread the clients' ticks.
[[nodiscard]] std::chrono::nanoseconds offset_for(const send_policy& p, std::mt19937_64& rng);

// Connects `total` clients with `connect(i)`: the idle connection figure is the RSS after the
// first ten (the fixed costs of a first connection paid), then after all of them.
void idle_memory(run_result& r, counters& c, pid_t pid, std::size_t total, const run_options& o,
                 const std::function<void(std::size_t)>& connect);
// Sends for the run's duration (or until the message bound) after `start_all`, then drains;
// fills the throughput, CPU and RSS figures of `r`.
void measure(run_result& r, counters& c, pid_t pid, const run_options& o, const std::function<void()>& start_all);

// The measured window for the first o.connections clients (each with start_sending(offset),
// spread over the send interval), then every client closed.
template <class Clients>
void measure_and_close(run_result& r, counters& c, thread_pool& pool, Clients& clients, pid_t pid,
                       const run_options& o, const send_policy& p) {
  std::mt19937_64 rng{42};
  measure(r, c, pid, o, [&] {
    for (std::size_t i = 0; i < o.connections; ++i) {
      const auto off = offset_for(p, rng);
      boost::asio::post(pool.at(i).ioc, [&, i, off] { clients[i]->start_sending(off); });
    }
  });
  for (std::size_t i = 0; i < clients.size(); ++i) boost::asio::post(pool.at(i).ioc, [&, i] { clients[i]->close(); });
  std::this_thread::sleep_for(std::chrono::milliseconds{300});
}
// Joins the generator's threads and merges their latency samples and errors into r.
void finish_latency(run_result& r, thread_pool& pool);

}  // namespace confidant::load
