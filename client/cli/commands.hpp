#pragma once

#include "client/lib/connection.hpp"

#include <string>

namespace confidant::cli {

// Exit codes of `confidant`, the same for every command.
inline constexpr int exit_ok = 0;
inline constexpr int exit_error_answer = 1;  // the server answered with an error code
inline constexpr int exit_usage = 2;         // bad arguments or server address
inline constexpr int exit_unreachable = 3;   // cannot resolve, refused, timed out
inline constexpr int exit_tls = 4;           // TLS failed
inline constexpr int exit_protocol = 5;      // not a Confidant server, upgrade refused, closed

struct common_options {
  std::string server = "ws://127.0.0.1:8080";
  std::string ca_file;
  double timeout_seconds = 10;
  bool json = false;
};

// Prints a connection failure for a person and returns its exit code.
[[nodiscard]] int report(const client::connection::failure& f);

[[nodiscard]] int hello_command(const common_options& opts);

}  // namespace confidant::cli
