// confidant profile set|show: an associate's published profile (protocol.md 7.30). `set` changes
// the members given and keeps the others, so `profile set --capacity 3` is enough once a profile
// exists.
#include "client/cli/commands.hpp"
#include "client/cli/programme_support.hpp"

#include <fmt/format.h>

namespace confidant::cli {
namespace {
namespace pg = client::programme;

struct profile_options {
  std::string user;  // show: whose (coordinators)
  std::map<std::string, std::string> text;  // region, size_band, phase, summary, availability, school, federation
  std::map<std::string, std::vector<std::string>> lists;  // school_types, skills, conflicts
  std::int64_t capacity = 0;
};

constexpr std::pair<const char*, const char*> text_members[] = {
    {"region", "your region, e.g. north"},
    {"size_band", "small, medium or large"},
    {"phase", "nursery, primary, secondary, special or all_through"},
    {"summary", "a short background summary (up to 1000 bytes)"},
    {"availability", "availability notes (up to 500 bytes)"},
    {"school", "your own school (never shown to headteachers)"},
    {"federation", "your federation, empty for none (never shown to headteachers)"}};
constexpr std::pair<const char*, const char*> list_members[] = {
    {"school_type", "a school type you know (repeat: federation, rural, church, academy, ...)"},
    {"skill", "a skill or area (repeat: finance, ofsted_preparation, wellbeing, ...)"},
    {"conflict", "a school or federation you have a conflict with (repeat; never shown to headteachers)"}};

std::string option_name(std::string member) {
  for (auto& c : member)
    if (c == '_') c = '-';
  return "--" + member;
}

// The profile to send: the current one (when there is one) with the given members replaced.
pg::profile merged(const std::optional<pg::profile>& current, const profile_options& o) {
  pg::profile p = current.value_or(pg::profile{});
  std::map<std::string, std::string*> texts{{"region", &p.region},   {"size_band", &p.size_band},
                                            {"phase", &p.phase},     {"summary", &p.summary},
                                            {"availability", &p.availability}, {"school", &p.school},
                                            {"federation", &p.federation}};
  for (const auto& [k, v] : o.text) *texts.at(k) = v;
  std::map<std::string, std::vector<std::string>*> lists{
      {"school_type", &p.school_types}, {"skill", &p.skills}, {"conflict", &p.conflicts}};
  for (const auto& [k, v] : o.lists) *lists.at(k) = v;
  if (o.capacity > 0) p.capacity = o.capacity;
  return p;
}

int set_command(const common_options& opts, const profile_options& o) {
  int code = 0;
  auto s = programme_session::open(opts, code);
  if (!s) return code;
  std::optional<pg::profile> current;
  if (auto mine = s->calls->profile_of(std::nullopt); mine && mine->prof) current = mine->prof;
  const auto p = merged(current, o);
  std::vector<std::string> missing;
  for (const auto& [name, value] : {std::pair{"region", &p.region}, std::pair{"size_band", &p.size_band},
                                    std::pair{"phase", &p.phase}, std::pair{"school", &p.school}})
    if (value->empty()) missing.push_back(option_name(name));
  if (!current && o.capacity == 0) missing.emplace_back("--capacity");
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    return usage_error("a first profile needs " + list, opts);
  }
  auto a = s->calls->profile_set(p);
  if (!a) return s->refused(a.error(), opts);
  s->done({{"associate", associate_json(*a)}}, opts);
  if (!opts.json) {
    fmt::print("Profile saved. ");
    print_associate(*a);
    if (a->status == "pending") fmt::print("A coordinator approves you before headteachers are offered your profile.\n");
  }
  return exit_ok;
}

int show_command(const common_options& opts, const profile_options& o) {
  int code = 0;
  auto s = programme_session::open(opts, code);
  if (!s) return code;
  std::optional<std::int64_t> user;
  if (!o.user.empty()) {
    auto who = s->resolve(o.user);
    if (!who) return report(who.error(), opts);
    user = who->user;
  }
  auto a = s->calls->profile_of(user);
  if (!a) return s->refused(a.error(), opts);
  s->done({{"associate", associate_json(*a)}}, opts);
  if (!opts.json) print_associate(*a);
  return exit_ok;
}

}  // namespace

void add_profile(CLI::App& app, const common_options& opts, action& chosen) {
  auto* sub = app.add_subcommand("profile", "An associate's profile: what headteachers are offered");
  sub->require_subcommand(1);

  auto o = std::make_shared<profile_options>();
  auto* set = sub->add_subcommand("set", "Write your profile (associates); members not given are kept");
  for (const auto& [member, help] : text_members) set->add_option(option_name(member), o->text[member], help);
  for (const auto& [member, help] : list_members) set->add_option(option_name(member), o->lists[member], help);
  set->add_option("--capacity", o->capacity, "how many headteachers you can support at once (1 to 10)")
      ->check(CLI::Range(1, 10));
  set->callback([&opts, &chosen, o, set] {
    // Only what was given replaces the current profile.
    auto given = std::make_shared<profile_options>();
    given->capacity = o->capacity;
    for (const auto& [member, value] : o->text)
      if (set->count(option_name(member)) > 0) given->text[member] = value;
    for (const auto& [member, value] : o->lists)
      if (set->count(option_name(member)) > 0) given->lists[member] = value;
    chosen = [&opts, given] { return set_command(opts, *given); };
  });

  auto w = std::make_shared<profile_options>();
  auto* show = sub->add_subcommand("show", "Your profile (associates), or anyone's (coordinators)");
  show->add_option("user", w->user, "user id or display name (coordinators)");
  show->callback([&opts, &chosen, w] { chosen = [&opts, w] { return show_command(opts, *w); }; });
}

}  // namespace confidant::cli
