// confidant feedback request|submit|show and confidant release (protocol.md 7.37). The
// headteacher's answers are sealed to the coordinator who asked and to the headteacher's own
// devices; `release` opens the headteacher's own copy of one answer and seals it again to the
// associate, who can read nothing else of the feedback (the consent gate, docs/crypto.md).
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
using client::sealed_body::purpose;

struct feedback_options {
  std::int64_t cycle = 0;
  std::vector<std::string> lines;  // questions, or answers in item order ("" skips an item)
  std::int64_t item = 0;
};

json::object feedback_json(const pg::feedback& f) {
  json::array questions;
  for (const auto& q : f.questions) questions.emplace_back(q);
  json::object o{{"cycle", f.cycle},
                 {"asked_by", f.asked_by},
                 {"asked_at", client::codec::format_time_ms(f.asked_at_ms)},
                 {"questions", std::move(questions)}};
  if (f.submitted_at_ms) o["submitted_at"] = client::codec::format_time_ms(*f.submitted_at_ms);
  return o;
}

int request_command(const common_options& opts, programme_session& s, const feedback_options& o) {
  auto f = s.calls->feedback_request(o.cycle, o.lines);
  if (!f) return s.refused(f.error(), opts);
  s.done({{"feedback", feedback_json(*f)}}, opts);
  if (!opts.json)
    fmt::print("Asked for feedback on cycle {} ({} question{}); the headteacher is told.\n", f->cycle,
               f->questions.size(), f->questions.size() == 1 ? "" : "s");
  return exit_ok;
}

int submit_command(const common_options& opts, programme_session& s, const feedback_options& given) {
  auto o = given;  // the answers are wiped as they are sealed
  auto asked = s.calls->feedback_of(o.cycle);
  if (!asked) return s.refused(asked.error(), opts);
  if (o.lines.size() > asked->questions.size())
    return usage_error(fmt::format("{} answers for {} questions", o.lines.size(), asked->questions.size()), opts);
  std::vector<pg::answer_in> answers;
  const std::vector<std::int64_t> owners{asked->asked_by, s.m->account().user};
  for (std::size_t i = 0; i < o.lines.size(); ++i) {
    if (o.lines[i].empty()) continue;
    auto bodies = client::sealing::seal_for_each(*s.m, purpose::feedback, owners, o.lines[i]);
    wipe(o.lines[i]);
    if (!bodies) return report(bodies.error(), opts);
    answers.push_back({static_cast<std::int64_t>(i + 1), std::move(*bodies)});
  }
  if (answers.empty()) return usage_error("give at least one answer (--answer TEXT, in the order of the questions)", opts);
  auto f = s.calls->feedback_submit(o.cycle, answers);
  if (!f) return s.refused(f.error(), opts);
  json::array items;
  for (const auto& a : answers) items.emplace_back(a.item);
  s.done({{"feedback", feedback_json(*f)}, {"answered", std::move(items)}}, opts);
  if (!opts.json) {
    fmt::print("Feedback on cycle {} sent to {} ({} answer{}); only they and you can read it.\n", f->cycle,
               s.name(f->asked_by), answers.size(), answers.size() == 1 ? "" : "s");
    fmt::print("The associate sees nothing of it unless you release an item: confidant release {} ITEM\n", f->cycle);
  }
  return exit_ok;
}

int show_command(const common_options& opts, programme_session& s, const feedback_options& o) {
  auto f = s.calls->feedback_of(o.cycle);
  if (!f) return s.refused(f.error(), opts);
  auto out = feedback_json(*f);
  json::array items;
  if (!opts.json)
    fmt::print("Feedback on cycle {}, asked by {} on {}{}\n", f->cycle, s.name(f->asked_by), local_time(f->asked_at_ms),
               f->submitted_at_ms ? ", submitted " + local_time(*f->submitted_at_ms) : std::string{", not yet submitted"});
  // The associate's view: released items only.
  for (const auto& r : f->released) {
    auto text = client::sealing::readable(*s.m, purpose::feedback_release, r.body);
    if (!opts.json) fmt::print("{}. {}\n   {}\n", r.item, r.question, text);
    items.push_back({{"item", r.item}, {"question", r.question}, {"text", text},
                     {"released_at", client::codec::format_time_ms(r.released_at_ms)}});
    wipe(text);
  }
  // The coordinator's and the headteacher's view: every question, with the caller's copy.
  for (std::size_t i = 0; i < f->questions.size(); ++i) {
    const auto item = static_cast<std::int64_t>(i + 1);
    json::object j{{"item", item}, {"question", f->questions[i]}};
    std::string line = "(no answer)";
    for (const auto& a : f->answers) {
      if (a.item != item) continue;
      line = a.body.empty() ? "(answered; no copy for you)" : client::sealing::readable(*s.m, purpose::feedback, a.body);
      if (!a.body.empty()) j["text"] = line;
      if (a.released_at_ms) j["released_at"] = client::codec::format_time_ms(*a.released_at_ms);
    }
    if (!opts.json) {
      const bool released = j.contains("released_at");
      fmt::print("{}. {}\n   {}{}\n", item, f->questions[i], line, released ? "  [released to the associate]" : "");
    }
    wipe(line);
    items.push_back(std::move(j));
  }
  if (!opts.json && s.is("associate") && f->released.empty())
    fmt::print("Nothing of this feedback has been released to you.\n");
  out[s.is("associate") ? "released" : "answers"] = std::move(items);
  s.done({{"feedback", std::move(out)}}, opts);
  return exit_ok;
}

int release_command(const common_options& opts, programme_session& s, const feedback_options& o) {
  auto f = s.calls->feedback_of(o.cycle);
  if (!f) return s.refused(f.error(), opts);
  const pg::answer_item* mine = nullptr;
  for (const auto& a : f->answers)
    if (a.item == o.item) mine = &a;
  if (!mine) return usage_error(fmt::format("item {} of cycle {} was not answered", o.item, o.cycle), opts);
  if (mine->body.empty())
    return usage_error("the server holds no copy of that answer for you: only answers submitted with your own copy can "
                       "be released", opts);
  auto c = s.calls->cycle_show(o.cycle);
  if (!c) return s.refused(c.error(), opts);
  if (c->c.associate == 0) return usage_error(fmt::format("cycle {} has no associate", o.cycle), opts);
  auto sealed = client::sealing::reseal_for(*s.m, purpose::feedback, purpose::feedback_release, c->c.associate, mine->body);
  if (!sealed) {
    auto why = sealed.error();
    if (why.server_code == "not_paired")
      why.detail = "the associate's devices are not known on this device (you never exchanged messages from it), and "
                   "the server no longer gives them: " + why.detail;
    return report(why, opts);
  }
  auto released = s.calls->feedback_release(o.cycle, o.item, sealed->body);
  if (!released) return s.refused(released.error(), opts);
  s.done({{"feedback", feedback_json(*released)}, {"item", o.item}, {"associate", c->c.associate}}, opts);
  if (!opts.json)
    fmt::print("Released item {} of the feedback on cycle {} to {}; they see only what you release.\n", o.item, o.cycle,
               s.name(c->c.associate));
  return exit_ok;
}

using runner = int (*)(const common_options&, programme_session&, const feedback_options&);

void on_run(CLI::App* sub, const common_options& opts, action& chosen, const std::shared_ptr<feedback_options>& o,
          runner run) {
  sub->callback([&opts, &chosen, o, run] {
    chosen = [&opts, o, run] {
      int code = 0;
      auto s = programme_session::open(opts, code);
      return s ? run(opts, *s, *o) : code;
    };
  });
}

}  // namespace

void add_feedback(CLI::App& app, const common_options& opts, action& chosen) {
  auto* sub = app.add_subcommand("feedback", "Feedback at the end of a cycle: asked, answered, shown");
  sub->require_subcommand(1);

  auto q = std::make_shared<feedback_options>();
  auto* request = with_cycle(sub->add_subcommand("request", "Ask the headteacher for feedback (coordinators)"), q->cycle);
  request->add_option("--question", q->lines, "a question (repeat, 1 to 10)")->required()->expected(1, 10);
  on_run(request, opts, chosen, q, request_command);

  auto a = std::make_shared<feedback_options>();
  auto* submit = with_cycle(sub->add_subcommand("submit", "Answer the feedback questions (headteachers; once)"), a->cycle);
  submit->add_option("--answer", a->lines, "an answer, in the order of the questions (repeat; \"\" skips one)")
      ->required()
      ->expected(1, 10);
  on_run(submit, opts, chosen, a, submit_command);

  auto w = std::make_shared<feedback_options>();
  on_run(with_cycle(sub->add_subcommand("show", "The questions and the answers you may read"), w->cycle), opts, chosen, w,
       show_command);

  auto r = std::make_shared<feedback_options>();
  auto* release =
      with_cycle(app.add_subcommand("release", "Release one of your feedback answers to the associate (headteachers)"),
                 r->cycle);
  release->add_option("item", r->item, "the question's number")->required()->check(CLI::PositiveNumber);
  on_run(release, opts, chosen, r, release_command);
}

}  // namespace confidant::cli
