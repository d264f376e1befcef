// confidant windows show [USER]: the open contact windows of a user (protocol.md 7.22).
#include "client/cli/commands.hpp"
#include "client/cli/meeting_support.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/meetings.hpp"
#include "client/lib/messenger.hpp"

#include <fmt/format.h>

namespace confidant::cli {
namespace {
namespace json = boost::json;

struct windows_options {
  std::string user;
  std::string from;
  int days = 14;
};

int show_command(const common_options& opts, const windows_options& o) {
  const auto from = o.from.empty() ? std::optional<std::int64_t>{now_ms()} : parse_when(o.from);
  if (!from) return usage_error("--from must be a time like 2026-11-26 10:00 or 2026-11-26T10:00Z", opts);
  const auto to = *from + std::int64_t{o.days} * 86'400'000;
  int code = 0;
  auto m = open_messenger(opts, true, code);
  if (!m) return code;
  std::optional<std::int64_t> user;
  std::string name = m->account().display_name;
  if (!o.user.empty()) {
    auto who = m->resolve_contact(o.user);
    if (!who) {
      (void)m->refresh_contacts();
      who = m->resolve_contact(o.user);
      if (!who) return report(who.error(), opts);
    }
    user = who->user;
    name = who->display_name;
  }
  client::meetings::calls calls{*m->raw_connection()};
  auto w = calls.windows(user, *from, to);
  if (!w) return report(w.error(), opts);
  auto notices = take_notices(*m, opts);
  if (opts.json) {
    json::array list;
    for (const auto& x : *w)
      list.push_back({{"start", client::codec::format_time_ms(x.start_ms)}, {"end", client::codec::format_time_ms(x.end_ms)}});
    print_json({{"ok", true}, {"user", user.value_or(m->account().user)}, {"windows", list}, {"notices", notices}});
    return exit_ok;
  }
  fmt::print("Contact windows of {} from {} ({} days):\n", name, local_time(*from), o.days);
  if (w->empty()) fmt::print("  none (holidays, or no term dates loaded for then)\n");
  for (const auto& x : *w) fmt::print("  {} - {}\n", local_time(x.start_ms), local_clock(x.end_ms));
  return exit_ok;
}

}  // namespace

void add_windows(CLI::App& app, const common_options& opts, action& chosen) {
  auto* sub = app.add_subcommand("windows", "When contact is possible (term time, weekdays, school hours)");
  sub->require_subcommand(1);
  auto o = std::make_shared<windows_options>();
  auto* show = sub->add_subcommand("show", "Show the open contact windows of you or a contact");
  show->add_option("user", o->user, "user id or display name (default: yourself)");
  show->add_option("--from", o->from, "from (default: now)");
  show->add_option("--days", o->days, "how many days (1 to 62)")->check(CLI::Range(1, 62))->capture_default_str();
  show->callback([&opts, &chosen, o] { chosen = [&opts, o] { return show_command(opts, *o); }; });
}

}  // namespace confidant::cli
