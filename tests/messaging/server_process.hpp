#pragma once

// The real confidantd as a child process on 127.0.0.1:0 in a temporary folder: init, a first
// coordinator invite, run; the port is read from the `listening` line. Killed (SIGTERM, then
// SIGKILL) at the end of the test.

#include "tests/support/printed.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <signal.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#ifndef CONFIDANTD_PATH
#error "CONFIDANTD_PATH must name the confidantd binary"
#endif

namespace confidant::test {

class server_process {
 public:
  explicit server_process(const std::filesystem::path& dir, const std::string& extra_config = "") : dir_(dir) {
    std::filesystem::create_directories(dir_);
    config_ = dir_ / "confidantd.toml";
    base_config_ = "[server]\nlisten = \"127.0.0.1:0\"\n\n[storage]\ndata_dir = \"" + (dir_ / "data").string() +
                   "\"\n\n[tenant]\nname = \"Messaging Test LA\"\n" + extra_config;
    write_config();
    if (run({"init"}).first != 0) throw std::runtime_error("confidantd init failed");
    start();
  }
  ~server_process() { stop(); }
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  // Runs `confidantd --config FILE args...` to completion: exit code and stdout.
  std::pair<int, std::string> run(const std::vector<std::string>& args) const {
    const auto out = dir_ / "command.out";
    std::vector<std::string> argv{CONFIDANTD_PATH, "--config", config_.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    const pid_t pid = spawn(argv, out);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_bytes(out)};
  }

  // `confidantd invite` for the first coordinator: the code it prints.
  std::string coordinator_invite(const std::string& name = "Cora Ordinator") const {
    auto [code, out] = run({"invite", "--name", name});
    auto invite = confidant::test::word_after(out, "code:");
    if (code != 0 || !invite) throw std::runtime_error("confidantd invite failed: " + out);
    return *invite;
  }

  void start() {
    write_config();
    const auto log = dir_ / "run.out";
    pid_ = spawn({CONFIDANTD_PATH, "--config", config_.string(), "run"}, log);
    for (int i = 0; i < 600; ++i) {
      const auto text = read_bytes(log);
      if (auto port = confidant::test::number_after(text, "listening on ws://127.0.0.1:")) {
        port_ = std::stoi(*port);
        return;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("confidantd run exited: " + text);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds{50});
    }
    throw std::runtime_error("confidantd did not print its listening line");
  }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100; ++i) {
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds{50});
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  [[nodiscard]] std::string url() const { return "ws://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }

 private:
  // The server runs on a term-time Monday morning (contact windows open), and across restarts
  // its clock goes on from where it was: each start moves `clock_start` on by the real time since
  // the first start.
  void write_config() {
    using namespace std::chrono;
    const auto elapsed = duration_cast<milliseconds>(steady_clock::now() - first_start_).count();
    const auto ms = 1'795'428'000'000 + elapsed;  // 2026-11-23T10:00:00.000Z
    const auto secs = ms / 1000;
    char text[96];  // room for any int the format could print (-Wformat-truncation)
    const std::time_t t = secs;
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    std::ofstream(config_) << base_config_ << "\n[testing]\nclock_start = \"" << text << "\"\n";
  }
  std::string base_config_;
  std::chrono::steady_clock::time_point first_start_ = std::chrono::steady_clock::now();
  static pid_t spawn(const std::vector<std::string>& args, const std::filesystem::path& out) {
    const pid_t pid = ::fork();
    if (pid == 0) {
      const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      std::vector<char*> argv;
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    return pid;
  }

  std::filesystem::path dir_;
  std::filesystem::path config_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace confidant::test
