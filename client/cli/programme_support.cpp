#include "client/cli/programme_support.hpp"

#include "client/cli/meeting_support.hpp"
#include "client/lib/codec.hpp"

#include <boost/json/array.hpp>
#include <fmt/format.h>

namespace confidant::cli {
namespace json = boost::json;
namespace pg = client::programme;

namespace {

json::array strings(const std::vector<std::string>& v) {
  json::array out;
  for (const auto& s : v) out.emplace_back(s);
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

void put_time(json::object& o, std::string_view key, const std::optional<std::int64_t>& ms) {
  if (ms) o[key] = client::codec::format_time_ms(*ms);
}

}  // namespace

std::optional<programme_session> programme_session::open(const common_options& opts, int& code) {
  auto m = open_messenger(opts, true, code);
  if (!m) return std::nullopt;
  programme_session s;
  s.calls = std::make_unique<pg::calls>(pg::calls{*m->raw_connection()});
  s.m = std::move(m);
  return s;
}

int programme_session::refused(const client::failure& f, const common_options& opts) const {
  return report(f, opts, calls->refusal_members);
}

void programme_session::done(json::object members, const common_options& opts) const {
  auto notices = take_notices(*m, opts);
  if (!opts.json) return;
  json::object out{{"ok", true}};
  for (auto& [k, v] : members) out[k] = std::move(v);
  out["notices"] = std::move(notices);
  print_json(out);
}

client::outcome<client::contact> programme_session::resolve(std::string_view who) {
  auto found = m->resolve_contact(who);
  if (found) return found;
  (void)m->refresh_contacts();
  return m->resolve_contact(who);
}

std::string programme_session::name(std::int64_t user) {
  if (user <= 0) return "nobody";
  if (!names_.contains(user) && !names_fresh_) {
    names_ = contact_names(*m);  // asks the server once
    names_fresh_ = true;
  }
  const auto it = names_.find(user);
  return it == names_.end() ? "user " + std::to_string(user) : it->second + " (user " + std::to_string(user) + ")";
}

client::outcome<std::int64_t> current_cycle(programme_session& s, std::int64_t given, bool requests_only) {
  if (given > 0) return given;
  auto list = s.calls->cycles(std::nullopt);
  if (!list) return list.error();
  for (const auto& c : *list)  // newest first
    if (requests_only ? c.is_request() : !c.is_final()) return c.id;
  return client::make_failure(client::errc::invalid_request,
                              requests_only ? "you have no open request (confidant request create ...)"
                                            : "you have no open cycle; name one (confidant cycles list)");
}

CLI::App* with_cycle(CLI::App* command, std::int64_t& cycle) {
  command->add_option("cycle", cycle, "the cycle number (see confidant cycles list)")->required()->check(CLI::PositiveNumber);
  return command;
}

json::object profile_json(const pg::profile& p) {
  json::object o{{"region", p.region},       {"size_band", p.size_band},     {"school_types", strings(p.school_types)},
                 {"phase", p.phase},         {"summary", p.summary},         {"skills", strings(p.skills)},
                 {"capacity", p.capacity},   {"availability", p.availability}};
  if (!p.school.empty()) o["school"] = p.school;
  if (!p.federation.empty()) o["federation"] = p.federation;
  if (!p.conflicts.empty()) o["conflicts"] = strings(p.conflicts);
  return o;
}

json::object associate_json(const pg::associate& a) {
  json::object o{{"user", a.user}, {"display_name", a.display_name}, {"status", a.status}, {"load", a.load}};
  if (a.prof) o["profile"] = profile_json(*a.prof);
  if (a.evid) {
    o["evidence"] = {{"years_as_headteacher", a.evid->years_as_headteacher},
                     {"last_inspection", a.evid->last_inspection},
                     {"training_completed", a.evid->training_completed},
                     {"coaching_record", a.evid->coaching_record},
                     {"recorded_by", a.evid->recorded_by},
                     {"recorded_at", client::codec::format_time_ms(a.evid->recorded_at_ms)}};
  }
  if (!a.suspended_reason.empty()) o["suspended_reason"] = a.suspended_reason;
  return o;
}

json::object cycle_json(const pg::cycle& c) {
  json::object o{{"cycle", c.id},
                 {"state", c.state},
                 {"headteacher", c.headteacher},
                 {"requested_at", client::codec::format_time_ms(c.requested_at_ms)},
                 {"meetings_held", c.meetings_held}};
  if (c.associate) o["associate"] = c.associate;
  if (c.previous) o["previous"] = c.previous;
  for (const auto& [key, value] : {std::pair{"school", &c.school}, std::pair{"federation", &c.federation},
                                   std::pair{"region", &c.region}, std::pair{"phase", &c.phase},
                                   std::pair{"size_band", &c.size_band}, std::pair{"reason", &c.reason},
                                   std::pair{"starts_on", &c.starts_on}, std::pair{"ends_on", &c.ends_on},
                                   std::pair{"feedback", &c.feedback}})
    if (!value->empty()) o[key] = *value;
  if (!c.preferences.empty()) {
    json::array prefs;
    for (const auto p : c.preferences) prefs.emplace_back(p);
    o["preferences"] = std::move(prefs);
  }
  o["has_concern"] = !c.concern.empty();
  put_time(o, "paired_at", c.paired_at_ms);
  put_time(o, "active_at", c.active_at_ms);
  put_time(o, "review_at", c.review_at_ms);
  put_time(o, "ended_at", c.ended_at_ms);
  if (c.in_person_cap) {
    o["in_person_used"] = c.in_person_used;
    o["in_person_cap"] = c.in_person_cap;
  }
  if (c.end_request) {
    o["end_request"] = {{"by", c.end_request->by},
                        {"reason", c.end_request->reason},
                        {"at", client::codec::format_time_ms(c.end_request->at_ms)}};
  }
  return o;
}

void print_cycle(programme_session& s, const pg::cycle& c) {
  fmt::print("Cycle {}  {}  headteacher {}, associate {}\n", c.id, c.state, s.name(c.headteacher),
             c.associate ? s.name(c.associate) : std::string{"not yet paired"});
  if (!c.school.empty()) {
    std::vector<std::string> about;
    for (const auto* v : {&c.federation, &c.region, &c.phase, &c.size_band})
      if (!v->empty()) about.push_back(*v);
    fmt::print("  school: {}{}\n", c.school, about.empty() ? "" : " (" + joined(about) + ")");
  }
  std::string when = "requested " + local_time(c.requested_at_ms);
  if (c.paired_at_ms) when += ", paired " + local_time(*c.paired_at_ms);
  if (c.ended_at_ms) when += ", ended " + local_time(*c.ended_at_ms);
  fmt::print("  {}{}\n", when, c.reason.empty() ? "" : " (" + c.reason + ")");
  if (!c.preferences.empty()) {
    std::vector<std::string> ranked;
    for (const auto p : c.preferences) ranked.push_back(s.name(p));
    fmt::print("  preferences: {}\n", joined(ranked));
  }
  if (c.is_open_partnership() || c.meetings_held > 0) {
    std::string line = fmt::format("  meetings held: {}", c.meetings_held);
    if (c.in_person_cap) line += fmt::format("; in person {} of {}", c.in_person_used, c.in_person_cap);
    if (!c.starts_on.empty()) line += "; " + c.starts_on + " to " + c.ends_on;
    fmt::print("{}\n", line);
  }
  if (c.end_request)
    fmt::print("  {} asked to end it early ({}), {}\n", s.name(c.end_request->by), c.end_request->reason,
               local_time(c.end_request->at_ms));
  if (!c.feedback.empty()) fmt::print("  feedback: {}\n", c.feedback);
}

void print_associate(const pg::associate& a) {
  fmt::print("{} (user {})  {}{}  load {}{}\n", a.display_name, a.user, a.status,
             a.suspended_reason.empty() ? "" : " (" + a.suspended_reason + ")", a.load,
             a.prof ? fmt::format(" of {}", a.prof->capacity) : std::string{", no profile yet"});
  if (a.prof) {
    const auto& p = *a.prof;
    fmt::print("  {}, {}, {}{}\n", p.region, p.phase, p.size_band,
               p.school_types.empty() ? "" : "; " + joined(p.school_types));
    if (!p.skills.empty()) fmt::print("  skills: {}\n", joined(p.skills));
    if (!p.summary.empty()) fmt::print("  {}\n", p.summary);
    if (!p.availability.empty()) fmt::print("  availability: {}\n", p.availability);
    if (!p.school.empty())
      fmt::print("  school: {}{}{}\n", p.school, p.federation.empty() ? "" : " (" + p.federation + ")",
                 p.conflicts.empty() ? "" : "; conflicts: " + joined(p.conflicts));
  }
  if (a.evid) {
    fmt::print("  evidence: {} years as headteacher, last inspection {}, training {}, coaching record {}\n",
               a.evid->years_as_headteacher, a.evid->last_inspection, a.evid->training_completed ? "yes" : "no",
               a.evid->coaching_record ? "yes" : "no");
  }
}

}  // namespace confidant::cli
