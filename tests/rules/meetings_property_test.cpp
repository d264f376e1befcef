// A randomized property test of the meeting rules: thousands of random proposals, reschedules and
// cancellations for one associate (three pairings and supervision), each stored only when
// check_proposal allows it. Afterwards no counting meeting lies outside a window, overlaps
// another of a participant (with the buffer), breaks the initial length, or breaks a cycle's cap
// or dates.
#include "server/rules/calendar_queries.hpp"
#include "server/rules/meetings.hpp"
#include "tests/rules/calendar_fixtures.hpp"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <vector>

namespace confidant::rules {
namespace {

using namespace std::chrono_literals;

TEST(MeetingProperty, NothingStoredBreaksTheRules) {
  const auto cal = testing::school_calendar();
  auto pol = *preset("la-peer-support");
  pol.meeting_buffer = 10min;
  const auto now = testing::utc(2026, 8, 1, 0);
  constexpr std::int64_t assoc = 1, coordinator = 9;
  const std::int64_t heads[] = {2, 3, 4};
  std::mt19937 rng{20261118};
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>{lo, hi}(rng); };

  std::vector<meeting> all;
  std::int64_t next_id = 1;
  int stored = 0, refused = 0;
  for (int round = 0; round < 3000; ++round) {
    const auto day = testing::day(2026, 9, 1) + date::days{pick(0, 364)};
    const auto start = from_civil(cal.zone(), day, std::chrono::minutes{pick(6 * 4, 19 * 4) * 15});
    const interval when{start, start + std::chrono::minutes{pick(1, 12) * 15}};
    const int which = pick(0, 3);  // 0-2: a pairing, 3: supervision
    meeting_proposal p{.pairing = which < 3 ? which + 1 : 0, .associate = assoc,
                       .counterpart = which < 3 ? heads[which] : coordinator, .when = when,
                       .mode = static_cast<meeting_mode>(pick(0, 2)),
                       .kind = which == 3 ? meeting_kind::supervision : pick(0, 9) == 0 ? meeting_kind::initial : meeting_kind::support};
    meeting* moved = nullptr;
    if (pick(0, 4) == 0 && !all.empty()) {  // a reschedule of an existing counting meeting of that pair
      auto& m = all[static_cast<std::size_t>(pick(0, static_cast<int>(all.size()) - 1))];
      if (counts(m.state) && m.pairing == p.pairing && m.counterpart == p.counterpart) {
        moved = &m;
        p.replaces = m.id;
        p.kind = m.kind;
      }
    }
    std::vector<meeting> pairing_meetings;
    for (const auto& m : all)
      if (p.pairing != 0 && m.pairing == p.pairing) pairing_meetings.push_back(m);
    const auto verdict = check_proposal({pol, cal, cal, all, pairing_meetings, now}, p);
    if (verdict) {
      ++refused;
    } else {
      ++stored;
      if (moved) {
        moved->when = p.when;
        moved->mode = p.mode;
        moved->state = meeting_state::proposed;
      } else {
        all.push_back({.id = next_id++, .pairing = p.pairing, .associate = assoc, .counterpart = p.counterpart,
                       .when = p.when, .mode = p.mode, .kind = p.kind,
                       .state = pick(0, 1) ? meeting_state::accepted : meeting_state::proposed});
      }
    }
    if (pick(0, 9) == 0 && !all.empty()) {  // cancel or decline one
      all[static_cast<std::size_t>(pick(0, static_cast<int>(all.size()) - 1))].state =
          pick(0, 1) ? meeting_state::cancelled : meeting_state::declined;
    }
  }
  ASSERT_GT(stored, 100);
  ASSERT_GT(refused, 100);

  std::map<std::int64_t, std::vector<const meeting*>> by_pairing;
  for (const auto& m : all) {
    if (!counts(m.state)) continue;
    auto w = windows_between(cal, m.when.start, m.when.end);
    ASSERT_TRUE(w);
    ASSERT_EQ(w->size(), 1u);
    EXPECT_EQ(w->front(), m.when) << "meeting " << m.id << " is outside a window";
    if (m.kind == meeting_kind::initial) {
      EXPECT_LE(m.when.end - m.when.start, 60min);
    }
    for (const auto& o : all) {
      if (o.id >= m.id || !counts(o.state)) continue;
      const bool shared = o.involves(m.associate) || o.involves(m.counterpart);
      if (!shared) continue;
      EXPECT_FALSE(o.when.start - pol.meeting_buffer < m.when.end && m.when.start < o.when.end + pol.meeting_buffer)
          << "meetings " << o.id << " and " << m.id << " overlap";
    }
    if (m.pairing != 0) by_pairing[m.pairing].push_back(&m);
  }
  for (const auto& [pairing, ms] : by_pairing) {
    std::vector<meeting> copy;
    for (const auto* m : ms) copy.push_back(*m);
    const auto c = cycle_of(pol, cal, copy, testing::day(2026, 9, 1));
    ASSERT_TRUE(c);
    EXPECT_LE(c->used, 6) << "pairing " << pairing;
    for (const auto* m : ms) EXPECT_LE(to_civil(cal.zone(), m->when.start).day, c->ends_on) << "pairing " << pairing;
  }
}

}  // namespace
}  // namespace confidant::rules
