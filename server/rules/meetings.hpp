#pragma once

// Meeting rules (DESIGN.md 2, docs/meetings.md): a proposed meeting must lie inside one open
// window of each participant's contact calendar, no participant may be double-booked (with the
// policy's buffer), an initial meeting is at most policy.initial_meeting_max long, and the caps
// of the policy hold: per cycle (la-peer-support: 6 in-person meetings in a cycle of at most 6
// months from its first meeting) and per term (pastoral-associates: at most 2 meetings a term).
// Pure: the caller reads the meetings from the store and passes them in, with the time.

#include "server/rules/calendar.hpp"
#include "server/rules/policy.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace confidant::rules {

enum class meeting_mode { in_person, online, phone };
enum class meeting_kind { initial, support, supervision };
enum class meeting_state { proposed, accepted, declined, cancelled };

[[nodiscard]] std::string_view name(meeting_mode m) noexcept;
[[nodiscard]] std::string_view name(meeting_kind k) noexcept;
[[nodiscard]] std::string_view name(meeting_state s) noexcept;
[[nodiscard]] std::optional<meeting_mode> parse_meeting_mode(std::string_view s) noexcept;
[[nodiscard]] std::optional<meeting_kind> parse_meeting_kind(std::string_view s) noexcept;
[[nodiscard]] std::optional<meeting_state> parse_meeting_state(std::string_view s) noexcept;

// Proposed and accepted meetings count (toward caps, and as busy time); declined and cancelled
// ones do not.
[[nodiscard]] constexpr bool counts(meeting_state s) noexcept {
  return s == meeting_state::proposed || s == meeting_state::accepted;
}

// What the rules see of a stored meeting.
struct meeting {
  std::int64_t id = 0;
  std::int64_t pairing = 0;      // the headteacher-associate pairing; 0 for supervision
  std::int64_t associate = 0;    // the associate taking part
  std::int64_t counterpart = 0;  // the headteacher, or the coordinator for supervision
  interval when{};
  meeting_mode mode = meeting_mode::in_person;
  meeting_kind kind = meeting_kind::support;
  meeting_state state = meeting_state::proposed;

  [[nodiscard]] bool involves(std::int64_t user) const noexcept { return user == associate || user == counterpart; }
};

// A proposal, or the new time of a reschedule (`replaces` is then the meeting's own id: it is
// neither busy time nor counted against itself).
struct meeting_proposal {
  std::int64_t pairing = 0;  // 0 for supervision
  std::int64_t associate = 0;
  std::int64_t counterpart = 0;
  interval when{};
  meeting_mode mode = meeting_mode::in_person;
  meeting_kind kind = meeting_kind::support;
  std::int64_t replaces = 0;
};

// Which rule a refusal comes from (each maps to one wire error code, docs/protocol.md 6).
enum class meeting_rule {
  in_past,           // starts at or before now
  outside_window,    // not inside one open window of a participant's calendar
  too_long,          // an initial meeting longer than policy.initial_meeting_max
  double_booked,     // overlaps (with the buffer) another meeting of a participant
  cycle_cap,         // the in-person cap of the cycle is used up
  cycle_ended,       // the meeting falls after the cycle's end: the review is due first
  term_cap,          // the per-term cap is used up
};

// A refusal names the rule and the numbers, in `message` for people and in the fields below for
// programs (only the ones the rule uses are set).
struct meeting_refusal {
  meeting_rule rule = meeting_rule::outside_window;
  std::string message{};
  std::int64_t user = 0;                   // outside_window, double_booked: whose calendar or diary
  std::optional<time_point> next_opening{};  // outside_window: when that participant's window next opens
  std::int64_t used = 0;                   // caps: meetings already counting
  std::int64_t cap = 0;                    // caps: the limit
  std::optional<civil_date> ends_on{};     // cycle caps: the cycle's last day
  std::optional<term_ref> term{};          // term_cap
  std::chrono::minutes limit{0};           // too_long: the longest allowed; double_booked: the buffer
};

// The cycle of one pairing (la-peer-support): it starts on the civil date of its first counting
// meeting and lasts at most policy.cycle_months months; its last day is `ends_on`. The coordinator
// extends or closes a cycle whose review is due (issue 6); until then no meeting may be added
// after `ends_on` nor beyond the cap.
struct cycle_status {
  civil_date starts_on{};
  civil_date ends_on{};
  std::int64_t used = 0;  // counting in-person meetings
  std::int64_t cap = 0;
  bool review_due = false;  // the cap is reached, or `today` is after ends_on
};

// The per-term allowance of one pairing (pastoral-associates).
struct term_status {
  term_ref term;
  std::int64_t used = 0;  // counting meetings in that term
  std::int64_t cap = 0;
};

// `months` calendar months after d, clamped to the end of a shorter month (31 August + 6 months
// is 28 or 29 February).
[[nodiscard]] civil_date add_months(civil_date d, int months);

// The cycle of a pairing from its meetings (any states; supervision and non-counting ones and
// `excluding` are ignored), or nullopt when the policy has no cycle or no meeting counts yet.
// The civil dates are in cal's time zone.
[[nodiscard]] std::optional<cycle_status> cycle_of(const policy& pol, const calendar& cal,
                                                   std::span<const meeting> pairing_meetings, civil_date today,
                                                   std::int64_t excluding = 0);

// The term allowance for the term holding `day`, or nullopt when the policy has no per-term cap
// or day is in no term.
[[nodiscard]] std::optional<term_status> term_of(const policy& pol, const calendar& cal,
                                                 std::span<const meeting> pairing_meetings, civil_date day,
                                                 std::int64_t excluding = 0);

// What moves a cycle on by itself (DESIGN.md 2, docs/protocol.md 7.29): `active` once an accepted
// initial or support meeting has started; `review_due` once accepted in-person meetings use the
// cap, or `today` is after the cycle's last day (policies with cycles only).
[[nodiscard]] bool first_meeting_held(std::span<const meeting> cycle_meetings, time_point now);
[[nodiscard]] bool review_reached(const policy& pol, const calendar& cal, std::span<const meeting> cycle_meetings,
                                  civil_date today);

// The meeting rules, checked in this order (the first failing one is reported): in_past,
// too_long, outside_window (the associate's calendar, then the counterpart's), double_booked,
// then the caps (cycle_ended, cycle_cap, term_cap). Supervision meetings are checked for the
// windows and double-booking only: they never count toward a pairing's caps.
//
// `busy` holds the participants' meetings near the proposal (any states; only counting ones
// other than `replaces` matter); `pairing_meetings` every meeting of the pairing (empty for
// supervision). nullopt when the proposal may be stored.
struct meeting_context {
  const policy& pol;
  const calendar& associate_calendar;
  const calendar& counterpart_calendar;
  std::span<const meeting> busy;
  std::span<const meeting> pairing_meetings;
  time_point now;
};
[[nodiscard]] std::optional<meeting_refusal> check_proposal(const meeting_context& ctx, const meeting_proposal& p);

}  // namespace confidant::rules
