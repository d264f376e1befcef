#include "tests/load/runner.hpp"

#include "tests/load/confidant_server.hpp"
#include "tests/load/coordinator.hpp"
#include "tests/load/history.hpp"
#include "tests/load/phases.hpp"
#include "tests/load/process.hpp"
#include "tests/load/prosody_run.hpp"
#include "tests/load/relay_client.hpp"

#include <boost/asio/post.hpp>

#include <thread>

namespace confidant::load {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

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
  const client_layout layout(o);
  const std::size_t total = layout.total;
  const auto paired = layout.paired();
  client_list clients;
  std::unique_ptr<coordinator> coord;
  stop_on_exit stopper{pool};
  for (std::size_t i = 0; i < total; ++i)
    clients.push_back(std::make_unique<confidant_client>(pool.at(i), c, p, layout.headteacher(i)));

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
    for (std::size_t k = 0; k + 1 < paired.size(); k += 2) {
      const auto i = paired[k];
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
  c.new_phase();
  for (auto i : paired) asio::post(pool.at(i).ioc, [&, i] { clients[i]->warm_up(); });
  wait_count(c, paired.size(), o.setup_timeout_s, "warming up the sessions");
  preload_history(r, c, pool, clients, layout, o);
  r.setup_s = seconds_since(setup_start);
  say(o, "sessions ready; sending for " + std::to_string(o.duration_s) + " s");

  measure_and_close(r, c, pool, clients, server.pid(), o, p.policy);
  time_release(r, c, pool, clients, layout, o, server);
  finish_latency(r, pool);
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

  measure_and_close(r, c, pool, clients, relay.pid(), o, policy);
  finish_latency(r, pool);
  relay.stop();
  return r;
}

}  // namespace

run_result run_load(const run_options& o) {
  if (o.connections < 2 || o.connections % 2 != 0) throw std::invalid_argument("--connections must be even and at least 2");
  if (o.target == "relay") return run_relay(o);
  if (o.target == "confidant") return run_confidant(o);
  if (o.target == "prosody") return run_prosody(o);
  throw std::invalid_argument("unknown target " + o.target);
}

}  // namespace confidant::load
