// confidant register --invite CODE --server URL: a new account (or a new device of an account,
// with a device link code) in a new profile.
#include "client/cli/commands.hpp"
#include "client/lib/flag_desk.hpp"
#include "client/lib/messenger.hpp"

#include <fmt/format.h>

namespace confidant::cli {

namespace {

struct register_options {
  std::string invite;
};

int register_command(const common_options& opts, const register_options& r) {
  auto url = client::parse_url(opts.server);
  if (!url) return usage_error(url.error(), opts);
  const auto dir = profile_dir(opts);
  auto passphrase = read_passphrase(opts, true);
  if (!passphrase) return exit_profile;
  client::messenger_options mo;
  mo.conn = connection_options(opts);
  auto m = client::messenger::register_device(dir, *passphrase, *url, r.invite, mo);
  wipe(*passphrase);
  if (!m) return report(m.error(), opts);
  // A SPOC device publishes its flag sealing key at once, so flags can reach it from now on.
  if (auto d = client::flag_desk::attach(**m); !d) return report(d.error(), opts);
  const auto& a = (*m)->account();
  auto notices = take_notices(**m, opts);
  if (opts.json) {
    print_json({{"ok", true},
                {"user", a.user},
                {"device", a.device},
                {"role", a.role},
                {"display_name", a.display_name},
                {"server", a.server_url},
                {"profile", dir.string()},
                {"notices", notices}});
  } else {
    fmt::print("Registered {} ({}) as user {}, device {}, on {}.\nProfile: {}\n", a.display_name, a.role, a.user,
               a.device, a.server_url, dir.string());
  }
  return exit_ok;
}

}  // namespace

void add_register(CLI::App& app, const common_options& opts, action& chosen) {
  auto r = std::make_shared<register_options>();
  auto* sub = app.add_subcommand("register", "Register this device with an invite or device link code");
  sub->add_option("--invite", r->invite, "the code you were given (e.g. 7F3Q-K9PW-2MXA-T4VB-C8NE-HR5J-DG)")->required();
  sub->callback([&opts, &chosen, r] { chosen = [&opts, r] { return register_command(opts, *r); }; });
}

}  // namespace confidant::cli
