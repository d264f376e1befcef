// confidant: the Confidant command-line client. Parses the command line; each subcommand lives in
// its own file (client/cli/*_command.cpp) and the work is in client/lib.
#include "client/cli/commands.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>

int main(int argc, char** argv) {
  namespace cli = confidant::cli;
  CLI::App app{"confidant: the Confidant client (end-to-end encrypted messaging for peer support)"};
  app.set_version_flag("--version", "confidant 0.1.0");
  app.require_subcommand(1);

  cli::common_options opts;
  if (const char* env = std::getenv("CONFIDANT_SERVER")) opts.server = env;
  // Options may come before or after the subcommand: they are the app's, and every subcommand
  // falls through to them.
  auto* server = app.add_option("-s,--server", opts.server,
                                "server address, ws://HOST:PORT or wss://HOST[:PORT] (env CONFIDANT_SERVER; after "
                                "registration the profile's server is used unless this is given)")
                     ->capture_default_str();
  app.add_option("--ca", opts.ca_file, "PEM file of certificates to trust for wss:// (default: the system's)");
  app.add_option("--timeout", opts.timeout_seconds, "seconds to wait for each step")
      ->check(CLI::Range(0.1, 600.0))
      ->capture_default_str();
  app.add_flag("--json", opts.json, "print the result as one JSON object (for scripts)");
  app.add_option("--profile", opts.profile,
                 "profile folder (default: $CONFIDANT_PROFILE, else ~/.local/share/confidant)");
  app.add_option("--passphrase-file", opts.passphrase_file,
                 "read the profile's passphrase from the first line of FILE (else $CONFIDANT_PASSPHRASE, else the "
                 "terminal)");

  cli::action chosen;
  cli::add_hello(app, opts, chosen);
  cli::add_register(app, opts, chosen);
  cli::add_invite(app, opts, chosen);
  cli::add_pair(app, opts, chosen);
  cli::add_contacts(app, opts, chosen);
  cli::add_send(app, opts, chosen);
  cli::add_inbox(app, opts, chosen);
  cli::add_history(app, opts, chosen);
  cli::add_safety_number(app, opts, chosen);
  cli::add_devices(app, opts, chosen);
  cli::add_device(app, opts, chosen);
  cli::add_meetings(app, opts, chosen);
  cli::add_windows(app, opts, chosen);
  cli::add_flag(app, opts, chosen);
  cli::add_spoc(app, opts, chosen);
  cli::add_profile(app, opts, chosen);
  cli::add_associates(app, opts, chosen);
  cli::add_request(app, opts, chosen);
  cli::add_offers(app, opts, chosen);
  cli::add_prefer(app, opts, chosen);
  cli::add_decline(app, opts, chosen);
  cli::add_cycles(app, opts, chosen);
  cli::add_cycle_changes(app, opts, chosen);
  cli::add_feedback(app, opts, chosen);
  cli::add_note(app, opts, chosen);
  cli::add_supervision(app, opts, chosen);
  cli::add_stats(app, opts, chosen);
  // Every level (e.g. `spoc keys rotate`) falls through to the app's options.
  const auto fall_through = [](auto& self, CLI::App& parent) -> void {
    for (auto* sub : parent.get_subcommands({})) {
      sub->fallthrough();
      self(self, *sub);
    }
  };
  fall_through(fall_through, app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? cli::exit_ok : cli::exit_usage;
  }
  opts.server_given = server->count() > 0;
  return chosen ? chosen() : cli::exit_usage;
}
