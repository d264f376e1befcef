#include "tests/load/phases.hpp"

#include "tests/load/process.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <thread>

namespace confidant::load {

using namespace std::chrono_literals;

void say(const run_options& o, const std::string& s) {
  if (!o.quiet) std::fprintf(stderr, "[confidant-load] %s\n", s.c_str());
}

double seconds_since(steady::time_point t) { return std::chrono::duration<double>(steady::now() - t).count(); }

thread_pool::thread_pool(unsigned n) {
  for (unsigned i = 0; i < std::max(1u, n); ++i) {
    threads.push_back(std::make_unique<thread_ctx>());
    threads.back()->start();
  }
}

void thread_pool::stop() {
  for (auto& t : threads) t->finish();
}

std::vector<recorder> thread_pool::recorders() {
  std::vector<recorder> out;
  for (auto& t : threads) out.push_back(std::move(t->rec));
  return out;
}

void staged(counters& c, std::size_t from, std::size_t to, std::size_t parallel, double timeout_s,
            const std::string& what, const std::function<void(std::size_t)>& start) {
  c.new_phase();
  const std::size_t n = to - from;
  std::size_t started = 0;
  const auto deadline = steady::now() + std::chrono::duration<double>(timeout_s);
  for (;;) {
    const std::size_t finished = c.phase_done + c.phase_failed;
    if (finished >= n) break;
    while (started < n && started - finished < parallel) start(from + started++);
    if (steady::now() > deadline)
      throw std::runtime_error(what + ": timed out (" + std::to_string(finished) + " of " + std::to_string(n) + ")");
    std::this_thread::sleep_for(1ms);
  }
  if (c.phase_failed > 0)
    throw std::runtime_error(what + ": " + std::to_string(c.phase_failed.load()) + " of " + std::to_string(n) + " failed");
}

void wait_count(counters& c, std::size_t n, double timeout_s, const std::string& what) {
  const auto deadline = steady::now() + std::chrono::duration<double>(timeout_s);
  while (c.phase_done + c.phase_failed < n) {
    if (steady::now() > deadline)
      throw std::runtime_error(what + ": timed out (" + std::to_string(c.phase_done.load()) + " of " + std::to_string(n) + ")");
    std::this_thread::sleep_for(2ms);
  }
  if (c.phase_failed > 0) throw std::runtime_error(what + ": " + std::to_string(c.phase_failed.load()) + " failed");
}

link_target target_for(unsigned short port, std::string path, std::string subprotocol) {
  link_target t;
  t.endpoint = {boost::asio::ip::make_address("127.0.0.1"), port};
  t.host = "127.0.0.1:" + std::to_string(port);
  t.path = std::move(path);
  t.subprotocol = std::move(subprotocol);
  return t;
}

send_policy policy_of(const run_options& o) {
  send_policy p;
  p.window = std::max(1u, o.window);
  if (o.rate > 0)
    p.interval = std::chrono::nanoseconds{
        static_cast<std::int64_t>(1e9 * static_cast<double>(o.connections) / o.rate)};
  return p;
}

std::int64_t rss_of(pid_t pid) {
  auto s = sample_process(pid);
  return s ? s->rss_kib : 0;
}

void idle_memory(run_result& r, counters& c, pid_t pid, std::size_t total, const run_options& o,
                 const std::function<void(std::size_t)>& connect) {
  const std::size_t warm = total >= 20 ? 10 : 0;
  if (warm > 0) staged(c, 0, warm, 128, o.setup_timeout_s, "connecting", connect);
  std::this_thread::sleep_for(300ms);
  r.idle_base_kib = rss_of(pid);
  staged(c, warm, total, 128, o.setup_timeout_s, "connecting", connect);
  std::this_thread::sleep_for(1000ms);
  r.idle_loaded_kib = rss_of(pid);
  r.idle_measured = total - warm;
  if (r.idle_measured > 0)
    r.rss_per_idle_connection_bytes =
        1024.0 * static_cast<double>(r.idle_loaded_kib - r.idle_base_kib) / static_cast<double>(r.idle_measured);
}

void measure(run_result& r, counters& c, pid_t pid, const run_options& o, const std::function<void()>& start_all) {
  r.server_rss_start_kib = rss_of(pid);
  const auto s0 = sample_process(pid).value_or(proc_sample{});
  const auto g0 = sample_self();
  c.budget = o.max_messages > 0 ? o.max_messages : std::numeric_limits<std::int64_t>::max();
  c.measuring = true;
  const auto t0 = steady::now();
  start_all();
  const auto deadline = t0 + std::chrono::duration<double>(o.duration_s);
  while (steady::now() < deadline && !c.stop_sending) std::this_thread::sleep_for(2ms);
  c.stop_sending = true;
  const auto t1 = steady::now();
  const auto s1 = sample_process(pid).value_or(proc_sample{});
  const auto g1 = sample_self();
  r.measured_s = std::chrono::duration<double>(t1 - t0).count();
  r.sent = c.sent;
  r.accepted = c.accepted;
  r.delivered = c.delivered;
  r.failed = c.failed;
  r.server_threads_seen = s1.threads;

  const auto drain_deadline = steady::now() + std::chrono::duration<double>(o.drain_timeout_s);
  while (steady::now() < drain_deadline) {
    if (c.accepted + c.failed >= c.sent && c.delivered >= c.accepted) break;
    std::this_thread::sleep_for(5ms);
  }
  r.accepted_total = c.accepted;
  r.delivered_total = c.delivered;
  r.unanswered = c.sent - c.accepted - c.failed;
  r.acks_sent = c.acks_sent;
  r.held = c.held;
  r.server_rss_end_kib = rss_of(pid);

  r.accepted_per_s = static_cast<double>(r.accepted) / r.measured_s;
  r.delivered_per_s = static_cast<double>(r.delivered) / r.measured_s;
  r.server_cpu_s = s1.cpu_seconds - s0.cpu_seconds;
  r.server_cores = r.server_cpu_s / r.measured_s;
  r.gen_cpu_s = g1.cpu_seconds - g0.cpu_seconds;
  r.gen_cores = r.gen_cpu_s / r.measured_s;
  if (r.accepted > 0) {
    r.server_cpu_per_1000 = r.server_cpu_s * 1000.0 / static_cast<double>(r.accepted);
    r.gen_cpu_per_1000 = r.gen_cpu_s * 1000.0 / static_cast<double>(r.accepted);
  }
}

std::chrono::nanoseconds offset_for(const send_policy& p, std::mt19937_64& rng) {
  if (p.interval.count() == 0) return {};
  std::uniform_int_distribution<std::int64_t> d(0, p.interval.count() - 1);
  return std::chrono::nanoseconds{d(rng)};
}

void finish_latency(run_result& r, thread_pool& pool) {
  pool.stop();
  auto recs = pool.recorders();
  r.latency = merge(recs);
}

}  // namespace confidant::load
