// confidant: the Confidant command-line client.
#include "client/cli/commands.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>

int main(int argc, char** argv) {
  namespace cli = confidant::cli;
  CLI::App app{"confidant: the Confidant client"};
  app.set_version_flag("--version", "confidant 0.1.0");
  app.require_subcommand(1);

  cli::common_options opts;
  if (const char* env = std::getenv("CONFIDANT_SERVER")) opts.server = env;
  app.add_option("-s,--server", opts.server, "server address, ws://HOST:PORT or wss://HOST[:PORT] (env CONFIDANT_SERVER)")
      ->capture_default_str();
  app.add_option("--ca", opts.ca_file, "PEM file of certificates to trust for wss:// (default: the system's)");
  app.add_option("--timeout", opts.timeout_seconds, "seconds to wait for each step")
      ->check(CLI::Range(0.1, 600.0))
      ->capture_default_str();
  app.add_flag("--json", opts.json, "print the server's answer as JSON");

  auto* hello = app.add_subcommand("hello", "Connect and print what the server says about itself");
  // Options may also follow the subcommand: `confidant hello --server ws://...`.
  hello->fallthrough();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? cli::exit_ok : cli::exit_usage;
  }
  if (*hello) return cli::hello_command(opts);
  return cli::exit_usage;
}
