// confidant flag raise --category C --urgency U [--text T | text on stdin] [--quote LOCAL_ID ...]:
// a safeguarding flag to the LA's SPOC devices (protocol.md 7.25), sealed end to end.
#include "client/cli/commands.hpp"
#include "client/cli/flag_print.hpp"
#include "client/lib/base64url.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/flag_body.hpp"
#include "client/lib/flag_desk.hpp"
#include "client/lib/messenger.hpp"

#include <fmt/format.h>


namespace confidant::cli {
namespace {

constexpr std::string_view general_route =
    "If a child is in immediate danger, call the police on 999. Otherwise contact your local authority's "
    "safeguarding team or out-of-hours duty team directly, and tell the programme coordinator.";

struct raise_options {
  std::string category;
  std::string urgency;
  std::string text;
  bool text_given = false;
  std::vector<std::int64_t> quotes;
};

// What to do when the flag could not be raised at all: the operator's route from an earlier
// answer when this device has one, else general advice.
void print_fallback_route(client::messenger& m) {
  std::string route{general_route};
  if (auto saved = m.store().get("emergency_route"); saved && *saved && !(*saved)->empty()) route = **saved;
  const std::string bar(72, '!');
  fmt::print(stderr, "{}\nThe flag was NOT delivered.\n{}\n{}\n", bar, route, bar);
}

int raise_command(const common_options& opts, raise_options o) {
  o.text = text_or_stdin(std::move(o.text), o.text_given);
  if (o.text.empty()) return usage_error("the flag needs a text (--text, or on standard input)", opts);
  int code = 0;
  auto m = open_messenger(opts, true, code);
  if (!m) return code;
  auto* desk = m->extension<client::flag_desk>();
  auto raised = desk->raise({o.category, o.urgency, o.text, o.quotes});
  wipe(o.text);
  if (!raised) {
    const auto& f = raised.error();
    const int exit = report(f, opts);
    // Whenever the flag may not have reached anyone (not for a usage error or a role that may not
    // raise flags), the way to get help now follows the error.
    if (exit != exit_usage && f.server_code != "forbidden") print_fallback_route(*m);
    return exit;
  }
  auto notices = take_notices(*m, opts);
  const auto& r = raised->record;
  const client::flags::flag_object f{*r.server_id, r.category, r.urgency, r.state, r.raised_at_ms.value_or(0),
                                     r.deadline_at_ms.value_or(0), r.acknowledged_at_ms, r.resolved_at_ms, {}, {}, {}, {},
                                     0, false};
  if (opts.json) {
    auto out = flag_json(f);
    out["ok"] = true;
    out["flag_id"] = client::base64url_encode(r.flag_id);
    out["quotes"] = r.quotes;
    out["out_of_hours"] = raised->out_of_hours;
    out["emergency_route"] = raised->emergency_route;
    out["notices"] = notices;
    print_json(out);
    return exit_ok;
  }
  if (raised->out_of_hours) print_emergency_route(raised->emergency_route);
  fmt::print("Safeguarding flag #{} raised: {}, {} urgency{}.\n", f.id, f.category, f.urgency,
             r.quotes > 0 ? fmt::format(", with {} quoted message(s)", r.quotes) : "");
  fmt::print("State: {}. The SPOC must acknowledge it by {} (Europe/London).\n", f.state, london(f.deadline_at_ms));
  return exit_ok;
}

}  // namespace

void add_flag_raise(CLI::App& flag, const common_options& opts, action& chosen) {
  auto o = std::make_shared<raise_options>();
  auto* raise = flag.add_subcommand("raise", "Raise a safeguarding flag to the LA's SPOC (sealed end to end)");
  std::vector<std::string> categories(client::flag_body::categories.begin(), client::flag_body::categories.end());
  std::vector<std::string> urgencies(client::flag_body::urgencies.begin(), client::flag_body::urgencies.end());
  raise->add_option("--category", o->category,
                    "child_protection, staff_allegation, whistleblowing, leader_wellbeing or other")
      ->required()
      ->check(CLI::IsMember(categories));
  raise->add_option("--urgency", o->urgency,
                    "immediate (someone may be at risk now), urgent (today) or standard")
      ->required()
      ->check(CLI::IsMember(urgencies));
  raise->add_option("--text", o->text, "what the SPOC needs to know (default: read from standard input)");
  raise->add_option("--quote", o->quotes,
                    "the local id of a message you received (see `confidant history --json`), quoted with its proof; "
                    "repeatable")
      ->check(CLI::PositiveNumber);
  raise->callback([&opts, &chosen, o, raise] {
    o->text_given = raise->count("--text") > 0;
    chosen = [&opts, o] { return raise_command(opts, *o); };
  });
}

}  // namespace confidant::cli
