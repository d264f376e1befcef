#pragma once

#include "client/lib/connection.hpp"
#include "client/lib/failure.hpp"

#include <CLI/CLI.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace confidant::client {
class messenger;
struct notice;
}

namespace confidant::cli {

// Exit codes of `confidant`, the same for every command.
inline constexpr int exit_ok = 0;
inline constexpr int exit_error_answer = 1;    // the server answered with an error code (shown)
inline constexpr int exit_usage = 2;           // bad arguments or server address
inline constexpr int exit_unreachable = 3;     // cannot resolve, refused, timed out
inline constexpr int exit_tls = 4;             // TLS failed
inline constexpr int exit_protocol = 5;        // not a Confidant server, upgrade refused, closed, bad answer
inline constexpr int exit_profile = 6;         // no profile, wrong or weak passphrase, profile exists, cannot read/write it
inline constexpr int exit_security = 7;        // the server's key or a contact's identity changed: nothing sent or accepted
inline constexpr int exit_unknown_contact = 8; // no contact by that id or name, or the name is ambiguous
inline constexpr int exit_session_ended = 9;   // the server ended this device's session: removed, disabled, logged in elsewhere

struct common_options {
  std::string server = "ws://127.0.0.1:8080";
  bool server_given = false;  // --server on the command line (overrides the profile's address)
  std::string ca_file;
  double timeout_seconds = 10;
  bool json = false;
  std::string profile;  // --profile, else $CONFIDANT_PROFILE, else ~/.local/share/confidant
  std::string passphrase_file;
};

// What a subcommand does once the arguments are parsed.
using action = std::function<int()>;

// Each command file adds its subcommand to `app`; when the subcommand is chosen, its callback
// stores the command's action in `chosen`.
void add_hello(CLI::App& app, const common_options& opts, action& chosen);
void add_register(CLI::App& app, const common_options& opts, action& chosen);
void add_invite(CLI::App& app, const common_options& opts, action& chosen);
void add_pair(CLI::App& app, const common_options& opts, action& chosen);
void add_contacts(CLI::App& app, const common_options& opts, action& chosen);
void add_send(CLI::App& app, const common_options& opts, action& chosen);
void add_inbox(CLI::App& app, const common_options& opts, action& chosen);
void add_history(CLI::App& app, const common_options& opts, action& chosen);
void add_safety_number(CLI::App& app, const common_options& opts, action& chosen);
void add_devices(CLI::App& app, const common_options& opts, action& chosen);
void add_device(CLI::App& app, const common_options& opts, action& chosen);
void add_meetings(CLI::App& app, const common_options& opts, action& chosen);
void add_windows(CLI::App& app, const common_options& opts, action& chosen);
void add_flag(CLI::App& app, const common_options& opts, action& chosen);
void add_spoc(CLI::App& app, const common_options& opts, action& chosen);
// The support programme (protocol.md 7.29-7.40).
void add_profile(CLI::App& app, const common_options& opts, action& chosen);
void add_associates(CLI::App& app, const common_options& opts, action& chosen);
void add_request(CLI::App& app, const common_options& opts, action& chosen);
void add_decline(CLI::App& app, const common_options& opts, action& chosen);
void add_offers(CLI::App& app, const common_options& opts, action& chosen);
void add_prefer(CLI::App& app, const common_options& opts, action& chosen);
void add_cycles(CLI::App& app, const common_options& opts, action& chosen);
void add_cycle_changes(CLI::App& app, const common_options& opts, action& chosen);  // extend, close, end
void add_feedback(CLI::App& app, const common_options& opts, action& chosen);       // feedback, release
void add_note(CLI::App& app, const common_options& opts, action& chosen);
void add_supervision(CLI::App& app, const common_options& opts, action& chosen);
void add_stats(CLI::App& app, const common_options& opts, action& chosen);
// `flag raise` (flag_raise_command.cpp), added by add_flag.
void add_flag_raise(CLI::App& flag, const common_options& opts, action& chosen);

// --- shared by the commands (common.cpp) -------------------------------------------------------------

// Prints a failure for a person (and as JSON with --json, with the refusal's other members, e.g.
// `unmet` or `state`) and returns its exit code.
[[nodiscard]] int report(const client::failure& f, const common_options& opts, const boost::json::object& members = {});
[[nodiscard]] int exit_code_for(const client::failure& f);
// Prints a usage problem and returns exit_usage.
[[nodiscard]] int usage_error(const std::string& message, const common_options& opts);

[[nodiscard]] std::filesystem::path profile_dir(const common_options& opts);
[[nodiscard]] client::connection::options connection_options(const common_options& opts);

// The passphrase from --passphrase-file, $CONFIDANT_PASSPHRASE or the terminal (no echo; asked
// twice when `confirm`). Never from the command line. nullopt after printing why.
[[nodiscard]] std::optional<std::string> read_passphrase(const common_options& opts, bool confirm);
// Overwrites a passphrase in memory.
void wipe(std::string& secret);
// The text of an option such as --text when it was given, else all of standard input; trailing
// line ends removed.
[[nodiscard]] std::string text_or_stdin(std::string given, bool was_given);

// Opens the profile; with `online`, also connects and logs in. Failures are reported; the exit
// code is returned through `code`.
[[nodiscard]] std::unique_ptr<client::messenger> open_messenger(const common_options& opts, bool online, int& code);

// The notices a messenger collected: printed to stderr for people, or returned as a JSON array
// (for the command's JSON answer) with --json.
[[nodiscard]] boost::json::array take_notices(client::messenger& m, const common_options& opts);
// One notice as JSON, and for people (a flag alert on standard output, the rest on stderr).
[[nodiscard]] boost::json::object notice_json(const client::notice& n);
void print_notice(const client::notice& n);
// Prints a JSON object on one line (the --json answer of a command).
void print_json(const boost::json::object& o);
// "2026-11-23 14:05:09" (UTC) for people.
[[nodiscard]] std::string show_time(std::int64_t ms);

}  // namespace confidant::cli
