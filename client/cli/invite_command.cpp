// confidant invite --role R --name N [--days D]: a coordinator invites someone (7.14).
#include "client/cli/commands.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/messenger.hpp"

#include <fmt/format.h>

namespace confidant::cli {

namespace {

struct invite_options {
  std::string role;
  std::string name;
  std::optional<int> days;
  bool deputy = false;
};

int invite_command(const common_options& opts, const invite_options& o) {
  int code = 0;
  auto m = open_messenger(opts, true, code);
  if (!m) return code;
  if (o.deputy && o.role != "spoc") return usage_error("--deputy is only for --role spoc", opts);
  auto inv = m->invite_create(o.role, o.name, o.days, o.deputy);
  if (!inv) return report(inv.error(), opts);
  auto notices = take_notices(*m, opts);
  if (opts.json) {
    print_json({{"ok", true},
                {"code", inv->code},
                {"role", inv->role},
                {"display_name", inv->display_name},
                {"deputy", o.deputy},
                {"expires_at", client::codec::format_time_ms(inv->expires_at_ms)},
                {"notices", notices}});
  } else {
    fmt::print("invite for {}{} \"{}\"\n  code:    {}\n  expires: {} UTC\n", inv->role, o.deputy ? " (deputy)" : "",
               inv->display_name, inv->code, show_time(inv->expires_at_ms));
    fmt::print("Give the code to them privately (it is shown only now; the server keeps only its hash).\n");
  }
  return exit_ok;
}

}  // namespace

void add_invite(CLI::App& app, const common_options& opts, action& chosen) {
  auto o = std::make_shared<invite_options>();
  auto* sub = app.add_subcommand("invite", "Invite someone (coordinators only): prints a one-time code");
  sub->add_option("--role", o->role, "headteacher, associate, coordinator or spoc")
      ->required()
      ->check(CLI::IsMember({"headteacher", "associate", "coordinator", "spoc"}));
  sub->add_option("--name", o->name, "the invited person's display name")->required();
  sub->add_option("--days", o->days, "days until the code expires (1-30, default 7)")->check(CLI::Range(1, 30));
  sub->add_flag("--deputy", o->deputy,
                "with --role spoc: a deputy SPOC, alerted when a flag's deadline is missed (primaries at once)");
  sub->callback([&opts, &chosen, o] { chosen = [&opts, o] { return invite_command(opts, *o); }; });
}

}  // namespace confidant::cli
