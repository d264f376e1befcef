// confidant meetings propose|list|accept|decline|cancel|reschedule|ics (protocol.md 7.16-7.21), and
// confidant supervision (a supervision meeting between a coordinator and an associate, 7.40).
#include "client/cli/commands.hpp"
#include "client/cli/meeting_support.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/ics.hpp"
#include "client/lib/meetings.hpp"
#include "client/lib/messenger.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>

namespace confidant::cli {
namespace {
namespace json = boost::json;
namespace mt = client::meetings;

constexpr std::int64_t day_ms = 86'400'000;

struct meeting_options {
  std::string with;
  std::string start;
  std::string end;
  int minutes = 0;
  std::string mode = "in_person";
  std::string kind = "support";
  std::string details;
  bool details_given = false;
  std::int64_t id = 0;
  std::string reason;
  std::string from;
  std::string to;
  std::string output;
};

std::string how(const std::string& mode) {
  return mode == "in_person" ? "in person" : mode == "online" ? "online" : mode == "phone" ? "by phone" : mode;
}

json::object meeting_out(const mt::meeting& m, const std::optional<std::string>& details) {
  json::object o{{"id", m.id},
                 {"participants", json::array{m.participants[0], m.participants[1]}},
                 {"proposer", m.proposer},
                 {"start", client::codec::format_time_ms(m.start_ms)},
                 {"end", client::codec::format_time_ms(m.end_ms)},
                 {"mode", m.mode},
                 {"kind", m.kind},
                 {"state", m.state},
                 {"sequence", m.sequence}};
  if (m.pairing != 0) o["pairing"] = m.pairing;
  if (!m.cancel_reason.empty()) o["cancel_reason"] = m.cancel_reason;
  if (details) o["details"] = *details;
  return o;
}

json::object cycle_out(const mt::cycle& c) {
  return {{"pairing", c.pairing}, {"starts_on", c.starts_on}, {"ends_on", c.ends_on}, {"meetings_used", c.meetings_used},
          {"cap", c.cap}, {"review_due", c.review_due}};
}

json::object term_out(const mt::term& t) {
  return {{"pairing", t.pairing}, {"year", t.year}, {"name", t.name}, {"starts_on", t.starts_on},
          {"ends_on", t.ends_on}, {"meetings_used", t.meetings_used}, {"cap", t.cap}};
}

void print_meeting(const mt::meeting& m, std::int64_t me, const std::map<std::int64_t, std::string>& names,
                   const std::optional<std::string>& details) {
  const auto other = m.other(me);
  const auto it = names.find(other);
  std::string state = m.state;
  if (m.state == "proposed") state += m.proposer == me ? " (waiting for them)" : " (waiting for you: accept or decline)";
  if (m.state == "cancelled" && !m.cancel_reason.empty()) state += " (" + m.cancel_reason + ")";
  fmt::print("#{}  {}-{}  with {} (user {})  {}, {}  {}\n", m.id, local_time(m.start_ms), local_clock(m.end_ms),
             it == names.end() ? std::string{"?"} : it->second, other, how(m.mode), m.kind, state);
  if (details) fmt::print("      details: {}\n", *details);
}

void print_allowances(const std::optional<mt::cycle>& c, const std::optional<mt::term>& t) {
  if (c) {
    fmt::print("Cycle {} to {}: {} of {} in-person meetings used{}\n", c->starts_on, c->ends_on, c->meetings_used, c->cap,
               c->review_due ? "; review due (the coordinator extends or closes the cycle)" : "");
  }
  if (t) fmt::print("{} term {}: {} of {} meetings used\n", t->name, t->year, t->meetings_used, t->cap);
}

// A refusal with the numbers the server gave (next opening, cap) for people.
int refused(const client::failure& f, const mt::calls& calls, const common_options& opts) {
  const int code = report(f, opts);
  if (!opts.json) {
    const auto& r = calls.refusal_members;
    if (const auto* next = r.if_contains("next_opening"); next && next->is_string()) {
      if (auto ms = client::codec::parse_time_ms(next->as_string()))
        fmt::print(stderr, "The next contact window opens {}.\n", local_time(*ms));
    }
  }
  return code;
}

std::optional<std::int64_t> end_of(const meeting_options& o, std::int64_t start, const common_options& opts, int& code) {
  if (!o.end.empty()) {
    auto e = parse_when(o.end);
    if (!e) code = usage_error("--end must be a time like 2026-11-26 11:00 (local) or 2026-11-26T11:00Z", opts);
    return e;
  }
  if (o.minutes > 0) return start + std::int64_t{o.minutes} * 60'000;
  code = usage_error("give --end or --minutes", opts);
  return std::nullopt;
}

int answer_out(client::messenger& m, const mt::answer& a, const common_options& opts, std::string_view verb) {
  const auto details = open_details(m, a.m);
  auto notices = take_notices(m, opts);
  if (opts.json) {
    json::object out{{"ok", true}, {"meeting", meeting_out(a.m, details)}, {"notices", notices}};
    if (a.cyc) out["cycle"] = cycle_out(*a.cyc);
    if (a.trm) out["term"] = term_out(*a.trm);
    print_json(out);
    return exit_ok;
  }
  fmt::print("{} meeting #{}:\n", verb, a.m.id);
  print_meeting(a.m, m.account().user, contact_names(m), details);
  print_allowances(a.cyc, a.trm);
  return exit_ok;
}

int propose_command(const common_options& opts, const meeting_options& o) {
  auto start = parse_when(o.start);
  if (!start) return usage_error("--start must be a time like 2026-11-26 10:00 (local) or 2026-11-26T10:00Z", opts);
  int code = 0;
  auto end = end_of(o, *start, opts, code);
  if (!end) return code;
  auto m = open_messenger(opts, true, code);
  if (!m) return code;
  auto with = m->resolve_contact(o.with);
  if (!with) {
    (void)m->refresh_contacts();
    with = m->resolve_contact(o.with);
    if (!with) return report(with.error(), opts);
  }
  mt::proposal p{with->user, *start, *end, o.mode, o.kind, {}};
  if (o.details_given) {
    auto sealed = seal_details(*m, with->user, o.details);
    if (!sealed) return report(sealed.error(), opts);
    p.details = std::move(*sealed);
  }
  mt::calls calls{*m->raw_connection()};
  auto a = calls.propose(p);
  if (!a) return refused(a.error(), calls, opts);
  return answer_out(*m, *a, opts, "Proposed");
}

int reschedule_command(const common_options& opts, const meeting_options& o) {
  auto start = parse_when(o.start);
  if (!start) return usage_error("--start must be a time like 2026-11-26 10:00 (local) or 2026-11-26T10:00Z", opts);
  int code = 0;
  auto end = end_of(o, *start, opts, code);
  if (!end) return code;
  auto m = open_messenger(opts, true, code);
  if (!m) return code;
  mt::calls calls{*m->raw_connection()};
  std::vector<mt::details_for> details;
  if (o.details_given) {
    // The other participant: from the meeting itself.
    auto listed = calls.list(*start - 400 * day_ms + day_ms, *start + day_ms);
    std::int64_t other = 0;
    if (listed)
      for (const auto& x : listed->meetings)
        if (x.id == o.id) other = x.other(m->account().user);
    if (other == 0) return usage_error("meeting " + std::to_string(o.id) + " not found for --details", opts);
    auto sealed = seal_details(*m, other, o.details);
    if (!sealed) return report(sealed.error(), opts);
    details = std::move(*sealed);
  }
  std::optional<std::string> mode;
  if (!o.mode.empty() && o.mode != "unchanged") mode = o.mode;
  auto a = calls.reschedule(o.id, *start, *end, mode, details);
  if (!a) return refused(a.error(), calls, opts);
  return answer_out(*m, *a, opts, "Rescheduled");
}

enum class verb { accept, decline, cancel };

int change_command(const common_options& opts, const meeting_options& o, verb v) {
  int code = 0;
  auto m = open_messenger(opts, true, code);
  if (!m) return code;
  mt::calls calls{*m->raw_connection()};
  auto a = v == verb::accept ? calls.accept(o.id) : v == verb::decline ? calls.decline(o.id) : calls.cancel(o.id, o.reason);
  if (!a) return refused(a.error(), calls, opts);
  return answer_out(*m, *a, opts, v == verb::accept ? "Accepted" : v == verb::decline ? "Declined" : "Cancelled");
}

int list_command(const common_options& opts, const meeting_options& o) {
  const auto now = now_ms();
  auto from = o.from.empty() ? std::optional<std::int64_t>{now - 7 * day_ms} : parse_when(o.from);
  auto to = o.to.empty() ? std::optional<std::int64_t>{now + 180 * day_ms} : parse_when(o.to);
  if (!from || !to) return usage_error("--from and --to must be times like 2026-11-26 10:00 or 2026-11-26T10:00Z", opts);
  int code = 0;
  auto m = open_messenger(opts, true, code);
  if (!m) return code;
  mt::calls calls{*m->raw_connection()};
  auto l = calls.list(*from, *to);
  if (!l) return refused(l.error(), calls, opts);
  const auto me = m->account().user;
  if (opts.json) {
    json::array ms, cs, ts;
    for (const auto& x : l->meetings) ms.push_back(meeting_out(x, open_details(*m, x)));
    for (const auto& c : l->cycles) {
      auto j = cycle_out(c);
      j["with"] = c.with;
      cs.push_back(std::move(j));
    }
    for (const auto& t : l->terms) {
      auto j = term_out(t);
      j["with"] = t.with;
      ts.push_back(std::move(j));
    }
    auto notices = take_notices(*m, opts);
    print_json({{"ok", true}, {"meetings", ms}, {"cycles", cs}, {"terms", ts}, {"notices", notices}});
    return exit_ok;
  }
  const auto names = contact_names(*m);
  if (l->meetings.empty()) fmt::print("No meetings between {} and {}.\n", local_time(*from), local_time(*to));
  for (const auto& x : l->meetings) print_meeting(x, me, names, open_details(*m, x));
  for (const auto& c : l->cycles) {
    const auto it = names.find(c.with);
    fmt::print("With {}: ", it == names.end() ? std::to_string(c.with) : it->second);
    print_allowances(c, std::nullopt);
  }
  for (const auto& t : l->terms) {
    const auto it = names.find(t.with);
    fmt::print("With {}: ", it == names.end() ? std::to_string(t.with) : it->second);
    print_allowances(std::nullopt, t);
  }
  (void)take_notices(*m, opts);
  return exit_ok;
}

int ics_command(const common_options& opts, const meeting_options& o) {
  int code = 0;
  auto m = open_messenger(opts, true, code);
  if (!m) return code;
  mt::calls calls{*m->raw_connection()};
  const auto now = now_ms();
  std::optional<mt::meeting> found;
  for (const auto& [from, to] : {std::pair{now - 399 * day_ms, now + day_ms}, std::pair{now, now + 399 * day_ms}}) {
    auto l = calls.list(from, to);
    if (!l) return refused(l.error(), calls, opts);
    for (const auto& x : l->meetings)
      if (x.id == o.id) found = x;
    if (found) break;
  }
  if (!found) {
    return report(client::make_failure(client::errc::error_answer, "no meeting " + std::to_string(o.id) + " of yours within 400 days"),
                  opts);
  }
  const auto& key = m->account().server_key;
  const auto domain = crypto::to_hex(std::span<const std::uint8_t>{key.data(), 8}) + ".confidant";
  const auto text = client::ics::export_meeting(*found, domain);
  if (!o.output.empty()) {
    std::ofstream out(o.output, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) return usage_error("cannot write " + o.output, opts);
  }
  if (opts.json) {
    print_json({{"ok", true}, {"id", found->id}, {"sequence", found->sequence}, {"state", found->state},
                {"file", o.output.empty() ? json::value{} : json::value{o.output}}, {"ics", text}});
  } else if (o.output.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
  } else {
    fmt::print("Wrote meeting #{} ({}, sequence {}) to {}\n", found->id, found->state, found->sequence, o.output);
  }
  return exit_ok;
}

void time_options(CLI::App* sub, const std::shared_ptr<meeting_options>& o) {
  sub->add_option("--start", o->start, "start: 2026-11-26 10:00 (this machine's local time) or 2026-11-26T10:00Z")->required();
  sub->add_option("--end", o->end, "end, like --start");
  sub->add_option("--minutes", o->minutes, "length in minutes (instead of --end)")->check(CLI::Range(1, 24 * 60));
  sub->add_option("--details", o->details,
                  "place, agenda, notes: end-to-end encrypted for both of you (the server never sees them)");
}

void propose_options(CLI::App* sub, const std::shared_ptr<meeting_options>& p, const char* with_help) {
  sub->add_option("with", p->with, with_help)->required();
  time_options(sub, p);
  sub->add_option("--mode", p->mode, "how: in_person, online or phone")
      ->check(CLI::IsMember({"in_person", "online", "phone"}))
      ->capture_default_str();
}

void on_propose(CLI::App* sub, const common_options& opts, action& chosen, const std::shared_ptr<meeting_options>& p) {
  sub->callback([&opts, &chosen, p, sub] {
    p->details_given = sub->count("--details") > 0;
    chosen = [&opts, p] { return propose_command(opts, *p); };
  });
}

}  // namespace

void add_supervision(CLI::App& app, const common_options& opts, action& chosen) {
  auto p = std::make_shared<meeting_options>();
  p->kind = "supervision";
  auto* sub = app.add_subcommand("supervision", "Propose a supervision meeting (a coordinator with an associate; "
                                                "never counted against a headteacher's caps)");
  propose_options(sub, p, "user id or display name: the associate (coordinators) or the coordinator (associates)");
  on_propose(sub, opts, chosen, p);
}

void add_meetings(CLI::App& app, const common_options& opts, action& chosen) {
  auto* sub = app.add_subcommand("meetings", "Propose, answer, list and export meetings");
  sub->require_subcommand(1);
  static constexpr const char* modes = "in_person, online or phone";

  auto p = std::make_shared<meeting_options>();
  auto* propose = sub->add_subcommand("propose", "Propose a meeting inside both contact windows");
  propose_options(propose, p, "user id or display name of the other participant");
  propose->add_option("--kind", p->kind, "initial, support or supervision (coordinator with associate)")
      ->check(CLI::IsMember({"initial", "support", "supervision"}))
      ->capture_default_str();
  on_propose(propose, opts, chosen, p);

  auto l = std::make_shared<meeting_options>();
  auto* list = sub->add_subcommand("list", "Your meetings (default: from a week ago to 180 days ahead) and allowances");
  list->add_option("--from", l->from, "from (a time, as for propose)");
  list->add_option("--to", l->to, "to (a time)");
  list->callback([&opts, &chosen, l] { chosen = [&opts, l] { return list_command(opts, *l); }; });

  for (auto [name, help, v] : {std::tuple{"accept", "Accept a meeting proposed to you", verb::accept},
                               std::tuple{"decline", "Decline a meeting proposed to you", verb::decline},
                               std::tuple{"cancel", "Cancel a proposed or accepted meeting", verb::cancel}}) {
    auto o = std::make_shared<meeting_options>();
    auto* c = sub->add_subcommand(name, help);
    c->add_option("id", o->id, "the meeting number (see `confidant meetings list`)")->required()->check(CLI::PositiveNumber);
    if (v == verb::cancel) {
      c->add_option("--reason", o->reason,
                    "illness, school_emergency, diary_clash, no_longer_needed or other (the server sees only this "
                    "category; explain in a message)")
          ->required()
          ->check(CLI::IsMember({"illness", "school_emergency", "diary_clash", "no_longer_needed", "other"}));
    }
    c->callback([&opts, &chosen, o, v = v] { chosen = [&opts, o, v] { return change_command(opts, *o, v); }; });
  }

  auto r = std::make_shared<meeting_options>();
  r->mode = "unchanged";
  auto* reschedule = sub->add_subcommand("reschedule", "Move a meeting to a new time (the other side accepts again)");
  reschedule->add_option("id", r->id, "the meeting number")->required()->check(CLI::PositiveNumber);
  time_options(reschedule, r);
  reschedule->add_option("--mode", r->mode, std::string{"a new mode: "} + modes)
      ->check(CLI::IsMember({"in_person", "online", "phone", "unchanged"}));
  reschedule->callback([&opts, &chosen, r, reschedule] {
    r->details_given = reschedule->count("--details") > 0;
    chosen = [&opts, r] { return reschedule_command(opts, *r); };
  });

  auto x = std::make_shared<meeting_options>();
  auto* ics = sub->add_subcommand("ics", "Export a meeting as an iCalendar file (no confidential detail in it)");
  ics->add_option("id", x->id, "the meeting number")->required()->check(CLI::PositiveNumber);
  ics->add_option("-o,--output", x->output, "write to FILE (default: standard output)");
  ics->callback([&opts, &chosen, x] { chosen = [&opts, x] { return ics_command(opts, *x); }; });
}

}  // namespace confidant::cli
