// confidantd: the Confidant server. Parses the command line and calls the daemon library.
#include "server/daemon/commands.hpp"
#include "server/daemon/config.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <sys/stat.h>

#include <optional>
#include <string>

namespace {

std::optional<confidant::daemon::config> config_from(const std::string& file) {
  if (file.empty()) return confidant::daemon::embedded_default();
  auto c = confidant::daemon::load_config(file);
  if (!c) {
    for (const auto& e : c.error()) fmt::print(stderr, "{}\n", e);
    return std::nullopt;
  }
  return *c;
}

}  // namespace

int main(int argc, char** argv) {
  namespace d = confidant::daemon;
  ::umask(077);  // every file confidantd creates is for its own user only
  CLI::App app{"confidantd: the Confidant server (secure messaging and scheduling for peer support)"};
  app.set_version_flag("--version", "confidantd " CONFIDANT_VERSION);
  app.require_subcommand(1);
  std::string config_file;
  app.add_option("-c,--config", config_file, "TOML configuration file (default: the embedded loopback demo)");

  auto* init = app.add_subcommand("init", "Create the data directory, key file and encrypted database");
  auto* run = app.add_subcommand("run", "Serve until SIGINT or SIGTERM");
  auto* invite = app.add_subcommand("invite", "Invite the first coordinator (prints a one-time code)");
  std::string invite_role = "coordinator", invite_name;
  int invite_days = 7;
  invite->add_option("--role", invite_role, "the role of the invited person (coordinator)")->capture_default_str();
  invite->add_option("--name", invite_name, "the invited person's display name")->required();
  invite->add_option("--days", invite_days, "days until the code expires (1-30)")->capture_default_str();
  auto* calendar = app.add_subcommand("calendar", "Manage the calendar files (bank holidays, term dates)");
  calendar->require_subcommand(1);
  auto* calendar_load = calendar->add_subcommand("load", "Check and store bank-holidays.json and term-dates TOML files");
  std::vector<std::filesystem::path> calendar_files;
  calendar_load->add_option("files", calendar_files, "the files to load")->required();
  auto* audit = app.add_subcommand("audit", "Check or export the tamper-evident audit log");
  audit->require_subcommand(1);
  auto* audit_verify = audit->add_subcommand("verify", "Walk the hash chain; name the first broken entry");
  auto* audit_export = audit->add_subcommand("export", "Write audit entries as JSON lines");
  std::string audit_since, audit_until;
  std::filesystem::path audit_output;
  audit_export->add_option("--since", audit_since, "first day or UTC time (default: the beginning)");
  audit_export->add_option("--until", audit_until, "end, exclusive (default: now and later)");
  audit_export->add_option("-o,--output", audit_output, "file to write (default: standard output)");
  auto* db_check = app.add_subcommand("check", "Check the database: integrity, page HMACs, the audit chain");
  auto* check = app.add_subcommand("check-config", "Validate a configuration file and exit");
  std::string check_file;
  check->add_option("file", check_file, "the file to check")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? d::exit_ok : d::exit_usage;
  }

  if (*check) {
    if (!config_from(check_file)) return d::exit_usage;
    fmt::print("{}: ok\n", check_file);
    return d::exit_ok;
  }
  const auto c = config_from(config_file);
  if (!c) return d::exit_usage;
  if (*init) return d::init_command(*c);
  if (*run) return d::run_command(*c);
  if (*invite) return d::invite_command(*c, invite_role, invite_name, invite_days);
  if (*calendar_load) return d::calendar_load_command(*c, calendar_files);
  if (*audit_verify) return d::audit_verify_command(*c);
  if (*db_check) return d::check_command(*c);
  if (*audit_export) return d::audit_export_command(*c, audit_since, audit_until, audit_output);
  return d::exit_usage;
}
