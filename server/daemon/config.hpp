#pragma once

#include "server/net/options.hpp"
#include "server/rules/policy.hpp"
#include "server/service/limits.hpp"

#include <boost/system/result.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::daemon {

// confidantd's configuration (deploy/confidantd.example.toml documents every key).
struct config {
  std::string source;  // the file it came from, or "embedded default"
  net::options net;
  service::messaging_limits messaging;
  unsigned threads = 2;
  bool allow_plain_remote = false;
  std::filesystem::path data_dir;
  std::filesystem::path key_file;             // used when key_credential is empty
  std::optional<std::string> key_credential;  // systemd LoadCredential= name
  std::string tenant_name;
  rules::policy policy;
  // Shown to whoever raises a safeguarding flag out of hours (docs/protocol.md 7.23).
  std::string emergency_route{service::default_emergency_route};
  std::string log_level = "info";
  // [testing] clock_start: run on a chosen instant (loopback only; for system tests).
  std::optional<rules::time_point> clock_start;
  // [testing] unsafe_no_sync: commits without fsync (synchronous=NORMAL), loopback only: the
  // negative control that shows the sync-ordering check can fail.
  bool unsafe_no_sync = false;

  [[nodiscard]] std::filesystem::path database_path() const { return data_dir / "confidant.db"; }
};

// Problems found in a configuration, one line each, "FILE:LINE:COLUMN: what is wrong".
using config_errors = std::vector<std::string>;

// The embedded default: loopback 127.0.0.1:8080, plain WebSocket, data in ./confidant-data,
// a demo LA on the la-peer-support preset.
[[nodiscard]] config embedded_default();

// Parses and validates TOML text. Every unknown key, wrong type and out-of-range value is
// reported (not only the first). Relative paths are resolved against `base_dir`.
[[nodiscard]] boost::system::result<config, config_errors> parse_config(std::string_view toml_text,
                                                                        std::string_view source_name,
                                                                        const std::filesystem::path& base_dir);

// Reads FILE and parses it; relative paths are resolved against FILE's folder.
[[nodiscard]] boost::system::result<config, config_errors> load_config(const std::filesystem::path& file);

}  // namespace confidant::daemon
