// confidant pair HEADTEACHER ASSOCIATE (the coordinator's direct pairing, protocol.md 7.14
// pair_create) and confidant pair --cycle N ASSOCIATE (pairing a headteacher's request, 7.35).
// Either way the associate must be approved with a free place, and is asked to make contact first.
#include "client/cli/commands.hpp"
#include "client/cli/programme_support.hpp"

#include <fmt/format.h>

namespace confidant::cli {

namespace {

struct pair_options {
  std::vector<std::string> people;  // HEADTEACHER ASSOCIATE, or ASSOCIATE with --cycle
  std::int64_t cycle = 0;
  std::string associate;
};

void print_paired(programme_session& s, std::int64_t cycle, std::int64_t head, std::int64_t assoc, bool created) {
  if (!created) {
    fmt::print("Already paired: {} with {} (cycle {}).\n", s.name(head), s.name(assoc), cycle);
    return;
  }
  fmt::print("Paired {} with {}: cycle {}.\n", s.name(head), s.name(assoc), cycle);
  fmt::print("They may now message and meet; the associate is asked to make contact first.\n");
}

int direct(const common_options& opts, programme_session& s, const std::string& head_name,
           const std::string& assoc_name) {
  auto head = s.resolve(head_name);
  if (!head) return report(head.error(), opts);
  auto assoc = s.resolve(assoc_name);
  if (!assoc) return report(assoc.error(), opts);
  auto p = s.m->pair_create(head->user, assoc->user);
  if (!p) return report(p.error(), opts);
  s.done({{"pairing", p->id},
          {"cycle", p->cycle},
          {"created", p->created},
          {"headteacher", head->user},
          {"associate", assoc->user}},
         opts);
  if (!opts.json) print_paired(s, p->cycle, head->user, assoc->user, p->created);
  return exit_ok;
}

int of_request(const common_options& opts, programme_session& s, std::int64_t cycle, const std::string& assoc_name) {
  auto assoc = s.resolve(assoc_name);
  if (!assoc) return report(assoc.error(), opts);
  auto c = s.calls->pair(cycle, assoc->user);
  if (!c) return s.refused(c.error(), opts);
  s.done({{"cycle", cycle_json(*c)}, {"headteacher", c->headteacher}, {"associate", c->associate}}, opts);
  if (!opts.json) print_paired(s, c->id, c->headteacher, c->associate, true);
  return exit_ok;
}

int pair_command(const common_options& opts, const pair_options& o) {
  const bool with_cycle = o.cycle > 0;
  std::string associate = o.associate;
  if (with_cycle && associate.empty() && o.people.size() == 1) associate = o.people.front();
  if (with_cycle ? associate.empty() || o.people.size() > (o.associate.empty() ? 1U : 0U)
                 : o.people.size() != 2 || !o.associate.empty())
    return usage_error("give HEADTEACHER ASSOCIATE, or --cycle N and the associate (pair --cycle N ASSOCIATE)", opts);
  int code = 0;
  auto s = programme_session::open(opts, code);
  if (!s) return code;
  return with_cycle ? of_request(opts, *s, o.cycle, associate) : direct(opts, *s, o.people[0], o.people[1]);
}

}  // namespace

void add_pair(CLI::App& app, const common_options& opts, action& chosen) {
  auto o = std::make_shared<pair_options>();
  auto* sub = app.add_subcommand(
      "pair", "Pair a headteacher with an approved associate, directly or for a request (coordinators only)");
  sub->add_option("people", o->people, "HEADTEACHER ASSOCIATE (user ids or display names), or ASSOCIATE with --cycle")
      ->expected(0, 2);
  sub->add_option("--cycle", o->cycle, "the headteacher's request (see confidant cycles list)")->check(CLI::PositiveNumber);
  sub->add_option("--associate", o->associate, "the associate for --cycle (user id or display name)");
  sub->callback([&opts, &chosen, o] { chosen = [&opts, o] { return pair_command(opts, *o); }; });
}

}  // namespace confidant::cli
