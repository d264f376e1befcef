#pragma once

#include "server/daemon/config.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::daemon {

// Exit codes of confidantd.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;  // could not do it: wrong key, port taken, disk
inline constexpr int exit_usage = 2;    // bad command line or configuration
inline constexpr int exit_integrity = 3;  // a check found damage (`audit verify`: a broken chain)

// `confidantd init`: the data directory (0700), a random 256-bit key in a 0600 key file, and the
// database with every migration. On an initialised directory it checks the key opens the
// database, applies pending migrations, and changes nothing else.
[[nodiscard]] int init_command(const config& c);

// `confidantd run`: serves until SIGINT/SIGTERM, then stops accepting, finishes in-flight commits,
// closes every session with a close frame and exits 0.
[[nodiscard]] int run_command(const config& c);

// `confidantd invite --role coordinator --name NAME [--days N]`: the operator bootstraps a
// coordinator. Prints the one-time code once; only its hash is stored.
[[nodiscard]] int invite_command(const config& c, std::string_view role, std::string_view name, int days);

// `confidantd calendar load FILE...`: checks bank-holidays.json and term-dates TOML files (errors
// name the file and line), checks that they fit with what is stored, and stores them.
[[nodiscard]] int calendar_load_command(const config& c, const std::vector<std::filesystem::path>& files);

// `confidantd check`: SQLite's integrity_check, SQLCipher's cipher_integrity_check (every page's
// HMAC) and the audit chain; exit 3 when any finds damage. Safe while the server runs (it reads).
[[nodiscard]] int check_command(const config& c);

// `confidantd audit verify`: walks the audit log's hash chain; names the first broken entry
// (exit 3) or prints the head hash.
[[nodiscard]] int audit_verify_command(const config& c);
// `confidantd audit export [--since T] [--until T] [--output FILE]`: the entries in [since,
// until) as JSON lines, to FILE or standard output.
[[nodiscard]] int audit_export_command(const config& c, const std::string& since, const std::string& until,
                                       const std::filesystem::path& output);

}  // namespace confidant::daemon
