// confidant extend|close CYCLE (the coordinator's review, protocol.md 7.36) and confidant end CYCLE
// --reason R: a headteacher or associate asks to end a partnership early (end_request); a
// coordinator ends it (cycle_end), with --rematch opening a new request for the headteacher.
#include "client/cli/commands.hpp"
#include "client/cli/programme_support.hpp"

#include <fmt/format.h>

namespace confidant::cli {
namespace {
namespace pg = client::programme;

struct change_options {
  std::int64_t cycle = 0;
  std::string reason;
  bool rematch = false;
};

enum class verb { extend, close, end };

int extend_or_close(const common_options& opts, programme_session& s, const change_options& o, verb v) {
  auto c = v == verb::extend ? s.calls->extend(o.cycle) : s.calls->close(o.cycle);
  if (!c) return s.refused(c.error(), opts);
  s.done({{"cycle", cycle_json(*c)}}, opts);
  if (opts.json) return exit_ok;
  if (v == verb::extend) {
    fmt::print("Cycle {} extended: the new cycle {} is {} (caps and dates count afresh from its first meeting).\n",
               o.cycle, c->id, c->state);
  } else {
    fmt::print("Cycle {} closed: {} and {} can no longer message or meet in it.\n", c->id, s.name(c->headteacher),
               s.name(c->associate));
    fmt::print("Ask the headteacher for feedback: confidant feedback request {} --question \"...\"\n", c->id);
  }
  return exit_ok;
}

int end_command(const common_options& opts, const change_options& o) {
  int code = 0;
  auto s = programme_session::open(opts, code);
  if (!s) return code;
  if (!s->is("coordinator")) {
    if (o.rematch) return usage_error("--rematch is the coordinator's: ask to end it, and they decide", opts);
    auto c = s->calls->end_request(o.cycle, o.reason);
    if (!c) return s->refused(c.error(), opts);
    s->done({{"cycle", cycle_json(*c)}}, opts);
    if (!opts.json)
      fmt::print("Asked the coordinator to end cycle {} early ({}); it continues until they decide.\n", c->id, o.reason);
    return exit_ok;
  }
  auto e = s->calls->end(o.cycle, o.reason, o.rematch);
  if (!e) return s->refused(e.error(), opts);
  boost::json::object out{{"cycle", cycle_json(e->c)}};
  if (e->rematch) out["rematch"] = cycle_json(*e->rematch);
  s->done(std::move(out), opts);
  if (!opts.json) {
    fmt::print("Cycle {} ended early ({}): the pair can no longer message or meet in it.\n", e->c.id, o.reason);
    if (e->rematch)
      fmt::print("New request for {}: cycle {} (pair it: confidant pair --cycle {} ASSOCIATE).\n",
                 s->name(e->rematch->headteacher), e->rematch->id, e->rematch->id);
  }
  return exit_ok;
}

}  // namespace

void add_cycle_changes(CLI::App& app, const common_options& opts, action& chosen) {
  for (auto [name, help, v] : {std::tuple{"extend", "Extend a cycle due for review: a new cycle, same pair (coordinators)", verb::extend},
                               std::tuple{"close", "Close a cycle: the pair can no longer message or meet (coordinators)", verb::close}}) {
    auto o = std::make_shared<change_options>();
    auto* sub = with_cycle(app.add_subcommand(name, help), o->cycle);
    sub->callback([&opts, &chosen, o, v = v] {
      chosen = [&opts, o, v] {
        int code = 0;
        auto s = programme_session::open(opts, code);
        return s ? extend_or_close(opts, *s, *o, v) : code;
      };
    });
  }

  auto e = std::make_shared<change_options>();
  auto* end = with_cycle(app.add_subcommand("end", "Ask to end a partnership early, or (coordinators) end it"), e->cycle);
  std::vector<std::string> reasons(pg::end_reasons.begin(), pg::end_reasons.end());
  end->add_option("--reason", e->reason, "not_working, conflict_of_interest, moved_school, capacity or other")
      ->required()
      ->check(CLI::IsMember(reasons));
  end->add_flag("--rematch", e->rematch, "coordinators: open a new request for the headteacher to pair again");
  end->callback([&opts, &chosen, e] { chosen = [&opts, e] { return end_command(opts, *e); }; });
}

}  // namespace confidant::cli
