// confidant device link | device remove N: add a device to this account (7.10) or remove one (7.11).
#include "client/cli/commands.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/messenger.hpp"

#include <fmt/format.h>

namespace confidant::cli {

namespace {

int link_command(const common_options& opts) {
  int code = 0;
  auto m = open_messenger(opts, true, code);
  if (!m) return code;
  auto link = m->device_link();
  if (!link) return report(link.error(), opts);
  auto notices = take_notices(*m, opts);
  if (opts.json) {
    print_json({{"ok", true},
                {"code", link->code},
                {"expires_at", client::codec::format_time_ms(link->expires_at_ms)},
                {"notices", notices}});
  } else {
    fmt::print("device link code: {}\n  expires: {} UTC\n", link->code, show_time(link->expires_at_ms));
    fmt::print("On the new device: confidant register --invite {} --server {}\n", link->code, m->account().server_url);
  }
  return exit_ok;
}

int remove_command(const common_options& opts, std::int64_t device) {
  int code = 0;
  auto m = open_messenger(opts, true, code);
  if (!m) return code;
  const bool self = device == m->account().device;
  auto r = m->device_remove(device);
  if (!r) return report(r.error(), opts);
  auto notices = take_notices(*m, opts);
  if (opts.json) {
    print_json({{"ok", true}, {"removed", device}, {"notices", notices}});
  } else {
    fmt::print("Removed device {}{}.\n", device, self ? " (this device: its profile can no longer log in)" : "");
  }
  return exit_ok;
}

}  // namespace

void add_device(CLI::App& app, const common_options& opts, action& chosen) {
  auto* sub = app.add_subcommand("device", "Link a new device to this account, or remove one");
  sub->require_subcommand(1);
  auto* link = sub->add_subcommand("link", "Print a one-time code (10 minutes) for registering another device");
  link->callback([&opts, &chosen] { chosen = [&opts] { return link_command(opts); }; });
  auto device = std::make_shared<std::int64_t>(0);
  auto* remove = sub->add_subcommand("remove", "Remove one of this account's devices");
  remove->add_option("device", *device, "the device number (see `confidant devices`)")->required()->check(
      CLI::PositiveNumber);
  remove->callback([&opts, &chosen, device] { chosen = [&opts, device] { return remove_command(opts, *device); }; });
}

}  // namespace confidant::cli
