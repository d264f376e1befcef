#include "tests/load/confidant_server.hpp"

#include "tests/support/printed.hpp"

#include <fstream>
#include <stdexcept>
#include <tuple>

namespace confidant::load {

std::map<std::string, std::string> confidant_server::raised_limits(unsigned threads) {
  return {
      {"server.threads", std::to_string(threads)},
      {"limits.send_burst", "100000"},               // default 60
      {"limits.send_per_second", "100000"},          // default 20
      {"limits.max_connections", "100000"},          // default 10000
      {"limits.max_outgoing_frames", "4096"},        // default 256
      {"limits.idle_timeout_seconds", "900"},        // default 300
      {"limits.login_failures_per_address", "100000"},  // default 30 (every client is 127.0.0.1)
      {"limits.login_refill_seconds_per_address", "1"},  // default 10
  };
}

namespace {
std::string faketime(const std::string& clock) {
  std::string when = clock.substr(0, 19);
  when[10] = ' ';
  return "FAKETIME=@" + when;
}
}  // namespace

confidant_server::confidant_server(std::filesystem::path binary, std::filesystem::path dir, unsigned threads,
                                   std::string clock)
    : binary_(std::move(binary)), dir_(std::move(dir)), threads_(threads), clock_(std::move(clock)) {
  std::filesystem::create_directories(dir_);
  config_ = dir_ / "confidantd.toml";
}

void confidant_server::write_config(bool testing_clock) {
  std::ofstream out(config_);
  out << "# Written by confidant-load: the defaults except the limits a load test hits.\n"
      << "[server]\nlisten = \"127.0.0.1:0\"\nthreads = " << threads_ << "\n\n[limits]\n";
  for (const auto& [key, value] : raised_limits(threads_))
    if (key.starts_with("limits.")) out << key.substr(7) << " = " << value << "\n";
  out << "\n[storage]\ndata_dir = \"" << (dir_ / "data").string() << "\"\n"
      << "\n[tenant]\nname = \"Load Test LA\"\n"
      << "\n[log]\nlevel = \"info\"\n";
  if (testing_clock) out << "\n[testing]\nclock_start = \"" << clock_ << "\"\n";
}

void confidant_server::prepare() {
  auto check = [&] { return run_process({binary_.string(), "check-config", config_.string()}, dir_ / "check-config.out"); };
  write_config(!clock_.empty());
  auto [rc, out] = check();
  if (rc != 0 && !clock_.empty() && out.find("testing") != std::string::npos) {
    // A server without `testing.clock_start`: libfaketime instead, when installed.
    write_config(false);
    std::tie(rc, out) = check();
    const std::filesystem::path lib = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";
    if (rc == 0 && std::filesystem::exists(lib)) {
      env_ = {"LD_PRELOAD=" + lib.string(), faketime(clock_), "FAKETIME_DONT_FAKE_MONOTONIC=1", "TZ=UTC"};
      clock_method_ = "libfaketime from " + clock_;
    }
  } else if (rc == 0 && !clock_.empty()) {
    clock_method_ = "testing.clock_start = " + clock_;
  }
  if (rc != 0) throw std::runtime_error("confidantd check-config refused the load configuration:\n" + out);
  auto [rc2, out2] = run_process({binary_.string(), "--config", config_.string(), "init"}, dir_ / "init.out", env_);
  if (rc2 != 0) throw std::runtime_error("confidantd init failed:\n" + out2);
}

void confidant_server::set_clock(std::string clock) {
  clock_ = std::move(clock);
  if (clock_method_.starts_with("testing")) {
    write_config(true);
    clock_method_ = "testing.clock_start = " + clock_;
  } else if (clock_method_.starts_with("libfaketime")) {
    env_[1] = faketime(clock_);
    clock_method_ = "libfaketime from " + clock_;
  } else {
    throw std::runtime_error("this confidantd's clock cannot be set (no testing.clock_start, no libfaketime)");
  }
}

std::string confidant_server::coordinator_invite() {
  auto [rc, out] = run_process(
      {binary_.string(), "--config", config_.string(), "invite", "--role", "coordinator", "--name", "Load Coordinator"},
      dir_ / "invite.out", env_);
  auto invite = confidant::test::word_after(out, "code:");
  if (rc != 0 || !invite) throw std::runtime_error("confidantd invite failed:\n" + out);
  return *invite;
}

unsigned short confidant_server::start() {
  const auto log = dir_ / ("run" + std::to_string(++runs_) + ".out");
  proc_.start({binary_.string(), "--config", config_.string(), "run"}, log, env_);
  auto port = proc_.wait_for("listening on ws://127.0.0.1:", std::chrono::seconds{60});
  if (!port) throw std::runtime_error("confidantd did not start:\n" + read_file(log));
  return static_cast<unsigned short>(std::stoi(*port));
}

}  // namespace confidant::load
