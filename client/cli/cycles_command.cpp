// confidant cycles list|show: requests and partnerships as the caller may see them (protocol.md
// 7.34); `show` opens the caller's own copy of the concern and, for coordinators, lists the audit
// history of the cycle.
#include "client/cli/commands.hpp"
#include "client/cli/meeting_support.hpp"
#include "client/cli/programme_support.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/sealing.hpp"

#include <boost/json/array.hpp>
#include <fmt/format.h>

namespace confidant::cli {
namespace {
namespace json = boost::json;
namespace pg = client::programme;

struct cycles_options {
  std::string state;
  std::int64_t cycle = 0;
};

// What the caller should do next, for people.
void print_next(programme_session& s, const pg::cycle& c) {
  const auto me = s.m->account().user;
  if (c.state == "paired" && c.associate == me)
    fmt::print("  -> please make contact first: confidant send \"{}\" ...\n", s.name(c.headteacher));
  if (c.state == "paired" && c.headteacher == me) fmt::print("  -> your associate will make contact first\n");
  if (c.state == "review_due" && s.is("coordinator"))
    fmt::print("  -> review: confidant extend {} or confidant close {}\n", c.id, c.id);
  if (c.feedback == "requested" && c.headteacher == me)
    fmt::print("  -> feedback is requested: confidant feedback show {}\n", c.id);
}

int list_command(const common_options& opts, const cycles_options& o) {
  int code = 0;
  auto s = programme_session::open(opts, code);
  if (!s) return code;
  auto list = s->calls->cycles(o.state.empty() ? std::nullopt : std::optional{o.state});
  if (!list) return s->refused(list.error(), opts);
  json::array out;
  for (const auto& c : *list) out.push_back(cycle_json(c));
  s->done({{"cycles", std::move(out)}}, opts);
  if (!opts.json) {
    if (list->empty()) fmt::print("No cycles{}.\n", o.state.empty() ? "" : " in state " + o.state);
    for (const auto& c : *list) {
      print_cycle(*s, c);
      print_next(*s, c);
    }
  }
  return exit_ok;
}

int show_command(const common_options& opts, const cycles_options& o) {
  int code = 0;
  auto s = programme_session::open(opts, code);
  if (!s) return code;
  auto shown = s->calls->cycle_show(o.cycle);
  if (!shown) return s->refused(shown.error(), opts);
  const auto& c = shown->c;
  std::optional<std::string> concern;
  if (!c.concern.empty()) concern = client::sealing::readable(*s->m, client::sealed_body::purpose::concern, c.concern);
  json::array history;
  for (const auto& h : shown->history)
    history.push_back({{"at", client::codec::format_time_ms(h.at_ms)}, {"action", h.action}, {"actor", h.actor}});
  auto j = cycle_json(c);
  if (concern) j["concern"] = *concern;
  s->done({{"cycle", std::move(j)}, {"history", std::move(history)}}, opts);
  if (!opts.json) {
    print_cycle(*s, c);
    if (concern) fmt::print("  concern: {}\n", *concern);
    print_next(*s, c);
    for (const auto& h : shown->history) fmt::print("  {}  {}  {}\n", local_time(h.at_ms), h.action, h.actor);
  }
  if (concern) wipe(*concern);
  return exit_ok;
}

}  // namespace

void add_cycles(CLI::App& app, const common_options& opts, action& chosen) {
  auto* sub = app.add_subcommand("cycles", "Requests and partnerships (support cycles) you may see");
  sub->require_subcommand(1);

  auto l = std::make_shared<cycles_options>();
  auto* list = sub->add_subcommand("list", "Your cycles, newest first (coordinators: every cycle)");
  std::vector<std::string> states(client::programme::states.begin(), client::programme::states.end());
  list->add_option("--state", l->state, "only cycles in this state")->check(CLI::IsMember(states));
  list->callback([&opts, &chosen, l] { chosen = [&opts, l] { return list_command(opts, *l); }; });

  auto w = std::make_shared<cycles_options>();
  auto* show = with_cycle(
      sub->add_subcommand("show", "One cycle, with your copy of the concern and (coordinators) its history"), w->cycle);
  show->callback([&opts, &chosen, w] { chosen = [&opts, w] { return show_command(opts, *w); }; });
}

}  // namespace confidant::cli
