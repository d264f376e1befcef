// confidant windows show [USER]: the open contact windows of a user (protocol.md 7.22);
// confidant windows set|clear: your own narrower window (7.22a).
#include "client/cli/commands.hpp"
#include "client/cli/meeting_support.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/meetings.hpp"
#include "client/lib/messenger.hpp"

#include <fmt/format.h>

#include <array>
#include <optional>
#include <string_view>
#include <vector>

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

constexpr std::array<std::string_view, 7> day_names{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// "mon,tue,wed", "mon-wed" or "1,2,3" -> ISO weekdays; nullopt when not understood.
std::optional<std::vector<int>> parse_days(std::string_view text) {
  auto day = [](std::string_view s) -> int {
    for (std::size_t i = 0; i < day_names.size(); ++i)
      if (s == day_names[i] || s == std::to_string(i + 1)) return static_cast<int>(i + 1);
    return 0;
  };
  std::vector<int> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto part = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    const auto dash = part.find('-');
    const int from = day(part.substr(0, dash));
    const int to = dash == std::string_view::npos ? from : day(part.substr(dash + 1));
    if (from == 0 || to == 0 || to < from) return std::nullopt;
    for (int d = from; d <= to; ++d) out.push_back(d);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

void print_window(const json::object& w, const common_options& opts, std::string_view what) {
  if (opts.json) {
    print_json({{"ok", true}, {"window", w}});
    return;
  }
  std::string days;
  for (const auto& d : w.at("days").as_array()) {
    const auto i = static_cast<std::size_t>(d.as_int64());
    if (i >= 1 && i <= 7) days += (days.empty() ? "" : ", ") + std::string{day_names[i - 1]};
  }
  fmt::print("{}: {} {}-{} (Europe/London), in term time, bank holidays excepted.\n", what, days,
             std::string{w.at("start").as_string()}, std::string{w.at("end").as_string()});
}

int set_command(const common_options& opts, const std::string& days_text, const std::string& start,
                const std::string& end) {
  const auto days = parse_days(days_text);
  if (!days) return usage_error("--days takes weekdays like mon-wed or mon,tue,thu", opts);
  int code = 0;
  auto m = open_messenger(opts, true, code);
  if (!m) return code;
  client::meetings::calls calls{*m->raw_connection()};
  auto w = calls.set_window(*days, start, end);
  if (!w) return report(w.error(), opts);
  print_window(*w, opts, "Your contact window is now");
  return exit_ok;
}

int clear_command(const common_options& opts) {
  int code = 0;
  auto m = open_messenger(opts, true, code);
  if (!m) return code;
  client::meetings::calls calls{*m->raw_connection()};
  auto w = calls.clear_window();
  if (!w) return report(w.error(), opts);
  print_window(*w, opts, "Your contact window is the programme's again");
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

  struct set_options {
    std::string days, start, end;
  };
  auto s = std::make_shared<set_options>();
  auto* set = sub->add_subcommand("set", "Narrow your own contact window (never wider than the programme's)");
  set->add_option("--days", s->days, "weekdays, e.g. mon-wed or mon,tue,thu")->required();
  set->add_option("--start", s->start, "from HH:MM (default: the programme's start)");
  set->add_option("--end", s->end, "until HH:MM (default: the programme's end)");
  set->callback([&opts, &chosen, s] { chosen = [&opts, s] { return set_command(opts, s->days, s->start, s->end); }; });
  auto* clear = sub->add_subcommand("clear", "Go back to the programme's contact window");
  clear->callback([&opts, &chosen] { chosen = [&opts] { return clear_command(opts); }; });
}

}  // namespace confidant::cli
