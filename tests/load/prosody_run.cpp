#include "tests/load/prosody_run.hpp"

#include "tests/load/phases.hpp"
#include "tests/load/prosody_server.hpp"
#include "tests/load/xmpp_client.hpp"

#include <boost/asio/post.hpp>

#include <thread>

namespace confidant::load {

namespace asio = boost::asio;
using namespace std::chrono_literals;

run_result run_prosody(const run_options& o) {
  run_result r;
  r.opts = o;
  const auto setup_start = steady::now();
  prosody_server server(o.prosody, o.work_dir / "prosody");
  const auto port = server.start();
  r.server_config = server.settings();
  say(o, "prosody started (pid " + std::to_string(server.pid()) + ", port " + std::to_string(port) + ")");

  counters c;
  const auto policy = policy_of(o);
  const std::size_t total = o.connections + o.idle_extra;
  thread_pool pool(o.threads);
  std::vector<std::unique_ptr<xmpp_client>> clients;
  stop_on_exit stopper{pool};
  for (std::size_t i = 0; i < total; ++i)
    clients.push_back(std::make_unique<xmpp_client>(pool.at(i), c, o.message_bytes, policy, prosody_server::domain));
  const asio::ip::tcp::endpoint endpoint{asio::ip::make_address("127.0.0.1"), port};
  idle_memory(r, c, server.pid(), total, o, [&](std::size_t i) {
    asio::post(pool.at(i).ioc, [&, i] { clients[i]->connect(endpoint); });
  });
  // Pairs (0,1), (2,3), ...: each learns the other's full JID, which the server chose at bind
  // (read here after phase_done said the bind was over); idle extras never send.
  for (std::size_t i = 0; i < o.connections; ++i)
    asio::post(pool.at(i).ioc, [&, i, peer = clients[i ^ 1u]->jid()] { clients[i]->set_peer(peer); });
  r.setup_s = seconds_since(setup_start);

  measure_and_close(r, c, pool, clients, server.pid(), o, policy);
  finish_latency(r, pool);
  server.stop();
  return r;
}

}  // namespace confidant::load
