// confidant request create|withdraw (a headteacher asks for support, protocol.md 7.32) and
// confidant decline (a coordinator declines a request, 7.35). The areas of concern are sealed end
// to end to every coordinator and to the headteacher's own devices: the server never reads them.
#include "client/cli/commands.hpp"
#include "client/cli/programme_support.hpp"
#include "client/lib/sealing.hpp"

#include <fmt/format.h>
#include <unistd.h>

namespace confidant::cli {
namespace {
namespace pg = client::programme;

struct request_options {
  pg::request fields;
  std::string concern;
  bool concern_given = false;
  std::int64_t cycle = 0;
  std::string reason;
};

// One sealed concern per coordinator, and the caller's own copy.
client::outcome<std::vector<pg::addressed>> seal_concern(client::messenger& m, const std::string& text) {
  auto contacts = m.refresh_contacts();
  if (!contacts) return contacts.error();
  std::vector<std::int64_t> owners;
  for (const auto& c : *contacts)
    if (c.role == "coordinator") owners.push_back(c.user);
  if (owners.empty())
    return client::make_failure(client::errc::unknown_contact, "there is no coordinator to read the concern");
  owners.push_back(m.account().user);
  return client::sealing::seal_for_each(m, client::sealed_body::purpose::concern, owners, text);
}

int create_command(const common_options& opts, request_options o) {
  if (!o.concern_given && isatty(STDIN_FILENO))
    fmt::print(stderr, "Areas of concern, sealed so that only the coordinators and you can read them "
                       "(end with Ctrl-D; nothing for none):\n");
  std::string concern = text_or_stdin(std::move(o.concern), o.concern_given);
  int code = 0;
  auto s = programme_session::open(opts, code);
  if (!s) return code;
  if (!concern.empty()) {
    auto sealed = seal_concern(*s->m, concern);
    wipe(concern);
    if (!sealed) return report(sealed.error(), opts);
    o.fields.concern = std::move(*sealed);
  }
  auto c = s->calls->request_create(o.fields);
  if (!c) return s->refused(c.error(), opts);
  s->done({{"cycle", cycle_json(*c)}}, opts);
  if (!opts.json) {
    fmt::print("Support requested: cycle {} ({}){}.\n", c->id, c->state,
               o.fields.concern.empty() ? "" : ", with your concern sealed to the coordinators");
    fmt::print("Next: see who is offered (confidant offers), then rank up to three (confidant prefer NAME ...).\n");
  }
  return exit_ok;
}

int withdraw_command(const common_options& opts, const request_options& o) {
  int code = 0;
  auto s = programme_session::open(opts, code);
  if (!s) return code;
  auto id = current_cycle(*s, o.cycle, true);
  if (!id) return report(id.error(), opts);
  auto c = s->calls->request_withdraw(*id);
  if (!c) return s->refused(c.error(), opts);
  s->done({{"cycle", cycle_json(*c)}}, opts);
  if (!opts.json) fmt::print("Request withdrawn: cycle {} is {}.\n", c->id, c->state);
  return exit_ok;
}

int decline_command(const common_options& opts, const request_options& o) {
  int code = 0;
  auto s = programme_session::open(opts, code);
  if (!s) return code;
  auto c = s->calls->request_decline(o.cycle, o.reason);
  if (!c) return s->refused(c.error(), opts);
  s->done({{"cycle", cycle_json(*c)}}, opts);
  if (!opts.json)
    fmt::print("Declined the request of {} (cycle {}, {}); they are told.\n", s->name(c->headteacher), c->id, o.reason);
  return exit_ok;
}

}  // namespace

void add_request(CLI::App& app, const common_options& opts, action& chosen) {
  auto* sub = app.add_subcommand("request", "Ask for a peer supporter, or withdraw the request (headteachers)");
  sub->require_subcommand(1);

  auto o = std::make_shared<request_options>();
  auto* create = sub->add_subcommand("create", "Ask for support; the concern comes from --concern or standard input");
  create->add_option("--school", o->fields.school, "your school")->required();
  create->add_option("--federation", o->fields.federation, "its federation, if any");
  create->add_option("--region", o->fields.region, "your region, e.g. north")->required();
  create->add_option("--phase", o->fields.phase, "nursery, primary, secondary, special or all_through")
      ->check(CLI::IsMember({"nursery", "primary", "secondary", "special", "all_through"}));
  create->add_option("--size-band", o->fields.size_band, "small, medium or large")
      ->check(CLI::IsMember({"small", "medium", "large"}));
  create->add_option("--concern", o->concern,
                     "areas of concern, end-to-end encrypted for the coordinators and you (default: standard input)");
  create->callback([&opts, &chosen, o, create] {
    o->concern_given = create->count("--concern") > 0;
    chosen = [&opts, o] { return create_command(opts, *o); };
  });

  auto w = std::make_shared<request_options>();
  auto* withdraw = sub->add_subcommand("withdraw", "Withdraw your request before it is paired");
  withdraw->add_option("cycle", w->cycle, "the cycle (default: your open request)")->check(CLI::PositiveNumber);
  withdraw->callback([&opts, &chosen, w] { chosen = [&opts, w] { return withdraw_command(opts, *w); }; });
}

void add_decline(CLI::App& app, const common_options& opts, action& chosen) {
  auto o = std::make_shared<request_options>();
  auto* sub = app.add_subcommand("decline", "Decline a headteacher's request (coordinators)");
  with_cycle(sub, o->cycle);
  std::vector<std::string> reasons(pg::decline_reasons.begin(), pg::decline_reasons.end());
  sub->add_option("--reason", o->reason, "no_associate_available, outside_scheme, duplicate or other")
      ->required()
      ->check(CLI::IsMember(reasons));
  sub->callback([&opts, &chosen, o] { chosen = [&opts, o] { return decline_command(opts, *o); }; });
}

}  // namespace confidant::cli
