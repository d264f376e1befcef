#include "server/rules/meetings.hpp"

#include "server/rules/calendar_queries.hpp"
#include "server/rules/time_format.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace confidant::rules {
namespace {

constexpr std::array<std::string_view, 3> mode_names{"in_person", "online", "phone"};
constexpr std::array<std::string_view, 3> kind_names{"initial", "support", "supervision"};
constexpr std::array<std::string_view, 4> state_names{"proposed", "accepted", "declined", "cancelled"};

template <class E, std::size_t N>
std::optional<E> parse_in(const std::array<std::string_view, N>& names, std::string_view s) noexcept {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  return std::nullopt;
}

std::string hhmm(std::chrono::minutes m) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(m.count() / 60), static_cast<int>(m.count() % 60));
  return buf;
}

civil_date day_of(const calendar& cal, time_point t) { return to_civil(cal.zone(), t).day; }

// Why `t` is not inside an open window of cal, for people: "Saturday 2026-11-21",
// "2026-10-27 is in October half term", "2027-05-03 is a bank holiday (Early May bank holiday)".
std::string why_closed(const calendar& cal, time_point t) {
  const auto day = day_of(cal, t);
  const auto text = format_civil_date(day);
  static constexpr std::array<const char*, 7> weekdays{"Monday", "Tuesday", "Wednesday", "Thursday",
                                                       "Friday", "Saturday", "Sunday"};
  if (!cal.hours().days.contains(iso_weekday(day)))
    return text + " is a " + weekdays[iso_weekday(day) - 1] + " (no contact that day of the week)";
  if (const auto* h = cal.holidays().find(day)) return text + " is a bank holiday (" + h->title + ")";
  if (cal.uses_term_time()) {
    for (const auto& y : cal.years()) {
      const term* tm = y.term_on(day);
      if (!tm) continue;
      for (const auto& ht : tm->half_terms)
        if (ht.dates.contains(day)) return text + " is in " + (ht.name.empty() ? std::string{"a half term"} : ht.name);
      for (const auto& c : y.closures)
        if (c.dates.contains(day)) return text + " is a school closure (" + c.reason + ")";
    }
    if (!cal.term_on(day)) return text + " is outside term time";
  }
  return "contact hours on " + text + " are " + hhmm(cal.hours().start) + "-" + hhmm(cal.hours().end) +
         " Europe/London";
}

bool inside_one_window(const calendar& cal, const interval& when) {
  auto w = windows_between(cal, when.start, when.end);
  return w && w->size() == 1 && w->front() == when;
}

std::optional<meeting_refusal> check_window(const calendar& cal, std::int64_t user, const interval& when) {
  if (inside_one_window(cal, when)) return std::nullopt;
  meeting_refusal r;
  r.rule = meeting_rule::outside_window;
  r.user = user;
  // Whichever end is outside (the start first), or the meeting spans a closing time.
  const time_point probe = !is_open(cal, when.start) ? when.start : when.end - std::chrono::milliseconds{1};
  std::string why = why_closed(cal, probe);
  if (is_open(cal, when.start) && is_open(cal, when.end - std::chrono::milliseconds{1}))
    why = "a meeting must lie inside one day's window";
  r.message = "outside the contact window of user " + std::to_string(user) + ": " + why;
  if (auto next = next_opening(cal, when.start)) {
    r.next_opening = *next;
    r.message += "; the next window opens " + format_utc(*next);
  }
  return r;
}

bool overlaps_with_buffer(const interval& a, const interval& b, std::chrono::minutes buffer) {
  return b.start - buffer < a.end && a.start < b.end + buffer;
}

// The counting, non-supervision meetings of a pairing, other than `excluding`.
template <class Fn>
void for_counting(std::span<const meeting> ms, std::int64_t excluding, Fn&& fn) {
  for (const auto& m : ms)
    if (counts(m.state) && m.kind != meeting_kind::supervision && m.id != excluding) fn(m);
}

std::string term_text(const term_ref& t) {
  return t.term + " term " + t.year + " (" + format_civil_date(t.dates.first) + " to " +
         format_civil_date(t.dates.last) + ")";
}

}  // namespace

std::string_view name(meeting_mode m) noexcept { return mode_names[static_cast<std::size_t>(m)]; }
std::string_view name(meeting_kind k) noexcept { return kind_names[static_cast<std::size_t>(k)]; }
std::string_view name(meeting_state s) noexcept { return state_names[static_cast<std::size_t>(s)]; }
std::optional<meeting_mode> parse_meeting_mode(std::string_view s) noexcept {
  return parse_in<meeting_mode>(mode_names, s);
}
std::optional<meeting_kind> parse_meeting_kind(std::string_view s) noexcept {
  return parse_in<meeting_kind>(kind_names, s);
}
std::optional<meeting_state> parse_meeting_state(std::string_view s) noexcept {
  return parse_in<meeting_state>(state_names, s);
}

civil_date add_months(civil_date d, int months) {
  const date::year_month_day ymd{d};
  const auto ym = date::year_month{ymd.year(), ymd.month()} + date::months{months};
  const auto last = date::year_month_day_last{ym.year(), date::month_day_last{ym.month()}}.day();
  return civil_date{ym / std::min(ymd.day(), last)};
}

std::optional<cycle_status> cycle_of(const policy& pol, const calendar& cal, std::span<const meeting> pairing_meetings,
                                     civil_date today, std::int64_t excluding) {
  if (!pol.cycle_months) return std::nullopt;
  std::optional<civil_date> first;
  std::int64_t in_person = 0;
  for_counting(pairing_meetings, excluding, [&](const meeting& m) {
    const auto d = day_of(cal, m.when.start);
    if (!first || d < *first) first = d;
    if (m.mode == meeting_mode::in_person) ++in_person;
  });
  if (!first) return std::nullopt;
  cycle_status c;
  c.starts_on = *first;
  c.ends_on = add_months(*first, *pol.cycle_months);
  c.used = in_person;
  c.cap = pol.max_in_person_meetings.value_or(0);
  c.review_due = today > c.ends_on || (pol.max_in_person_meetings && in_person >= *pol.max_in_person_meetings);
  return c;
}

bool first_meeting_held(std::span<const meeting> cycle_meetings, time_point now) {
  return std::ranges::any_of(cycle_meetings, [now](const meeting& m) {
    return m.kind != meeting_kind::supervision && m.state == meeting_state::accepted && m.when.start <= now;
  });
}

bool review_reached(const policy& pol, const calendar& cal, std::span<const meeting> cycle_meetings, civil_date today) {
  const auto cycle = cycle_of(pol, cal, cycle_meetings, today);
  if (!cycle) return false;
  if (today > cycle->ends_on) return true;
  if (!pol.max_in_person_meetings) return false;
  const auto accepted_in_person = std::ranges::count_if(cycle_meetings, [](const meeting& m) {
    return m.kind != meeting_kind::supervision && m.state == meeting_state::accepted && m.mode == meeting_mode::in_person;
  });
  return accepted_in_person >= *pol.max_in_person_meetings;
}

std::optional<term_status> term_of(const policy& pol, const calendar& cal, std::span<const meeting> pairing_meetings,
                                   civil_date day, std::int64_t excluding) {
  if (!pol.max_meetings_per_term) return std::nullopt;
  auto t = cal.term_on(day);
  if (!t) return std::nullopt;
  term_status s{*t, 0, *pol.max_meetings_per_term};
  for_counting(pairing_meetings, excluding, [&](const meeting& m) {
    if (t->dates.contains(day_of(cal, m.when.start))) ++s.used;
  });
  return s;
}

std::optional<meeting_refusal> check_proposal(const meeting_context& ctx, const meeting_proposal& p) {
  const auto& pol = ctx.pol;
  if (p.when.start <= ctx.now) {
    return meeting_refusal{.rule = meeting_rule::in_past, .message = "a meeting must start in the future"};
  }
  const auto length = std::chrono::duration_cast<std::chrono::minutes>(p.when.end - p.when.start);
  if (p.kind == meeting_kind::initial && pol.initial_meeting_max && p.when.end - p.when.start > *pol.initial_meeting_max) {
    meeting_refusal r{.rule = meeting_rule::too_long, .limit = *pol.initial_meeting_max};
    r.message = "an initial meeting lasts at most " + std::to_string(pol.initial_meeting_max->count()) +
                " minutes (this one: " + std::to_string(length.count()) + ")";
    return r;
  }
  if (auto r = check_window(ctx.associate_calendar, p.associate, p.when)) return r;
  if (auto r = check_window(ctx.counterpart_calendar, p.counterpart, p.when)) return r;

  for (const auto& m : ctx.busy) {
    if (!counts(m.state) || (p.replaces != 0 && m.id == p.replaces)) continue;
    if (!overlaps_with_buffer(p.when, m.when, pol.meeting_buffer)) continue;
    const std::int64_t who = m.involves(p.associate) ? p.associate : m.involves(p.counterpart) ? p.counterpart : 0;
    if (who == 0) continue;
    meeting_refusal r{.rule = meeting_rule::double_booked, .user = who, .limit = pol.meeting_buffer};
    // Only that there is one: the other meeting may be with someone else.
    r.message = "user " + std::to_string(who) + " has another meeting at that time";
    if (pol.meeting_buffer.count() > 0)
      r.message += " (meetings need " + std::to_string(pol.meeting_buffer.count()) + " minutes between them)";
    return r;
  }

  if (p.kind == meeting_kind::supervision) return std::nullopt;
  const auto& cal = ctx.associate_calendar;
  const auto day = day_of(cal, p.when.start);
  if (pol.cycle_months) {
    // The cycle with this meeting in it: it may start earlier than the current one.
    meeting self{.id = -1, .pairing = p.pairing, .associate = p.associate, .counterpart = p.counterpart,
                 .when = p.when, .mode = p.mode, .kind = p.kind, .state = meeting_state::proposed};
    std::vector<meeting> with(ctx.pairing_meetings.begin(), ctx.pairing_meetings.end());
    with.push_back(self);
    const auto cycle = cycle_of(pol, cal, with, day, p.replaces);
    std::optional<civil_date> last;
    for_counting(with, p.replaces, [&](const meeting& m) {
      const auto d = day_of(cal, m.when.start);
      if (!last || d > *last) last = d;
    });
    if (cycle && last && *last > cycle->ends_on) {
      meeting_refusal r{.rule = meeting_rule::cycle_ended, .ends_on = cycle->ends_on};
      r.message = "the cycle that began " + format_civil_date(cycle->starts_on) + " lasts at most " +
                  std::to_string(*pol.cycle_months) + " months, to " + format_civil_date(cycle->ends_on) +
                  "; a later meeting needs the coordinator's review (extend or close) first";
      return r;
    }
    if (p.mode == meeting_mode::in_person && pol.max_in_person_meetings && cycle &&
        cycle->used > *pol.max_in_person_meetings) {
      const auto used = cycle->used - 1;  // without this proposal
      meeting_refusal r{.rule = meeting_rule::cycle_cap, .used = used, .cap = *pol.max_in_person_meetings,
                        .ends_on = cycle->ends_on};
      r.message = std::to_string(used) + " of " + std::to_string(r.cap) + " in-person meetings used in the cycle ending " +
                  format_civil_date(cycle->ends_on);
      return r;
    }
  }
  if (pol.max_meetings_per_term) {
    if (auto t = term_of(pol, cal, ctx.pairing_meetings, day, p.replaces); t && t->used >= t->cap) {
      meeting_refusal r{.rule = meeting_rule::term_cap, .used = t->used, .cap = t->cap, .term = t->term};
      r.message = std::to_string(t->used) + " of " + std::to_string(t->cap) + " meetings used in the " + term_text(t->term);
      return r;
    }
  }
  return std::nullopt;
}

}  // namespace confidant::rules
