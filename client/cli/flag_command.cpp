// confidant flag raise|list|show|ack|note|resolve|hold (protocol.md 7.25-7.27).
#include "client/cli/commands.hpp"
#include "client/cli/flag_print.hpp"
#include "client/lib/flag_body.hpp"
#include "client/lib/flag_desk.hpp"
#include "client/lib/messenger.hpp"

#include <fmt/format.h>


namespace confidant::cli {
namespace {
namespace json = boost::json;

struct flag_options {
  std::int64_t id = 0;
  std::string state;
  std::string text;
  bool text_given = false;
  std::string outcome;
  std::string hold;
};

// Opens the messenger online and takes in what waits (flag events are stored and confirmed).
std::unique_ptr<client::messenger> online(const common_options& opts, int& code) {
  auto m = open_messenger(opts, true, code);
  if (!m) return m;
  if (auto r = m->receive(std::chrono::milliseconds{200}); !r) {
    code = report(r.error(), opts);
    return nullptr;
  }
  return m;
}

int list_command(const common_options& opts, const flag_options& o) {
  int code = 0;
  auto m = online(opts, code);
  if (!m) return code;
  auto listed = m->extension<client::flag_desk>()->list(o.state.empty() ? std::nullopt : std::optional{o.state});
  if (!listed) return report(listed.error(), opts);
  auto notices = take_notices(*m, opts);
  if (opts.json) {
    json::array flags;
    for (const auto& e : *listed) {
      auto j = flag_json(e.flag);
      if (e.mine) j["local_state"] = e.mine->state;
      if (e.received && !e.received->problem.empty()) j["problem"] = e.received->problem;
      flags.push_back(std::move(j));
    }
    print_json({{"ok", true}, {"flags", flags}, {"notices", notices}});
    return exit_ok;
  }
  if (listed->empty()) fmt::print("No flags{}.\n", o.state.empty() ? "" : " in state " + o.state);
  for (const auto& e : *listed) fmt::print("{}\n", flag_line(e));
  return exit_ok;
}

int show_command(const common_options& opts, const flag_options& o) {
  int code = 0;
  auto m = online(opts, code);
  if (!m) return code;
  auto d = m->extension<client::flag_desk>()->show(o.id);
  if (!d) return report(d.error(), opts);
  auto notices = take_notices(*m, opts);
  if (opts.json) {
    auto out = details_json(*d);
    out["ok"] = true;
    out["notices"] = notices;
    print_json(out);
    return exit_ok;
  }
  print_details(*d);
  return exit_ok;
}

enum class verb { ack, resolve, hold };

int change_command(const common_options& opts, const flag_options& o, verb v) {
  int code = 0;
  auto m = online(opts, code);
  if (!m) return code;
  auto* desk = m->extension<client::flag_desk>();
  auto f = v == verb::ack ? desk->ack(o.id) : v == verb::resolve ? desk->resolve(o.id, o.outcome) : desk->hold(o.id, o.hold == "on");
  if (!f) return report(f.error(), opts);
  auto notices = take_notices(*m, opts);
  if (opts.json) {
    auto out = flag_json(*f);
    out["ok"] = true;
    out["notices"] = notices;
    print_json(out);
    return exit_ok;
  }
  if (v == verb::ack) fmt::print("Acknowledged flag #{} ({}, {}).\n", f->id, f->category, f->urgency);
  if (v == verb::resolve) fmt::print("Resolved flag #{}: {}.\n", f->id, f->outcome);
  if (v == verb::hold) fmt::print("Flag #{}: legal hold {}.\n", f->id, f->legal_hold ? "set" : "cleared");
  return exit_ok;
}

int note_command(const common_options& opts, flag_options o) {
  o.text = text_or_stdin(std::move(o.text), o.text_given);
  if (o.text.empty()) return usage_error("the note needs a text (--text, or on standard input)", opts);
  int code = 0;
  auto m = online(opts, code);
  if (!m) return code;
  auto n = m->extension<client::flag_desk>()->note(o.id, o.text);
  wipe(o.text);
  if (!n) return report(n.error(), opts);
  auto notices = take_notices(*m, opts);
  if (opts.json) {
    print_json({{"ok", true}, {"flag", n->flag}, {"note", n->note}, {"notices", notices}});
  } else {
    fmt::print("Note {} added to flag #{} (sealed to every SPOC device; the raiser never sees it).\n", n->note, n->flag);
  }
  return exit_ok;
}

CLI::App* with_id(CLI::App* c, const std::shared_ptr<flag_options>& o) {
  c->add_option("id", o->id, "the flag number (see `confidant flag list`)")->required()->check(CLI::PositiveNumber);
  return c;
}

}  // namespace

void add_flag(CLI::App& app, const common_options& opts, action& chosen) {
  auto* sub = app.add_subcommand("flag", "Safeguarding flags: raise one, or (SPOC) handle them");
  sub->require_subcommand(1);
  add_flag_raise(*sub, opts, chosen);

  auto l = std::make_shared<flag_options>();
  auto* list = sub->add_subcommand("list", "Flags you raised, or (SPOC) every flag, newest first");
  list->add_option("--state", l->state, "received, acknowledged or resolved")
      ->check(CLI::IsMember({"received", "acknowledged", "resolved"}));
  list->callback([&opts, &chosen, l] { chosen = [&opts, l] { return list_command(opts, *l); }; });

  auto s = std::make_shared<flag_options>();
  auto* show = with_id(sub->add_subcommand("show", "A flag: (SPOC) its text, quotes with their proof, notes, history"), s);
  show->callback([&opts, &chosen, s] { chosen = [&opts, s] { return show_command(opts, *s); }; });

  auto a = std::make_shared<flag_options>();
  auto* ack = with_id(sub->add_subcommand("ack", "Acknowledge a flag (SPOC): stops the escalation"), a);
  ack->callback([&opts, &chosen, a] { chosen = [&opts, a] { return change_command(opts, *a, verb::ack); }; });

  auto n = std::make_shared<flag_options>();
  auto* note = with_id(sub->add_subcommand("note", "Add a note for the SPOC team (SPOC; the raiser never sees it)"), n);
  note->add_option("--text", n->text, "the note (default: read from standard input)");
  note->callback([&opts, &chosen, n, note] {
    n->text_given = note->count("--text") > 0;
    chosen = [&opts, n] { return note_command(opts, *n); };
  });

  auto r = std::make_shared<flag_options>();
  auto* resolve = with_id(sub->add_subcommand("resolve", "Resolve an acknowledged flag with its outcome (SPOC)"), r);
  std::vector<std::string> outcomes(client::flag_body::outcomes.begin(), client::flag_body::outcomes.end());
  resolve->add_option("--outcome", r->outcome,
                      "referred_to_childrens_social_care, referred_to_police, referred_to_lado, "
                      "wellbeing_support_arranged, advice_given, no_further_action or other")
      ->required()
      ->check(CLI::IsMember(outcomes));
  resolve->callback([&opts, &chosen, r] { chosen = [&opts, r] { return change_command(opts, *r, verb::resolve); }; });

  auto h = std::make_shared<flag_options>();
  auto* hold = with_id(sub->add_subcommand("hold", "Set or clear a flag's legal hold (SPOC)"), h);
  hold->add_option("on_off", h->hold, "on or off")->required()->check(CLI::IsMember({"on", "off"}));
  hold->callback([&opts, &chosen, h] { chosen = [&opts, h] { return change_command(opts, *h, verb::hold); }; });
}

}  // namespace confidant::cli
