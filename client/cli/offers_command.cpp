// confidant offers [--region R --size S --type T --phase P --skill K] and confidant prefer NAME...:
// a headteacher sees the associates available to their request and ranks up to three (protocol.md
// 7.33). Associates are not contacts before pairing: names are matched among the offers.
#include "client/cli/commands.hpp"
#include "client/cli/programme_support.hpp"

#include <boost/json/array.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace confidant::cli {
namespace {
namespace json = boost::json;
namespace pg = client::programme;

struct offers_options {
  std::int64_t cycle = 0;
  pg::offer_filters filters;
  std::vector<std::string> ranked;
};

json::object offer_json(const pg::offer& x) {
  auto o = profile_json(x.prof);
  o.erase("capacity");
  o["user"] = x.user;
  o["display_name"] = x.display_name;
  o["free_places"] = x.free_places;
  return o;
}

void print_offer(const pg::offer& x) {
  const auto& p = x.prof;
  std::string types, skills;
  for (const auto& t : p.school_types) types += (types.empty() ? "" : ", ") + t;
  for (const auto& t : p.skills) skills += (skills.empty() ? "" : ", ") + t;
  fmt::print("{} (user {})  {}, {}, {}  {} free place{}\n", x.display_name, x.user, p.region, p.phase, p.size_band,
             x.free_places, x.free_places == 1 ? "" : "s");
  if (!types.empty()) fmt::print("  school types: {}\n", types);
  if (!skills.empty()) fmt::print("  skills: {}\n", skills);
  if (!p.summary.empty()) fmt::print("  {}\n", p.summary);
  if (!p.availability.empty()) fmt::print("  availability: {}\n", p.availability);
}

bool same_name(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

// A user id or an offered associate's display name.
client::outcome<std::int64_t> offered(const std::vector<pg::offer>& offers, const std::string& who) {
  std::vector<std::int64_t> found;
  for (const auto& x : offers)
    if (std::to_string(x.user) == who || same_name(x.display_name, who)) found.push_back(x.user);
  if (found.size() == 1) return found.front();
  if (!found.empty()) return client::make_failure(client::errc::ambiguous_contact, "more than one offer is called " + who);
  if (!who.empty() && who.size() <= 15 && std::all_of(who.begin(), who.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::stoll(who);  // not offered now: the server says why
  return client::make_failure(client::errc::unknown_contact, "no associate called " + who + " is offered to you");
}

int offers_command(const common_options& opts, const offers_options& o) {
  int code = 0;
  auto s = programme_session::open(opts, code);
  if (!s) return code;
  auto id = current_cycle(*s, o.cycle, true);
  if (!id) return report(id.error(), opts);
  auto list = s->calls->offers(*id, o.filters);
  if (!list) return s->refused(list.error(), opts);
  json::array out;
  for (const auto& x : *list) out.push_back(offer_json(x));
  s->done({{"cycle", *id}, {"offers", std::move(out)}}, opts);
  if (!opts.json) {
    if (list->empty()) fmt::print("No associate with a free place matches (cycle {}). Try fewer filters.\n", *id);
    for (const auto& x : *list) print_offer(x);
    if (!list->empty()) fmt::print("Rank up to three, best first: confidant prefer NAME [NAME [NAME]]\n");
  }
  return exit_ok;
}

int prefer_command(const common_options& opts, const offers_options& o) {
  int code = 0;
  auto s = programme_session::open(opts, code);
  if (!s) return code;
  auto id = current_cycle(*s, o.cycle, true);
  if (!id) return report(id.error(), opts);
  auto list = s->calls->offers(*id, {});
  if (!list) return s->refused(list.error(), opts);
  std::vector<std::int64_t> ranked;
  for (const auto& who : o.ranked) {
    auto user = offered(*list, who);
    if (!user) return report(user.error(), opts);
    ranked.push_back(*user);
  }
  auto c = s->calls->prefer(*id, ranked);
  if (!c) return s->refused(c.error(), opts);
  s->done({{"cycle", cycle_json(*c)}}, opts);
  if (!opts.json) {
    std::string names;
    for (const auto user : ranked) {
      const auto it = std::find_if(list->begin(), list->end(), [&](const pg::offer& x) { return x.user == user; });
      names += (names.empty() ? "" : ", ") + (it == list->end() ? "user " + std::to_string(user) : it->display_name);
    }
    fmt::print("Your preferences for cycle {}: {}. A coordinator pairs you and you will be told.\n", c->id, names);
  }
  return exit_ok;
}

}  // namespace

void add_offers(CLI::App& app, const common_options& opts, action& chosen) {
  auto o = std::make_shared<offers_options>();
  auto* sub = app.add_subcommand("offers", "The associates available to your request (headteachers)");
  sub->add_option("--cycle", o->cycle, "the request's cycle (default: your open request)")->check(CLI::PositiveNumber);
  sub->add_option("--region", o->filters.region, "only this region");
  sub->add_option("--size", o->filters.size_band, "only this school size: small, medium or large")
      ->check(CLI::IsMember({"small", "medium", "large"}));
  sub->add_option("--type", o->filters.school_type, "only associates who know this school type (e.g. rural)");
  sub->add_option("--phase", o->filters.phase, "only this phase: nursery, primary, secondary, special, all_through")
      ->check(CLI::IsMember({"nursery", "primary", "secondary", "special", "all_through"}));
  sub->add_option("--skill", o->filters.skill, "only associates with this skill (e.g. finance)");
  sub->callback([&opts, &chosen, o] { chosen = [&opts, o] { return offers_command(opts, *o); }; });
}

void add_prefer(CLI::App& app, const common_options& opts, action& chosen) {
  auto o = std::make_shared<offers_options>();
  auto* sub = app.add_subcommand("prefer", "Rank up to three offered associates, best first (headteachers)");
  sub->add_option("associates", o->ranked, "user ids or display names of offered associates")
      ->required()
      ->expected(1, 3);
  sub->add_option("--cycle", o->cycle, "the request's cycle (default: your open request)")->check(CLI::PositiveNumber);
  sub->callback([&opts, &chosen, o] { chosen = [&opts, o] { return prefer_command(opts, *o); }; });
}

}  // namespace confidant::cli
