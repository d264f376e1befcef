#include "server/daemon/commands.hpp"

#include "server/daemon/keys.hpp"
#include "server/daemon/logging.hpp"
#include "server/daemon/wake_scheduler.hpp"
#include "server/net/server.hpp"
#include "server/service/backend.hpp"
#include "server/service/dispatcher.hpp"
#include "server/service/expiry.hpp"
#include "server/service/flag_events.hpp"
#include "server/service/held.hpp"
#include "server/service/cycle_progress.hpp"
#include "server/service/reminders.hpp"
#include "server/service/server_key.hpp"
#include "server/service/metrics.hpp"
#include "server/service/system_clock.hpp"
#include "server/store/calendar_files.hpp"
#include "server/store/settings.hpp"
#include "server/rules/time_format.hpp"
#include "server/store/store.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

namespace confidant::daemon {
namespace asio = boost::asio;

namespace {

constexpr auto shutdown_grace = std::chrono::seconds{5};

std::string url_host(const asio::ip::tcp::endpoint& ep) {
  return ep.address().is_v6() ? "[" + ep.address().to_string() + "]" : ep.address().to_string();
}

// After shutdown: wait until every socket has closed, or the grace period is over, then stop.
void stop_when_drained(std::shared_ptr<asio::steady_timer> timer, net::server& srv, asio::io_context& ioc,
                       std::chrono::steady_clock::time_point deadline) {
  if (srv.open_sockets() == 0 || std::chrono::steady_clock::now() >= deadline) {
    if (srv.open_sockets() != 0) spdlog::warn("event=shutdown_forced open_sockets={}", srv.open_sockets());
    ioc.stop();
    return;
  }
  timer->expires_after(std::chrono::milliseconds{20});
  timer->async_wait([timer, &srv, &ioc, deadline](boost::system::error_code) {
    stop_when_drained(timer, srv, ioc, deadline);
  });
}

// Expires undelivered envelopes once a minute (and once at start).
void sweep_periodically(std::shared_ptr<asio::steady_timer> timer, service::backend& backend) {
  service::sweep_expired(backend);
  timer->expires_after(std::chrono::minutes{1});
  timer->async_wait([timer, &backend](boost::system::error_code ec) {
    if (!ec) sweep_periodically(timer, backend);
  });
}

}  // namespace

int run_command(const config& c) {
  setup_logging(c.log_level);
  const auto db_path = c.database_path();
  if (!std::filesystem::exists(db_path)) {
    fmt::print(stderr, "confidantd: no database at {}: run `confidantd init` first\n", db_path.string());
    return exit_failure;
  }
  auto key = load_key(c);
  if (!key) {
    fmt::print(stderr, "confidantd: {}\n", key_error(c, key.error()));
    return exit_failure;
  }

  service::system_clock clock{c.clock_start};
  service::metrics metrics;
  auto opened = store::store::open(db_path, std::move(*key), clock.now().time_since_epoch().count(),
                                   [&metrics](auto took, std::size_t batch) { metrics.commit(took, batch); },
                                   c.unsafe_no_sync);
  if (!opened) {
    fmt::print(stderr, "confidantd: {}: {}\n", db_path.string(), opened.error().message());
    return exit_failure;
  }
  auto& db = **opened;
  // The first durable write of every run: when the server last started (operational, no content).
  db.write().submit(
      [started = rules::format_utc(clock.now())](store::database& d) { return store::put_setting(d, "last_started_at", started); },
      [](boost::system::error_code ec) {
        if (ec) spdlog::error("event=store_write_failed what=last_started_at error=\"{}\"", ec.message());
      });

  auto server_key = service::load_or_create_server_key(db);
  if (!server_key) {
    fmt::print(stderr, "confidantd: {}: cannot load the server key: {}\n", db_path.string(), server_key.error().message());
    return exit_failure;
  }
  std::vector<store::calendar_file> calendar_files;
  if (auto read = db.read([&](store::database& d) -> store::result<void> {
        auto files = store::calendar_files(d);
        if (!files) return files.error();
        calendar_files = std::move(*files);
        return {};
      });
      !read) {
    fmt::print(stderr, "confidantd: cannot read the stored calendars: {}\n", read.error().message());
    return exit_failure;
  }
  auto calendars = service::build_calendars(calendar_files, c.policy);
  const bool demo_calendar = !calendars;
  if (demo_calendar) calendars = service::build_calendars(service::demo_calendar_files(), c.policy);
  if (!calendars) {
    fmt::print(stderr, "confidantd: calendars: {}\n", calendars.error());
    return exit_failure;
  }
  service::backend backend{clock,
                           {db.tenant_name(), "confidantd/" CONFIDANT_VERSION,
                            static_cast<std::int64_t>(c.net.max_frame_bytes), c.net.idle_timeout.count()},
                           metrics,
                           db,
                           std::move(*server_key),
                           c.messaging,
                           c.policy,
                           std::move(*calendars)};
  service::dispatcher dispatcher{backend};
  asio::io_context ioc{static_cast<int>(c.threads)};
  // The writer's completions (answers, delivery events) run on the I/O threads, one batch after
  // another in commit order, while the writer goes on to the next batch.
  db.write().complete_on([strand = asio::make_strand(ioc)](std::function<void()> task) {
    asio::post(strand, std::move(task));
  });
  auto expiry_timer = std::make_shared<asio::steady_timer>(ioc);
  sweep_periodically(expiry_timer, backend);
  backend.emergency_route = c.emergency_route;
  // Held envelopes are released when contact windows open; unacknowledged flags escalate.
  auto releases = std::make_shared<wake_scheduler>(
      ioc, clock, [&backend](rules::time_point since, rules::time_point now) { return service::release_held(backend, since, now); });
  backend.on_held = [releases](rules::time_point t) { releases->due_by(t); };
  releases->start();
  auto escalations = std::make_shared<wake_scheduler>(
      ioc, clock, [&backend](rules::time_point, rules::time_point now) { return service::escalate_due_flags(backend, now); });
  backend.on_flag_deadline = [escalations](rules::time_point t) { escalations->due_by(t); };
  escalations->start();
  auto reminders = std::make_shared<wake_scheduler>(
      ioc, clock, [&backend](rules::time_point, rules::time_point now) { return service::send_due_reminders(backend, now); });
  backend.on_reminder = [reminders](rules::time_point t) { reminders->due_by(t); };
  reminders->start();
  auto progress = std::make_shared<wake_scheduler>(
      ioc, clock, [&backend](rules::time_point, rules::time_point now) { return service::progress_cycles(backend, now); });
  backend.on_cycle_due = [progress](rules::time_point t) { progress->due_by(t); };
  progress->start();
  net::server srv{ioc, c.net, dispatcher, metrics, [&db] { return static_cast<bool>(db.ping()); }};
  auto bound = srv.start();
  if (!bound) {
    fmt::print(stderr, "confidantd: {}\n", bound.error());
    return exit_failure;
  }

  const auto scheme = srv.tls() ? "wss" : "ws";
  const auto http = srv.tls() ? "https" : "http";
  const auto host = url_host(*bound) + ":" + std::to_string(bound->port());
  spdlog::info("event=listening addr={} tls={} tenant_preset={} config=\"{}\"", host, srv.tls(), c.policy.preset,
               c.source);
  fmt::print("confidantd {} listening on {}://{}{} ({})\n", CONFIDANT_VERSION, scheme, host, "/v1/ws",
             srv.tls() ? "TLS" : "plain WebSocket, loopback only");
  fmt::print("  tenant:  {} (preset {})\n  data:    {}\n", db.tenant_name(), c.policy.preset, db_path.string());
  if (c.unsafe_no_sync)
    fmt::print("  storage: TESTING: commits are NOT synced to disk ([testing] unsafe_no_sync)\n");
  if (clock.shifted())
    fmt::print("  clock:   TESTING: starts at {} ([testing] clock_start)\n", rules::format_utc(clock.now()));
  if (demo_calendar)
    fmt::print("  calendar: the demo England and Wales calendar 2026-28 (load the LA's files with `confidantd calendar load`)\n");
  fmt::print("  health:  {}://{}/healthz   metrics: {}://{}/metrics\n", http, host, http, host);
  fmt::print("  try:     confidant hello --server {}://{}\n  stop:    Ctrl-C\n", scheme, host);
  std::fflush(stdout);

  asio::signal_set signals{ioc, SIGINT, SIGTERM};
  signals.async_wait([&](boost::system::error_code ec, int signo) {
    if (ec) return;
    spdlog::info("event=stopping signal={}", signo);
    expiry_timer->cancel();
    releases->stop();
    escalations->stop();
    reminders->stop();
    progress->stop();
    srv.shutdown();  // stop accepting; close frames queue behind in-flight answers
    db.close();      // the writer finishes and commits what it holds; later writes are refused
    stop_when_drained(std::make_shared<asio::steady_timer>(ioc), srv, ioc,
                      std::chrono::steady_clock::now() + shutdown_grace);
  });

  std::vector<std::thread> pool;
  for (unsigned i = 1; i < c.threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : pool) t.join();
  db.close();                    // (done at shutdown already) the writer has stopped
  db.write().complete_on({});    // its poster holds a strand of ioc: let go of it while ioc exists
  // The scheduler's timer belongs to ioc: drop the backend's reference while ioc still exists.
  backend.on_held = nullptr;
  backend.on_flag_deadline = nullptr;
  backend.on_reminder = nullptr;
  backend.on_cycle_due = nullptr;
  releases.reset();
  escalations.reset();
  reminders.reset();
  progress.reset();
  spdlog::info("event=stopped");
  return exit_ok;
}

}  // namespace confidant::daemon
