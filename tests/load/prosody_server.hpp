#pragma once

// Prosody (Debian's `prosody` package) as a child process of the generator, for the comparison
// of docs/benchmarks.md: its own configuration, data, pid file and log in the run's folder,
// client connections on 127.0.0.1 only, plain TCP (no TLS, no compression), no server-to-server,
// SASL ANONYMOUS (no accounts to create for N clients), stream management (XEP-0198) on, no rate
// limits. Never the system's instance or its configuration.

#include "tests/load/process.hpp"

#include <filesystem>
#include <map>
#include <string>

namespace confidant::load {

// `prosody` on PATH, else /usr/bin/prosody (where Debian's package puts it).
[[nodiscard]] std::filesystem::path default_prosody_binary();
[[nodiscard]] bool is_executable(const std::filesystem::path& p);

class prosody_server {
 public:
  // The virtual host the clients log in to.
  static constexpr const char* domain = "load.localhost";

  prosody_server(std::filesystem::path binary, std::filesystem::path dir);
  // Writes the configuration, starts Prosody on a free loopback port and waits until the port
  // accepts connections; the port. Throws when Prosody does not come up.
  unsigned short start();
  void stop() { process_.stop(); }
  [[nodiscard]] pid_t pid() const noexcept { return process_.pid(); }
  // What the configuration sets, for the report; "version" once started.
  [[nodiscard]] const std::map<std::string, std::string>& settings() const noexcept { return settings_; }

 private:
  void write_config(unsigned short port) const;
  // Waits for Prosody's log to say whether it listens on `port`; false if it could not.
  [[nodiscard]] bool wait_listening(unsigned short port);

  std::filesystem::path binary_, dir_;
  child_process process_;
  std::map<std::string, std::string> settings_;
};

}  // namespace confidant::load
