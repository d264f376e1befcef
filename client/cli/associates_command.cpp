// confidant associates list|approve|suspend: the coordinator's view of associates and their
// eligibility (protocol.md 7.31).
#include "client/cli/commands.hpp"
#include "client/cli/programme_support.hpp"

#include <fmt/format.h>

namespace confidant::cli {
namespace {
namespace json = boost::json;
namespace pg = client::programme;

struct associates_options {
  std::string status;
  std::string who;
  pg::evidence evidence;
  std::string reason;
};

int list_command(const common_options& opts, const associates_options& o) {
  int code = 0;
  auto s = programme_session::open(opts, code);
  if (!s) return code;
  auto list = s->calls->associates(o.status.empty() ? std::nullopt : std::optional{o.status});
  if (!list) return s->refused(list.error(), opts);
  json::array out;
  for (const auto& a : *list) out.push_back(associate_json(a));
  s->done({{"associates", std::move(out)}}, opts);
  if (!opts.json) {
    if (list->empty()) fmt::print("No associates{}.\n", o.status.empty() ? "" : " " + o.status);
    for (const auto& a : *list) print_associate(a);
  }
  return exit_ok;
}

enum class verb { approve, suspend };

int change_command(const common_options& opts, const associates_options& o, verb v) {
  int code = 0;
  auto s = programme_session::open(opts, code);
  if (!s) return code;
  auto who = s->resolve(o.who);
  if (!who) return report(who.error(), opts);
  auto a = v == verb::approve ? s->calls->approve(who->user, o.evidence) : s->calls->suspend(who->user, o.reason);
  if (!a) {
    const int exit = s->refused(a.error(), opts);
    if (!opts.json && a.error().server_code == "not_eligible") {
      fmt::print(stderr, "Not approved: the evidence does not meet every criterion (at least 5 years as a headteacher, "
                         "the school outstanding or good at its last inspection, training completed, a coaching "
                         "record). Nothing was stored.\n");
    }
    return exit;
  }
  s->done({{"associate", associate_json(*a)}}, opts);
  if (!opts.json) {
    fmt::print("{} {} (user {}): {}.\n", v == verb::approve ? "Approved" : "Suspended", a->display_name, a->user,
               a->status);
    if (v == verb::approve && !a->prof)
      fmt::print("They are offered to headteachers once they have written a profile (confidant profile set).\n");
    if (v == verb::suspend)
      fmt::print("They are no longer offered or paired; their partnerships continue until you end them.\n");
  }
  return exit_ok;
}

}  // namespace

void add_associates(CLI::App& app, const common_options& opts, action& chosen) {
  auto* sub = app.add_subcommand("associates", "Associates and their approval (coordinators)");
  sub->require_subcommand(1);

  auto l = std::make_shared<associates_options>();
  auto* list = sub->add_subcommand("list", "Every associate, with status, load and profile");
  list->add_option("--status", l->status, "pending, approved or suspended")
      ->check(CLI::IsMember({"pending", "approved", "suspended"}));
  list->callback([&opts, &chosen, l] { chosen = [&opts, l] { return list_command(opts, *l); }; });

  auto a = std::make_shared<associates_options>();
  auto* approve = sub->add_subcommand("approve", "Record an associate's evidence and approve them");
  approve->add_option("associate", a->who, "user id or display name")->required();
  approve->add_option("--years", a->evidence.years_as_headteacher, "years as a headteacher (at least 5)")
      ->required()
      ->check(CLI::Range(0, 60));
  approve->add_option("--last-inspection", a->evidence.last_inspection,
                      "their school's last inspection: outstanding, good, requires_improvement or inadequate")
      ->required()
      ->check(CLI::IsMember({"outstanding", "good", "requires_improvement", "inadequate"}));
  approve->add_flag("--training-completed", a->evidence.training_completed, "the programme's training is completed");
  approve->add_flag("--coaching-record", a->evidence.coaching_record, "they have a record of coaching");
  approve->callback([&opts, &chosen, a] { chosen = [&opts, a] { return change_command(opts, *a, verb::approve); }; });

  auto x = std::make_shared<associates_options>();
  auto* suspend = sub->add_subcommand("suspend", "Suspend an approved associate (no new offers or pairings)");
  suspend->add_option("associate", x->who, "user id or display name")->required();
  std::vector<std::string> reasons(pg::suspend_reasons.begin(), pg::suspend_reasons.end());
  suspend->add_option("--reason", x->reason, "eligibility_lapsed, capacity, conduct, leave or other")
      ->required()
      ->check(CLI::IsMember(reasons));
  suspend->callback([&opts, &chosen, x] { chosen = [&opts, x] { return change_command(opts, *x, verb::suspend); }; });
}

}  // namespace confidant::cli
