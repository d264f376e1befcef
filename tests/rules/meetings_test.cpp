// Meeting rules (server/rules/meetings.hpp) on the shipped example calendars (2026-27, 2027-28):
// windows across the clock changes, weekends, half terms, bank holidays (moved and one-off),
// closures and term boundaries; double-booking with a buffer; the initial meeting's length; the
// cycle cap and end (la-peer-support) and the per-term cap (pastoral-associates).
#include "server/rules/meetings.hpp"

#include "server/rules/time_format.hpp"
#include "tests/rules/calendar_fixtures.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace confidant::rules {
namespace {

using namespace std::chrono_literals;
using testing::day;
using testing::london_at;
using testing::utc;

constexpr std::int64_t head = 10, assoc = 20, other_head = 11, coordinator = 30;
constexpr std::int64_t pairing = 1, other_pairing = 2;

// Proposals and meetings are written as London wall-clock times.
interval at(int y, unsigned m, unsigned d, int hh, int mm, std::chrono::minutes length) {
  const auto s = london_at(y, m, d, hh, mm);
  return {s, s + length};
}

meeting stored(std::int64_t id, interval when, meeting_mode mode = meeting_mode::in_person,
               meeting_state state = meeting_state::accepted, meeting_kind kind = meeting_kind::support,
               std::int64_t with = head, std::int64_t pair = pairing) {
  return {.id = id, .pairing = pair, .associate = assoc, .counterpart = with, .when = when, .mode = mode,
          .kind = kind, .state = state};
}

meeting_proposal propose(interval when, meeting_mode mode = meeting_mode::in_person,
                         meeting_kind kind = meeting_kind::support, std::int64_t replaces = 0) {
  return {.pairing = kind == meeting_kind::supervision ? 0 : pairing, .associate = assoc,
          .counterpart = kind == meeting_kind::supervision ? coordinator : head, .when = when, .mode = mode,
          .kind = kind, .replaces = replaces};
}

struct meeting_rules : ::testing::Test {
  calendar cal = testing::school_calendar();
  policy peer = *preset("la-peer-support");
  policy pastoral = *preset("pastoral-associates");
  time_point now = utc(2026, 9, 7, 12);  // Monday of the first full week of term

  std::optional<meeting_refusal> check(const policy& pol, const meeting_proposal& p, std::vector<meeting> busy = {},
                                       std::vector<meeting> pair = {}) const {
    return check_proposal({pol, cal, cal, busy, pair, now}, p);
  }
};

// ---- windows ------------------------------------------------------------------------------------

struct window_case {
  const char* label;
  interval when;
  bool allowed;
  const char* why;           // part of the refusal's message
  time_point next_opening;   // when refused
};

TEST_F(meeting_rules, WindowsTable) {
  const window_case cases[] = {
      {"ordinary Wednesday, winter time", at(2026, 11, 18, 10, 0, 60min), true, "", {}},
      {"starts as the window opens (BST: 08:00 London is 07:00Z)", at(2026, 10, 23, 8, 0, 60min), true, "", {}},
      {"ends as the window closes", at(2026, 10, 23, 17, 0, 60min), true, "", {}},
      {"BST, 07:30 London is before the window", at(2026, 10, 23, 7, 30, 60min), false, "contact hours on 2026-10-23",
       london_at(2026, 10, 23, 8)},
      {"after the clocks go back: 08:00 London is 08:00Z", at(2026, 11, 2, 8, 0, 30min), true, "", {}},
      {"07:00Z is 07:00 London in winter: closed", {utc(2026, 11, 2, 7), utc(2026, 11, 2, 8)}, false,
       "contact hours on 2026-11-02", utc(2026, 11, 2, 8)},
      {"runs past 18:00", at(2026, 11, 18, 17, 30, 60min), false, "contact hours on 2026-11-18",
       london_at(2026, 11, 18, 17, 30)},
      {"spans the night", {london_at(2026, 11, 18, 17), london_at(2026, 11, 19, 9)}, false, "one day's window",
       london_at(2026, 11, 18, 17)},
      {"Saturday", at(2026, 11, 21, 10, 0, 60min), false, "2026-11-21 is a Saturday", london_at(2026, 11, 23, 8)},
      {"Sunday of the clocks going back", at(2026, 10, 25, 10, 0, 60min), false, "is a Sunday",
       london_at(2026, 11, 2, 8)},
      {"October half term (Monday after the change)", at(2026, 10, 26, 10, 0, 60min), false,
       "2026-10-26 is in October half term", london_at(2026, 11, 2, 8)},
      {"February half term", at(2027, 2, 17, 10, 0, 60min), false, "February half term", london_at(2027, 2, 22, 8)},
      {"INSET day", at(2027, 1, 4, 10, 0, 60min), false, "school closure (INSET day)", london_at(2027, 1, 5, 8)},
      {"Christmas holidays: moved Boxing Day", at(2026, 12, 28, 10, 0, 60min), false,
       "2026-12-28 is a bank holiday (Boxing Day)", london_at(2027, 1, 5, 8)},
      {"last day of the autumn term", at(2026, 12, 18, 16, 0, 60min), true, "", {}},
      {"first day of the holidays", at(2026, 12, 21, 10, 0, 60min), false, "outside term time",
       london_at(2027, 1, 5, 8)},
      {"last day of the spring term, winter time", at(2027, 3, 25, 17, 0, 60min), true, "", {}},
      {"Good Friday", at(2027, 3, 26, 10, 0, 60min), false, "bank holiday (Good Friday)", london_at(2027, 4, 12, 8)},
      {"first day of the summer term, BST", at(2027, 4, 12, 8, 0, 60min), true, "", {}},
      {"Early May bank holiday in term", at(2027, 5, 3, 10, 0, 60min), false, "2027-05-03 is a bank holiday",
       london_at(2027, 5, 4, 8)},
      {"INSET on the last day of the year", at(2027, 7, 21, 10, 0, 60min), false, "school closure",
       london_at(2027, 9, 3, 8)},
      {"the end of the academic year", at(2027, 7, 20, 17, 0, 60min), true, "", {}},
      {"summer holidays", at(2027, 8, 2, 10, 0, 60min), false, "outside term time", london_at(2027, 9, 3, 8)},
      {"next academic year, after its INSET days", at(2027, 9, 3, 9, 0, 60min), true, "", {}},
      {"New Year's Day moved to Monday 3 January 2028", at(2028, 1, 3, 10, 0, 60min), false, "bank holiday",
       london_at(2028, 1, 5, 8)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    const auto r = check(peer, propose(c.when));
    if (c.allowed) {
      EXPECT_FALSE(r) << r->message;
      continue;
    }
    ASSERT_TRUE(r);
    EXPECT_EQ(r->rule, meeting_rule::outside_window);
    EXPECT_EQ(r->user, assoc);
    EXPECT_NE(r->message.find(c.why), std::string::npos) << r->message;
    ASSERT_TRUE(r->next_opening);
    EXPECT_EQ(*r->next_opening, c.next_opening) << format_utc(*r->next_opening);
  }
}

TEST_F(meeting_rules, AOneOffBankHolidayClosesATermDay) {
  EXPECT_FALSE(check(peer, propose(at(2027, 6, 8, 10, 0, 60min))));
  auto days = testing::shipped_holidays().all();
  days.push_back({day(2027, 6, 8), "Royal occasion", "One-off"});
  auto holidays = bank_holidays::from(days);
  ASSERT_TRUE(holidays);
  cal = testing::school_calendar(*holidays);
  const auto r = check(peer, propose(at(2027, 6, 8, 10, 0, 60min)));
  ASSERT_TRUE(r);
  EXPECT_NE(r->message.find("bank holiday (Royal occasion)"), std::string::npos) << r->message;
}

TEST_F(meeting_rules, EachParticipantsWindowIsChecked) {
  auto narrow = cal.narrowed({weekday_set{1, 2, 3}, 9h, 15h});  // Monday-Wednesday 09:00-15:00
  ASSERT_TRUE(narrow);
  const auto p = propose(at(2026, 11, 19, 10, 0, 60min));  // a Thursday
  EXPECT_FALSE(check_proposal({peer, cal, cal, {}, {}, now}, p));
  const auto r = check_proposal({peer, cal, *narrow, {}, {}, now}, p);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->user, head);
  EXPECT_EQ(*r->next_opening, london_at(2026, 11, 23, 9));
  EXPECT_TRUE(check_proposal({peer, cal, *narrow, {}, {}, now}, propose(at(2026, 11, 18, 14, 30, 60min))));
}

// ---- time, length, double-booking -----------------------------------------------------------------

TEST_F(meeting_rules, AMeetingStartsInTheFuture) {
  now = london_at(2026, 11, 18, 10);
  EXPECT_EQ(check(peer, propose(at(2026, 11, 18, 10, 0, 30min)))->rule, meeting_rule::in_past);
  EXPECT_FALSE(check(peer, propose(at(2026, 11, 18, 10, 1, 30min))));
}

TEST_F(meeting_rules, AnInitialMeetingLastsAtMostAnHour) {
  EXPECT_FALSE(check(peer, propose(at(2026, 11, 18, 10, 0, 60min), meeting_mode::online, meeting_kind::initial)));
  const auto r = check(peer, propose(at(2026, 11, 18, 10, 0, 61min), meeting_mode::online, meeting_kind::initial));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->rule, meeting_rule::too_long);
  EXPECT_EQ(r->limit, 60min);
  EXPECT_EQ(r->message, "an initial meeting lasts at most 60 minutes (this one: 61)");
  EXPECT_FALSE(check(peer, propose(at(2026, 11, 18, 10, 0, 90min))));  // a support meeting may be longer
  EXPECT_FALSE(check(pastoral, propose(at(2026, 11, 18, 10, 0, 90min), meeting_mode::online, meeting_kind::initial)));
}

TEST_F(meeting_rules, AnAssociateIsNeverDoubleBooked) {
  // The associate meets another headteacher 10:00-11:00.
  const std::vector<meeting> busy{stored(7, at(2026, 11, 18, 10, 0, 60min), meeting_mode::online,
                                         meeting_state::accepted, meeting_kind::support, other_head, other_pairing)};
  const auto r = check(peer, propose(at(2026, 11, 18, 10, 30, 60min)), busy);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->rule, meeting_rule::double_booked);
  EXPECT_EQ(r->user, assoc);
  EXPECT_FALSE(check(peer, propose(at(2026, 11, 18, 11, 0, 60min)), busy));  // back to back
  EXPECT_FALSE(check(peer, propose(at(2026, 11, 18, 9, 0, 60min)), busy));
  policy buffered = peer;
  buffered.meeting_buffer = 15min;
  EXPECT_EQ(check(buffered, propose(at(2026, 11, 18, 11, 0, 60min)), busy)->rule, meeting_rule::double_booked);
  EXPECT_NE(check(buffered, propose(at(2026, 11, 18, 8, 50, 60min)), busy)->message.find("15 minutes"), std::string::npos);
  EXPECT_FALSE(check(buffered, propose(at(2026, 11, 18, 11, 15, 60min)), busy));
  // Declined and cancelled meetings are free time; a meeting does not clash with itself.
  for (auto st : {meeting_state::declined, meeting_state::cancelled}) {
    auto freed = busy;
    freed[0].state = st;
    EXPECT_FALSE(check(peer, propose(at(2026, 11, 18, 10, 30, 60min)), freed));
  }
  EXPECT_FALSE(check(peer, propose(at(2026, 11, 18, 10, 30, 60min), meeting_mode::online, meeting_kind::support, 7), busy));
  // The headteacher's (or coordinator's) diary counts too.
  const std::vector<meeting> head_busy{stored(8, at(2026, 11, 18, 14, 0, 60min))};
  auto other_assoc = propose(at(2026, 11, 18, 14, 0, 30min));
  other_assoc.associate = 21;
  EXPECT_EQ(check(peer, other_assoc, head_busy)->user, head);
}

// ---- cycle caps (la-peer-support) -----------------------------------------------------------------

struct meeting_cycles : meeting_rules {
  // Five in-person meetings from Wednesday 18 November 2026; the cycle ends 18 May 2027.
  std::vector<meeting> five() const {
    std::vector<meeting> out;
    std::int64_t id = 0;
    for (unsigned d : {18u, 19u, 20u, 23u, 24u}) out.push_back(stored(++id, at(2026, 11, d, 10, 0, 60min)));
    return out;
  }
};

TEST_F(meeting_cycles, AddMonthsClampsToShorterMonths) {
  EXPECT_EQ(add_months(day(2026, 11, 18), 6), day(2027, 5, 18));
  EXPECT_EQ(add_months(day(2026, 8, 31), 6), day(2027, 2, 28));
  EXPECT_EQ(add_months(day(2027, 8, 31), 6), day(2028, 2, 29));
  EXPECT_EQ(add_months(day(2026, 9, 14), 6), day(2027, 3, 14));
}

TEST_F(meeting_cycles, SixInPersonMeetingsPerCycle) {
  auto pair = five();
  const auto sixth = at(2027, 1, 12, 10, 0, 60min);
  EXPECT_FALSE(check(peer, propose(sixth), {}, pair));
  pair.push_back(stored(6, sixth, meeting_mode::in_person, meeting_state::proposed));  // proposed ones count
  const auto r = check(peer, propose(at(2027, 1, 13, 10, 0, 60min)), {}, pair);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->rule, meeting_rule::cycle_cap);
  EXPECT_EQ(r->used, 6);
  EXPECT_EQ(r->cap, 6);
  EXPECT_EQ(*r->ends_on, day(2027, 5, 18));
  EXPECT_EQ(r->message, "6 of 6 in-person meetings used in the cycle ending 2027-05-18");

  // Online and phone meetings are not in-person; a reschedule does not count against itself.
  EXPECT_FALSE(check(peer, propose(at(2027, 1, 13, 10, 0, 60min), meeting_mode::online), {}, pair));
  EXPECT_FALSE(check(peer, propose(at(2027, 1, 13, 10, 0, 60min), meeting_mode::phone), {}, pair));
  EXPECT_FALSE(check(peer, propose(at(2027, 1, 14, 10, 0, 60min), meeting_mode::in_person, meeting_kind::support, 6), {}, pair));
  // A declined or cancelled meeting frees its place.
  pair[2].state = meeting_state::declined;
  EXPECT_FALSE(check(peer, propose(at(2027, 1, 13, 10, 0, 60min)), {}, pair));
  pair[2].state = meeting_state::cancelled;
  EXPECT_FALSE(check(peer, propose(at(2027, 1, 13, 10, 0, 60min)), {}, pair));
}

TEST_F(meeting_cycles, SupervisionNeverCountsTowardAHeadteachersCaps) {
  auto pair = five();
  pair.push_back(stored(6, at(2027, 1, 12, 10, 0, 60min)));
  // Supervision meetings of the associate, even in person and many, leave the pairing alone...
  std::vector<meeting> supervision;
  for (int i = 0; i < 8; ++i)
    supervision.push_back(stored(100 + i, at(2027, 2, 1 + i, 14, 0, 60min), meeting_mode::in_person,
                                 meeting_state::accepted, meeting_kind::supervision, coordinator, 0));
  auto with_supervision = pair;
  with_supervision.insert(with_supervision.end(), supervision.begin(), supervision.end());
  const auto c = cycle_of(peer, cal, with_supervision, day(2027, 1, 1));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->used, 6);
  // ...and a supervision meeting is not capped by a full cycle.
  EXPECT_FALSE(check(peer, propose(at(2027, 1, 13, 14, 0, 120min), meeting_mode::in_person, meeting_kind::supervision), {}, {}));
}

TEST_F(meeting_cycles, TheCycleEndsSixMonthsAfterItsFirstMeeting) {
  const auto pair = five();
  EXPECT_FALSE(check(peer, propose(at(2027, 5, 18, 10, 0, 60min), meeting_mode::online), {}, pair));
  const auto r = check(peer, propose(at(2027, 5, 19, 10, 0, 60min), meeting_mode::online), {}, pair);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->rule, meeting_rule::cycle_ended);
  EXPECT_EQ(*r->ends_on, day(2027, 5, 18));
  EXPECT_NE(r->message.find("to 2027-05-18"), std::string::npos) << r->message;

  // With the first meeting cancelled, the cycle starts at the second one.
  auto moved = pair;
  moved[0].state = meeting_state::cancelled;
  const auto c = cycle_of(peer, cal, moved, day(2026, 11, 18));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->starts_on, day(2026, 11, 19));
  EXPECT_EQ(c->ends_on, day(2027, 5, 19));
  EXPECT_FALSE(check(peer, propose(at(2027, 5, 19, 10, 0, 60min), meeting_mode::online), {}, moved));
  // A meeting earlier than the first moves the start, but may not push a later one out.
  now = utc(2026, 9, 1, 0);
  EXPECT_EQ(check(peer, propose(at(2026, 11, 17, 10, 0, 60min)), {}, {stored(1, at(2027, 5, 18, 10, 0, 60min))})->rule,
            meeting_rule::cycle_ended);
}

TEST_F(meeting_cycles, StatusReportsReviewDue) {
  auto pair = five();
  auto c = cycle_of(peer, cal, pair, day(2026, 12, 1));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->used, 5);
  EXPECT_EQ(c->cap, 6);
  EXPECT_FALSE(c->review_due);
  EXPECT_TRUE(cycle_of(peer, cal, pair, day(2027, 5, 19))->review_due);  // after the end
  pair.push_back(stored(6, at(2027, 1, 12, 10, 0, 60min)));
  EXPECT_TRUE(cycle_of(peer, cal, pair, day(2026, 12, 1))->review_due);  // cap reached
  EXPECT_FALSE(cycle_of(pastoral, cal, pair, day(2026, 12, 1)));          // no cycles there
  EXPECT_FALSE(cycle_of(peer, cal, {}, day(2026, 12, 1)));                // no meeting yet
}

// ---- per-term caps (pastoral-associates) ------------------------------------------------------------

TEST_F(meeting_rules, TwoMeetingsPerTerm) {
  std::vector<meeting> pair{stored(1, at(2026, 9, 15, 10, 0, 60min)), stored(2, at(2026, 11, 18, 10, 0, 90min))};
  const auto r = check(pastoral, propose(at(2026, 12, 18, 10, 0, 60min)), {}, pair);  // last day of term
  ASSERT_TRUE(r);
  EXPECT_EQ(r->rule, meeting_rule::term_cap);
  EXPECT_EQ(r->used, 2);
  EXPECT_EQ(r->cap, 2);
  EXPECT_EQ(r->term->term, "Autumn");
  EXPECT_EQ(r->message, "2 of 2 meetings used in the Autumn term 2026-27 (2026-09-01 to 2026-12-18)");
  // The spring term is a new allowance; so is the next academic year's autumn.
  EXPECT_FALSE(check(pastoral, propose(at(2027, 1, 5, 10, 0, 60min)), {}, pair));
  EXPECT_FALSE(check(pastoral, propose(at(2027, 9, 3, 10, 0, 60min)), {}, pair));
  // Cancelled ones do not count; a reschedule within the term does not count against itself.
  EXPECT_FALSE(check(pastoral, propose(at(2026, 12, 18, 10, 0, 60min), meeting_mode::in_person, meeting_kind::support, 2), {}, pair));
  pair[0].state = meeting_state::cancelled;
  EXPECT_FALSE(check(pastoral, propose(at(2026, 12, 18, 10, 0, 60min)), {}, pair));
  // No cycle: a meeting a year later is fine, and the in-person count is not capped.
  const auto t = term_of(pastoral, cal, pair, day(2026, 11, 2));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->used, 1);
  EXPECT_EQ(t->term.dates, (date_range{day(2026, 9, 1), day(2026, 12, 18)}));
}

TEST(MeetingNames, RoundTrip) {
  for (auto m : {meeting_mode::in_person, meeting_mode::online, meeting_mode::phone})
    EXPECT_EQ(parse_meeting_mode(name(m)), m);
  for (auto k : {meeting_kind::initial, meeting_kind::support, meeting_kind::supervision})
    EXPECT_EQ(parse_meeting_kind(name(k)), k);
  for (auto s : {meeting_state::proposed, meeting_state::accepted, meeting_state::declined, meeting_state::cancelled})
    EXPECT_EQ(parse_meeting_state(name(s)), s);
  EXPECT_FALSE(parse_meeting_mode("video"));
  EXPECT_TRUE(counts(meeting_state::proposed));
  EXPECT_FALSE(counts(meeting_state::declined));
}

}  // namespace
}  // namespace confidant::rules
