#include "tests/load/process.hpp"

#include "tests/support/printed.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

namespace confidant::load {
namespace {

pid_t spawn(const std::vector<std::string>& args, const std::filesystem::path& out, const std::vector<std::string>& env) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::close(fd);
    }
    for (const auto& e : env) {
      const auto eq = e.find('=');
      if (eq != std::string::npos) ::setenv(e.substr(0, eq).c_str(), e.substr(eq + 1).c_str(), 1);
    }
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

std::int64_t status_field(const std::string& status, const std::string& name) {
  const auto at = status.find(name + ":");
  if (at == std::string::npos) return 0;
  return std::strtoll(status.c_str() + at + name.size() + 1, nullptr, 10);
}

}  // namespace

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::optional<proc_sample> sample_process(pid_t pid) {
  const auto dir = std::filesystem::path("/proc") / std::to_string(pid);
  const auto stat = read_file(dir / "stat");
  if (stat.empty()) return std::nullopt;
  // The command name (field 2) may hold spaces: fields are counted after its closing ')'.
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream rest(stat.substr(close + 2));
  std::vector<std::string> f;
  for (std::string w; rest >> w;) f.push_back(w);
  if (f.size() < 13) return std::nullopt;
  // f[0] is field 3 (state); utime and stime are fields 14 and 15.
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  proc_sample s;
  s.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / ticks;
  const auto status = read_file(dir / "status");
  s.rss_kib = status_field(status, "VmRSS");
  s.threads = status_field(status, "Threads");
  return s;
}

proc_sample sample_self() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  proc_sample s;
  s.cpu_seconds = static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
                  static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  const auto status = read_file("/proc/self/status");
  s.rss_kib = status_field(status, "VmRSS");
  s.threads = status_field(status, "Threads");
  return s;
}

void child_process::start(const std::vector<std::string>& argv, const std::filesystem::path& log,
                          const std::vector<std::string>& env) {
  log_ = log;
  pid_ = spawn(argv, log, env);
}

bool child_process::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) {
    pid_ = -1;
    return false;
  }
  return true;
}

std::optional<std::string> child_process::wait_for(std::string_view prefix, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto number = confidant::test::number_after(read_file(log_), prefix)) return number;
    if (!running()) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  return std::nullopt;
}

int child_process::stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

std::pair<int, std::string> run_process(const std::vector<std::string>& argv, const std::filesystem::path& log,
                                        const std::vector<std::string>& env) {
  const pid_t pid = spawn(argv, log, env);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(log)};
}

}  // namespace confidant::load
