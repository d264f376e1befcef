// confidant devices: this account's devices (7.9).
#include "client/cli/commands.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/messenger.hpp"

#include <fmt/format.h>

namespace confidant::cli {

namespace {

int devices_command(const common_options& opts) {
  int code = 0;
  auto m = open_messenger(opts, true, code);
  if (!m) return code;
  auto list = m->devices();
  if (!list) return report(list.error(), opts);
  auto notices = take_notices(*m, opts);
  if (opts.json) {
    boost::json::array out;
    for (const auto& d : *list)
      out.push_back(boost::json::object{{"device", d.device},
                                        {"created_at", client::codec::format_time_ms(d.created_at_ms)},
                                        {"current", d.current}});
    print_json({{"ok", true}, {"devices", out}, {"notices", notices}});
    return exit_ok;
  }
  for (const auto& d : *list)
    fmt::print("  device {}  registered {} UTC{}\n", d.device, show_time(d.created_at_ms), d.current ? "  (this one)" : "");
  return exit_ok;
}

}  // namespace

void add_devices(CLI::App& app, const common_options& opts, action& chosen) {
  auto* sub = app.add_subcommand("devices", "List this account's devices");
  sub->callback([&opts, &chosen] { chosen = [&opts] { return devices_command(opts); }; });
}

}  // namespace confidant::cli
