#pragma once

// Child processes of the generator (confidantd, the relay) and what /proc says about them.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

namespace confidant::load {

struct proc_sample {
  double cpu_seconds = 0;     // utime + stime of every thread (/proc/PID/stat)
  std::int64_t rss_kib = 0;   // VmRSS (/proc/PID/status)
  std::int64_t threads = 0;
};
[[nodiscard]] std::optional<proc_sample> sample_process(pid_t pid);
// This process: CPU from getrusage (microsecond resolution), RSS from /proc/self/status.
[[nodiscard]] proc_sample sample_self();

class child_process {
 public:
  child_process() = default;
  ~child_process() { stop(); }
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  // Starts argv with stdout and stderr into `log`, with `env` ("NAME=value") added.
  void start(const std::vector<std::string>& argv, const std::filesystem::path& log,
             const std::vector<std::string>& env = {});
  // Waits for `prefix` followed by a number in the log: the number.
  [[nodiscard]] std::optional<std::string> wait_for(std::string_view prefix, std::chrono::seconds timeout);
  // SIGTERM, then SIGKILL after `grace`; the exit status (-1 when killed or never started).
  int stop(std::chrono::milliseconds grace = std::chrono::milliseconds{10'000});
  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  [[nodiscard]] bool running();

 private:
  pid_t pid_ = -1;
  std::filesystem::path log_;
};

// Runs argv to completion: exit status and what it printed.
[[nodiscard]] std::pair<int, std::string> run_process(const std::vector<std::string>& argv,
                                                      const std::filesystem::path& log,
                                                      const std::vector<std::string>& env = {});

[[nodiscard]] std::string read_file(const std::filesystem::path& p);

}  // namespace confidant::load
