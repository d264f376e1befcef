#pragma once

// confidantd as the generator runs it: a configuration in the run's folder raising the limits a
// load test hits (send rate, connections, outgoing queue, login throttles per address; listed
// by raised_limits() for the report), checked with `check-config`, `init`, the first
// coordinator's `invite`, `run` on 127.0.0.1:0, and restarts on the same database.

#include "tests/load/process.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace confidant::load {

class confidant_server {
 public:
  // `clock` ("2026-11-24T10:00:00.000Z", or empty for the real clock): the instant the server's
  // clock starts from, so that headteacher/associate messages fall inside the contact window
  // (outside it they are held, docs/protocol.md 7.13). Set with the configuration's
  // `testing.clock_start` when the server knows it, else with libfaketime (LD_PRELOAD, the
  // monotonic clock left alone) when installed; clock_method() says which.
  confidant_server(std::filesystem::path binary, std::filesystem::path dir, unsigned threads, std::string clock);

  // check-config and init; throws std::runtime_error with the tool's output on failure.
  void prepare();
  [[nodiscard]] const std::string& clock_method() const noexcept { return clock_method_; }
  // The clock of the next start() (the same method as prepare() found).
  void set_clock(std::string clock);
  [[nodiscard]] std::string coordinator_invite();
  // run; returns the port.
  unsigned short start();
  void stop() { proc_.stop(); }
  [[nodiscard]] pid_t pid() const noexcept { return proc_.pid(); }

  // The [limits]/[server] settings changed from their defaults, for the report.
  [[nodiscard]] static std::map<std::string, std::string> raised_limits(unsigned threads);

 private:
  void write_config(bool testing_clock);

  std::filesystem::path binary_, dir_, config_;
  unsigned threads_;
  std::string clock_, clock_method_ = "real";
  std::vector<std::string> env_;
  child_process proc_;
  int runs_ = 0;
};

}  // namespace confidant::load
