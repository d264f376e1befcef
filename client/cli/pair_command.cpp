// confidant pair HEADTEACHER ASSOCIATE: a coordinator pairs two people (7.14 pair_create).
#include "client/cli/commands.hpp"
#include "client/lib/messenger.hpp"

#include <fmt/format.h>

namespace confidant::cli {

namespace {

struct pair_options {
  std::string headteacher;
  std::string associate;
};

int pair_command(const common_options& opts, const pair_options& o) {
  int code = 0;
  auto m = open_messenger(opts, true, code);
  if (!m) return code;
  auto head = m->resolve_contact(o.headteacher);
  if (!head) return report(head.error(), opts);
  auto assoc = m->resolve_contact(o.associate);
  if (!assoc) return report(assoc.error(), opts);
  auto p = m->pair_create(head->user, assoc->user);
  if (!p) return report(p.error(), opts);
  auto notices = take_notices(*m, opts);
  if (opts.json) {
    print_json({{"ok", true},
                {"pairing", p->id},
                {"created", p->created},
                {"headteacher", head->user},
                {"associate", assoc->user},
                {"notices", notices}});
  } else {
    fmt::print("{} {} (user {}) with {} (user {}): pairing {}\n", p->created ? "Paired" : "Already paired",
               head->display_name, head->user, assoc->display_name, assoc->user, p->id);
  }
  return exit_ok;
}

}  // namespace

void add_pair(CLI::App& app, const common_options& opts, action& chosen) {
  auto o = std::make_shared<pair_options>();
  auto* sub = app.add_subcommand("pair", "Pair a headteacher with an associate (coordinators only)");
  sub->add_option("headteacher", o->headteacher, "user id or display name")->required();
  sub->add_option("associate", o->associate, "user id or display name")->required();
  sub->callback([&opts, &chosen, o] { chosen = [&opts, o] { return pair_command(opts, *o); }; });
}

}  // namespace confidant::cli
