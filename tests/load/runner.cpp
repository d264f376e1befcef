#include "tests/load/runner.hpp"

#include "tests/load/confidant_server.hpp"
#include "tests/load/coordinator.hpp"
#include "tests/load/process.hpp"
#include "tests/load/relay_client.hpp"

#include <boost/asio/post.hpp>

#include <cstdio>
#include <future>
#include <limits>
#include <random>
#include <stdexcept>
#include <thread>

namespace confidant::load {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

void say(const run_options& o, const std::string& s) {
  if (!o.quiet) std::fprintf(stderr, "[confidant-load] %s\n", s.c_str());
}

double seconds_since(steady::time_point t) { return std::chrono::duration<double>(steady::now() - t).count(); }

// The generator's threads. stop() joins them; the io_contexts live until the pool is destroyed,
// after the clients whose sockets they hold.
struct thread_pool {
  std::vector<std::unique_ptr<thread_ctx>> threads;
  explicit thread_pool(unsigned n) {
    for (unsigned i = 0; i < std::max(1u, n); ++i) {
      threads.push_back(std::make_unique<thread_ctx>());
      threads.back()->start();
    }
  }
  thread_ctx& at(std::size_t i) { return *threads[i % threads.size()]; }
  void stop() {
    for (auto& t : threads) t->finish();
  }
  std::vector<recorder> recorders() {
    std::vector<recorder> out;
    for (auto& t : threads) out.push_back(std::move(t->rec));
    return out;
  }
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

// Starts `start(i)` for i in [from, to), at most `parallel` unfinished at once, until all finished.
template <class F>
void staged(counters& c, std::size_t from, std::size_t to, std::size_t parallel, double timeout_s,
            const std::string& what, F start) {
  c.phase_done = 0;
  c.phase_failed = 0;
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
  t.endpoint = {asio::ip::make_address("127.0.0.1"), port};
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

// The idle connection figure: RSS after the first `warm` clients are connected (the fixed costs
// of a first connection are paid), then after all of them.
template <class Connect>
void idle_memory(run_result& r, counters& c, pid_t pid, std::size_t total, const run_options& o, Connect connect) {
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

// Sends for the run's duration (or until the message bound), then drains.
template <class Start>
void measure(run_result& r, counters& c, pid_t pid, const run_options& o, Start start_all) {
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

run_result run_confidant(const run_options& o) {
  run_result r;
  r.opts = o;
  r.server_config = confidant_server::raised_limits(o.server_threads);
  const auto setup_start = steady::now();
  confidant_server server(o.confidantd, o.work_dir / "confidantd", o.server_threads, o.server_clock);
  server.prepare();
  r.clock_method = server.clock_method();
  const auto invite = server.coordinator_invite();
  auto port = server.start();
  say(o, "confidantd started (pid " + std::to_string(server.pid()) + ", port " + std::to_string(port) + ")");

  counters c;
  confidant_params p;
  p.text_bytes = o.message_bytes;
  p.verify_stamp_every = o.verify_stamp_every;
  p.ack_batch = std::max(1u, o.ack_batch);
  p.ack_delay = std::chrono::microseconds{o.ack_delay_us};
  p.policy = policy_of(o);

  thread_pool pool(o.threads);
  const std::size_t total = o.connections + o.idle_extra;
  std::vector<std::unique_ptr<confidant_client>> clients;
  std::unique_ptr<coordinator> coord;
  stop_on_exit stopper{pool};
  for (std::size_t i = 0; i < total; ++i)
    clients.push_back(std::make_unique<confidant_client>(pool.at(i), c, p, i >= o.connections || i % 2 == 0));

  // The coordinator, invites, registrations, pairs.
  auto target = target_for(port, "/v1/ws", "confidant.v1");
  coord = std::make_unique<coordinator>(pool.at(0));
  {
    std::promise<bool> enrolled;
    auto f = enrolled.get_future();
    asio::post(pool.at(0).ioc, [&] { coord->enrol(target, invite, [&](bool ok) { enrolled.set_value(ok); }); });
    if (!wait_future(f, 60, "registering the coordinator")) throw std::runtime_error("registering the coordinator failed");
  }
  std::vector<std::string> codes;
  {
    std::vector<std::string> roles;
    for (const auto& cl : clients) roles.push_back(cl->headteacher() ? "headteacher" : "associate");
    std::promise<std::vector<std::string>> done;
    auto f = done.get_future();
    asio::post(pool.at(0).ioc, [&] { coord->invite_all(roles, [&](std::vector<std::string> v) { done.set_value(std::move(v)); }); });
    codes = wait_future(f, o.setup_timeout_s, "creating invites");
    for (const auto& code : codes)
      if (code.empty()) throw std::runtime_error("invite_create failed");
  }
  say(o, std::to_string(total) + " invites created; registering");
  staged(c, 0, total, 64, o.setup_timeout_s, "registering", [&](std::size_t i) {
    asio::post(pool.at(i).ioc, [&, i] { clients[i]->enrol(target, codes[i]); });
  });
  {
    std::vector<std::pair<std::int64_t, std::int64_t>> pairs;
    for (std::size_t i = 0; i + 1 < o.connections; i += 2) {
      pairs.emplace_back(clients[i]->user(), clients[i + 1]->user());
      clients[i]->set_peer(clients[i + 1]->user(), clients[i + 1]->device());
      clients[i + 1]->set_peer(clients[i]->user(), clients[i]->device());
    }
    std::promise<std::size_t> done;
    auto f = done.get_future();
    asio::post(pool.at(0).ioc, [&] { coord->pair_all(pairs, [&](std::size_t failures) { done.set_value(failures); }); });
    if (wait_future(f, o.setup_timeout_s, "pairing") != 0) throw std::runtime_error("pair_create failed");
  }
  asio::post(pool.at(0).ioc, [&] { coord->close(); });
  std::this_thread::sleep_for(200ms);

  // A fresh server process on the same database: the memory figures start from it.
  server.stop();
  port = server.start();
  target = target_for(port, "/v1/ws", "confidant.v1");
  say(o, "accounts ready; confidantd restarted (pid " + std::to_string(server.pid()) + "); logging in");
  std::this_thread::sleep_for(500ms);
  idle_memory(r, c, server.pid(), total, o, [&](std::size_t i) {
    asio::post(pool.at(i).ioc, [&, i] { clients[i]->sign_in(target); });
  });

  // Sessions: each headteacher starts one with X3DH, its associate answers.
  c.phase_done = 0;
  c.phase_failed = 0;
  for (std::size_t i = 0; i < o.connections; ++i) asio::post(pool.at(i).ioc, [&, i] { clients[i]->warm_up(); });
  wait_count(c, o.connections, o.setup_timeout_s, "warming up the sessions");
  r.setup_s = seconds_since(setup_start);
  say(o, "sessions ready; sending for " + std::to_string(o.duration_s) + " s");

  std::mt19937_64 rng{42};
  measure(
      r, c, server.pid(), o,
      [&] {
        for (std::size_t i = 0; i < o.connections; ++i) {
          const auto off = offset_for(p.policy, rng);
          asio::post(pool.at(i).ioc, [&, i, off] { clients[i]->start_sending(off); });
        }
      });
  for (std::size_t i = 0; i < total; ++i) asio::post(pool.at(i).ioc, [&, i] { clients[i]->close(); });
  std::this_thread::sleep_for(300ms);
  pool.stop();
  auto recs = pool.recorders();
  r.latency = merge(recs);
  server.stop();
  return r;
}

run_result run_relay(const run_options& o) {
  run_result r;
  r.opts = o;
  r.server_config = {{"threads", std::to_string(o.server_threads)}};
  const auto setup_start = steady::now();
  std::filesystem::create_directories(o.work_dir / "relay");
  child_process relay;
  const std::size_t total = o.connections + o.idle_extra;
  relay.start({o.relay.string(), "--threads", std::to_string(o.server_threads), "--max-clients", std::to_string(total + 1)},
              o.work_dir / "relay" / "relay.out");
  auto port_text = relay.wait_for("listening on ", std::chrono::seconds{30});
  if (!port_text) throw std::runtime_error("ws_relay did not start");
  const auto port = static_cast<unsigned short>(std::stoi(*port_text));
  say(o, "ws_relay started (pid " + std::to_string(relay.pid()) + ", port " + std::to_string(port) + ")");

  counters c;
  const auto policy = policy_of(o);
  thread_pool pool(o.threads);
  std::vector<std::unique_ptr<relay_client>> clients;
  stop_on_exit stopper{pool};
  for (std::size_t i = 0; i < total; ++i)
    clients.push_back(std::make_unique<relay_client>(pool.at(i), c, o.message_bytes, policy));
  const auto target = target_for(port, "/", "");
  std::this_thread::sleep_for(300ms);
  idle_memory(r, c, relay.pid(), total, o, [&](std::size_t i) {
    // Pairs (0,1), (2,3), ...; idle extras name themselves as their peer and never send.
    const std::size_t peer = i < o.connections ? (i ^ 1u) : i;
    asio::post(pool.at(i).ioc, [&, i, peer] { clients[i]->connect(target, i, peer); });
  });
  r.setup_s = seconds_since(setup_start);

  std::mt19937_64 rng{42};
  measure(
      r, c, relay.pid(), o,
      [&] {
        for (std::size_t i = 0; i < o.connections; ++i) {
          const auto off = offset_for(policy, rng);
          asio::post(pool.at(i).ioc, [&, i, off] { clients[i]->start_sending(off); });
        }
      });
  for (std::size_t i = 0; i < total; ++i) asio::post(pool.at(i).ioc, [&, i] { clients[i]->close(); });
  std::this_thread::sleep_for(200ms);
  pool.stop();
  auto recs = pool.recorders();
  r.latency = merge(recs);
  relay.stop();
  return r;
}

}  // namespace

run_result run_load(const run_options& o) {
  if (o.connections < 2 || o.connections % 2 != 0) throw std::invalid_argument("--connections must be even and at least 2");
  if (o.target == "relay") return run_relay(o);
  if (o.target == "confidant") return run_confidant(o);
  throw std::invalid_argument("unknown target " + o.target);
}

}  // namespace confidant::load
