// Meetings through the dispatcher and the real writer (protocol.md 7.16-7.22): propose, accept,
// decline, cancel, reschedule, list, windows; events to both participants; the refusals of the
// rules on the wire; and the cap under many parallel proposals. The clock stands at
// Wednesday 2026-11-18T11:06:40Z (autumn term, winter time).
#include "tests/service/service_fixture.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace confidant::service {
namespace {

using namespace std::chrono_literals;
using testing::member;
using testing::code_of;
using testing::service_test;
namespace json = boost::json;

std::string b64(std::string_view s) {
  return wire::to_base64url(std::span<const unsigned char>{reinterpret_cast<const unsigned char*>(s.data()), s.size()});
}

// Times in the tests are UTC; in winter London time equals UTC.
json::object proposal(std::int64_t with, std::string start, std::string end, std::string mode = "in_person",
                      std::string kind = "support") {
  return {{"type", "meeting_propose"}, {"with", with}, {"start", std::move(start)}, {"end", std::move(end)},
          {"mode", std::move(mode)}, {"kind", std::move(kind)}};
}


class meetings_test : public service_test {
 protected:
  meetings_test() = default;
  explicit meetings_test(rules::policy p) : service_test(std::move(p)) {}

  void SetUp() override {
    carol = enrol(rules::role::coordinator, "Carol");
    hana = enrol(rules::role::headteacher, "Hana");
    asha = enrol(rules::role::associate, "Asha");
    pairing = pair(*carol, *hana, *asha);
  }

  // Proposes and expects ok; returns the meeting object.
  json::object propose_ok(member& who, std::int64_t with, const std::string& start, const std::string& end,
                          const std::string& mode = "in_person") {
    auto a = who.ask(d, proposal(with, start, end, mode));
    EXPECT_EQ(a.at("type").as_string(), "ok") << json::serialize(a);
    return a.contains("meeting") ? a.at("meeting").as_object() : json::object{};
  }

  std::unique_ptr<member> carol, hana, asha;
  std::int64_t pairing = 0;
};

TEST_F(meetings_test, ProposeAcceptListWithEventsAndDetails) {
  auto req = proposal(asha->user, "2026-11-19T10:00:00.000Z", "2026-11-19T11:00:00.000Z");
  req["details"] = json::array{{{"user", hana->user}, {"body", b64("for hana")}},
                               {{"user", asha->user}, {"body", b64("for asha")}}};
  const auto a = hana->ask(d, req);
  ASSERT_EQ(a.at("type").as_string(), "ok") << json::serialize(a);
  const auto& mt = a.at("meeting").as_object();
  EXPECT_EQ(mt.at("state").as_string(), "proposed");
  EXPECT_EQ(mt.at("sequence").as_int64(), 0);
  EXPECT_EQ(mt.at("pairing").as_int64(), pairing);
  EXPECT_EQ(mt.at("participants"), (json::array{asha->user, hana->user}));
  EXPECT_EQ(mt.at("proposer").as_int64(), hana->user);
  EXPECT_EQ(mt.at("details").as_string(), b64("for hana"));  // each participant sees only their own
  const auto& cycle = a.at("cycle").as_object();
  EXPECT_EQ(cycle.at("meetings_used").as_int64(), 1);
  EXPECT_EQ(cycle.at("cap").as_int64(), 6);
  EXPECT_EQ(cycle.at("starts_on").as_string(), "2026-11-19");
  EXPECT_EQ(cycle.at("ends_on").as_string(), "2027-05-19");
  EXPECT_FALSE(cycle.at("review_due").as_bool());

  const auto ev = asha->c.next_event();
  EXPECT_EQ(ev.at("type").as_string(), "meeting");
  EXPECT_FALSE(ev.contains("rid"));
  EXPECT_EQ(ev.at("change").as_string(), "proposed");
  EXPECT_EQ(ev.at("by").as_int64(), hana->user);
  EXPECT_EQ(ev.at("meeting").at("details").as_string(), b64("for asha"));
  EXPECT_EQ(hana->c.peer->pending(), 0u);  // the proposer's own connection gets the answer only

  const auto id = mt.at("id").as_int64();
  EXPECT_EQ(code_of(hana->ask(d, {{"type", "meeting_accept"}, {"meeting", id}})), "forbidden");
  const auto acc = asha->ask(d, {{"type", "meeting_accept"}, {"meeting", id}});
  ASSERT_EQ(code_of(acc), "ok") << json::serialize(acc);
  EXPECT_EQ(acc.at("meeting").at("state").as_string(), "accepted");
  EXPECT_EQ(acc.at("meeting").at("sequence").as_int64(), 1);
  EXPECT_EQ(acc.at("meeting").at("changed_by").as_int64(), asha->user);
  EXPECT_EQ(hana->c.next_event().at("change").as_string(), "accepted");
  EXPECT_EQ(code_of(asha->ask(d, {{"type", "meeting_accept"}, {"meeting", id}})), "wrong_state");
  EXPECT_EQ(code_of(carol->ask(d, {{"type", "meeting_accept"}, {"meeting", id}})), "not_found");

  const auto list = hana->ask(d, {{"type", "meetings"}, {"from", "2026-11-01T00:00:00.000Z"}, {"to", "2026-12-01T00:00:00.000Z"}});
  ASSERT_EQ(list.at("meetings").as_array().size(), 1u);
  EXPECT_EQ(list.at("meetings").at(0).at("state").as_string(), "accepted");
  EXPECT_EQ(list.at("meetings").at(0).at("details").as_string(), b64("for hana"));
  ASSERT_EQ(list.at("cycles").as_array().size(), 1u);
  EXPECT_EQ(list.at("cycles").at(0).at("with").as_int64(), asha->user);
  EXPECT_TRUE(list.at("terms").as_array().empty());  // la-peer-support has no per-term cap
  const auto later = hana->ask(d, {{"type", "meetings"}, {"from", "2026-12-01T00:00:00.000Z"}, {"to", "2027-01-01T00:00:00.000Z"}});
  EXPECT_TRUE(later.at("meetings").as_array().empty());
}

TEST_F(meetings_test, DeclineCancelAndReschedule) {
  const auto id = propose_ok(*asha, hana->user, "2026-11-20T14:00:00.000Z", "2026-11-20T15:00:00.000Z").at("id").as_int64();
  EXPECT_EQ(hana->c.next_event().at("change").as_string(), "proposed");
  // Reschedule by the other side: proposed again, by them, one sequence later.
  const auto r = hana->ask(d, {{"type", "meeting_reschedule"}, {"meeting", id}, {"start", "2026-11-23T09:00:00.000Z"},
                               {"end", "2026-11-23T10:00:00.000Z"}, {"mode", "online"}});
  ASSERT_EQ(code_of(r), "ok") << json::serialize(r);
  EXPECT_EQ(r.at("meeting").at("proposer").as_int64(), hana->user);
  EXPECT_EQ(r.at("meeting").at("mode").as_string(), "online");
  EXPECT_EQ(r.at("meeting").at("sequence").as_int64(), 1);
  EXPECT_EQ(asha->c.next_event().at("change").as_string(), "rescheduled");
  EXPECT_EQ(code_of(hana->ask(d, {{"type", "meeting_decline"}, {"meeting", id}})), "forbidden");
  const auto dec = asha->ask(d, {{"type", "meeting_decline"}, {"meeting", id}});
  EXPECT_EQ(dec.at("meeting").at("state").as_string(), "declined");
  EXPECT_EQ(code_of(asha->ask(d, {{"type", "meeting_cancel"}, {"meeting", id}, {"reason", "illness"}})), "wrong_state");

  const auto id2 = propose_ok(*hana, asha->user, "2026-11-24T09:00:00.000Z", "2026-11-24T10:00:00.000Z").at("id").as_int64();
  EXPECT_EQ(code_of(asha->ask(d, {{"type", "meeting_cancel"}, {"meeting", id2}})), "missing_field");
  EXPECT_EQ(code_of(asha->ask(d, {{"type", "meeting_cancel"}, {"meeting", id2}, {"reason", "I am tired"}})), "invalid_field");
  const auto can = asha->ask(d, {{"type", "meeting_cancel"}, {"meeting", id2}, {"reason", "school_emergency"}});
  ASSERT_EQ(code_of(can), "ok");
  EXPECT_EQ(can.at("meeting").at("state").as_string(), "cancelled");
  EXPECT_EQ(can.at("meeting").at("cancel_reason").as_string(), "school_emergency");
  // Cancelled and declined meetings do not anchor the cycle.
  const auto a = hana->ask(d, proposal(asha->user, "2026-12-01T09:00:00.000Z", "2026-12-01T10:00:00.000Z"));
  EXPECT_EQ(a.at("cycle").at("starts_on").as_string(), "2026-12-01");
}

TEST_F(meetings_test, WindowRefusalsNameTheDayAndTheNextOpening) {
  struct row {
    const char* start;
    const char* end;
    const char* why;
    const char* next;
  };
  const row rows[] = {
      {"2026-11-21T10:00:00.000Z", "2026-11-21T11:00:00.000Z", "Saturday", "2026-11-23T08:00:00.000Z"},
      {"2026-11-19T17:30:00.000Z", "2026-11-19T18:30:00.000Z", "08:00-18:00", "2026-11-19T17:30:00.000Z"},
      {"2027-02-16T10:00:00.000Z", "2027-02-16T11:00:00.000Z", "February half term", "2027-02-22T08:00:00.000Z"},
      {"2026-12-28T10:00:00.000Z", "2026-12-28T11:00:00.000Z", "bank holiday (Boxing Day)", "2027-01-05T08:00:00.000Z"},
      // 07:30Z is 08:30 London in summer time: open. 07:00Z in winter is not.
      {"2027-01-12T07:00:00.000Z", "2027-01-12T08:00:00.000Z", "contact hours", "2027-01-12T08:00:00.000Z"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.start);
    const auto a = hana->ask(d, proposal(asha->user, r.start, r.end));
    ASSERT_EQ(code_of(a), "contact_window_closed") << json::serialize(a);
    EXPECT_EQ(a.at("rule").as_string(), "contact_window");
    EXPECT_EQ(a.at("user").as_int64(), asha->user);
    EXPECT_NE(std::string{a.at("message").as_string()}.find(r.why), std::string::npos) << a.at("message");
    EXPECT_EQ(a.at("next_opening").as_string(), r.next);
  }
  EXPECT_EQ(code_of(hana->ask(d, proposal(asha->user, "2027-04-13T07:30:00.000Z", "2027-04-13T08:30:00.000Z"))), "ok");
}

TEST_F(meetings_test, FieldsRolesAndPairings) {
  EXPECT_EQ(code_of(hana->ask(d, proposal(asha->user, "2026-11-19T10:00:00Z", "2026-11-19T11:00:00.000Z"))), "invalid_field");
  EXPECT_EQ(code_of(hana->ask(d, proposal(asha->user, "2026-11-19T11:00:00.000Z", "2026-11-19T10:00:00.000Z"))), "invalid_field");
  EXPECT_EQ(code_of(hana->ask(d, proposal(asha->user, "2026-11-19T10:00:00.000Z", "2026-11-19T11:00:00.000Z", "video"))),
            "invalid_field");
  EXPECT_EQ(code_of(hana->ask(d, proposal(hana->user, "2026-11-19T10:00:00.000Z", "2026-11-19T11:00:00.000Z"))), "invalid_field");
  EXPECT_EQ(code_of(hana->ask(d, proposal(asha->user, "2026-11-18T10:00:00.000Z", "2026-11-18T11:00:00.000Z"))), "invalid_field");
  auto extra = proposal(asha->user, "2026-11-19T10:00:00.000Z", "2026-11-19T11:00:00.000Z");
  extra["place"] = "the office";
  EXPECT_EQ(code_of(hana->ask(d, extra)), "unknown_field");
  auto stranger_details = proposal(asha->user, "2026-11-19T10:00:00.000Z", "2026-11-19T11:00:00.000Z");
  stranger_details["details"] = json::array{{{"user", carol->user}, {"body", b64("x")}}};
  EXPECT_EQ(code_of(hana->ask(d, stranger_details)), "invalid_field");

  auto other_assoc = enrol(rules::role::associate, "Ola");
  EXPECT_EQ(code_of(hana->ask(d, proposal(other_assoc->user, "2026-11-19T10:00:00.000Z", "2026-11-19T11:00:00.000Z"))),
            "not_paired");
  EXPECT_EQ(code_of(hana->ask(d, proposal(carol->user, "2026-11-19T10:00:00.000Z", "2026-11-19T11:00:00.000Z"))), "wrong_role");
  EXPECT_EQ(code_of(hana->ask(d, proposal(9999, "2026-11-19T10:00:00.000Z", "2026-11-19T11:00:00.000Z"))), "unknown_user");
  EXPECT_EQ(code_of(carol->ask(d, proposal(asha->user, "2026-11-19T10:00:00.000Z", "2026-11-19T11:00:00.000Z"))), "forbidden");
  EXPECT_EQ(code_of(hana->ask(d, proposal(asha->user, "2026-11-19T10:00:00.000Z", "2026-11-19T11:00:00.000Z", "online",
                                          "supervision"))),
            "forbidden");
  // Supervision: a coordinator with an associate, no pairing, no cycle.
  const auto s = carol->ask(d, proposal(asha->user, "2026-11-19T14:00:00.000Z", "2026-11-19T16:00:00.000Z", "in_person",
                                        "supervision"));
  ASSERT_EQ(code_of(s), "ok") << json::serialize(s);
  EXPECT_FALSE(s.at("meeting").as_object().contains("pairing"));
  EXPECT_FALSE(s.contains("cycle"));
  EXPECT_EQ(code_of(carol->ask(d, proposal(hana->user, "2026-11-19T14:00:00.000Z", "2026-11-19T16:00:00.000Z", "online",
                                           "supervision"))),
            "wrong_role");
}

TEST_F(meetings_test, AnInitialMeetingIsAtMostAnHour) {
  const auto a = hana->ask(d, proposal(asha->user, "2026-11-19T10:00:00.000Z", "2026-11-19T11:30:00.000Z", "online", "initial"));
  ASSERT_EQ(code_of(a), "meeting_too_long");
  EXPECT_EQ(a.at("max_minutes").as_int64(), 60);
  EXPECT_EQ(code_of(hana->ask(d, proposal(asha->user, "2026-11-19T10:00:00.000Z", "2026-11-19T11:00:00.000Z", "online",
                                          "initial"))),
            "ok");
}

TEST_F(meetings_test, AnAssociateIsNotDoubleBooked) {
  auto hugo = enrol(rules::role::headteacher, "Hugo");
  set_capacity(*asha, 2);
  pair(*carol, *hugo, *asha);
  propose_ok(*hana, asha->user, "2026-11-19T10:00:00.000Z", "2026-11-19T11:00:00.000Z");
  const auto clash = hugo->ask(d, proposal(asha->user, "2026-11-19T10:30:00.000Z", "2026-11-19T11:30:00.000Z"));
  ASSERT_EQ(code_of(clash), "meeting_conflict");
  EXPECT_EQ(clash.at("user").as_int64(), asha->user);
  EXPECT_EQ(std::string{clash.at("message").as_string()}.find("10:00"), std::string::npos);  // no other meeting's time
  // Supervision is busy time too.
  EXPECT_EQ(code_of(carol->ask(d, proposal(asha->user, "2026-11-19T09:30:00.000Z", "2026-11-19T10:30:00.000Z", "online",
                                           "supervision"))),
            "meeting_conflict");
  EXPECT_EQ(code_of(hugo->ask(d, proposal(asha->user, "2026-11-19T11:00:00.000Z", "2026-11-19T12:00:00.000Z"))), "ok");
}

TEST_F(meetings_test, SixInPersonMeetingsPerCycleThenReviewDue) {
  std::vector<std::int64_t> ids;
  for (const char* day : {"2026-11-19", "2026-11-20", "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"}) {
    ids.push_back(propose_ok(*hana, asha->user, std::string{day} + "T10:00:00.000Z", std::string{day} + "T11:00:00.000Z")
                      .at("id")
                      .as_int64());
  }
  const auto full = hana->ask(d, proposal(asha->user, "2026-11-27T10:00:00.000Z", "2026-11-27T11:00:00.000Z"));
  ASSERT_EQ(code_of(full), "meeting_cap_reached");
  EXPECT_EQ(full.at("message").as_string(), "6 of 6 in-person meetings used in the cycle ending 2027-05-19");
  EXPECT_EQ(full.at("rule").as_string(), "in_person_per_cycle");
  EXPECT_EQ(full.at("used").as_int64(), 6);
  EXPECT_EQ(full.at("cap").as_int64(), 6);
  EXPECT_EQ(full.at("ends_on").as_string(), "2027-05-19");
  // Online still fits; a reschedule does not count against itself.
  EXPECT_EQ(code_of(hana->ask(d, proposal(asha->user, "2026-11-27T10:00:00.000Z", "2026-11-27T11:00:00.000Z", "online"))), "ok");
  const auto moved = asha->ask(d, {{"type", "meeting_reschedule"}, {"meeting", ids.back()}, {"start", "2026-12-01T10:00:00.000Z"},
                                   {"end", "2026-12-01T11:00:00.000Z"}});
  ASSERT_EQ(code_of(moved), "ok") << json::serialize(moved);
  EXPECT_TRUE(moved.at("cycle").at("review_due").as_bool());
  // A cancelled meeting frees its place.
  ASSERT_EQ(code_of(asha->ask(d, {{"type", "meeting_cancel"}, {"meeting", ids.front()}, {"reason", "diary_clash"}})), "ok");
  const auto again = hana->ask(d, proposal(asha->user, "2026-11-27T14:00:00.000Z", "2026-11-27T15:00:00.000Z"));
  ASSERT_EQ(code_of(again), "ok") << json::serialize(again);
  EXPECT_EQ(again.at("cycle").at("starts_on").as_string(), "2026-11-20");  // the first one was cancelled
  // After the cycle's end, the review comes first.
  const auto late = hana->ask(d, proposal(asha->user, "2027-05-24T10:00:00.000Z", "2027-05-24T11:00:00.000Z", "online"));
  ASSERT_EQ(code_of(late), "cycle_review_due");
  EXPECT_EQ(late.at("ends_on").as_string(), "2027-05-20");
}

// Many proposals at once, from both participants' connections on many threads, through the one
// writer: exactly the cap succeeds.
TEST_F(meetings_test, ParallelProposalsNeverExceedTheCap) {
  constexpr int threads = 20;
  std::vector<std::string> frames;
  for (int i = 0; i < threads; ++i) {
    // Twenty distinct, non-overlapping slots: days 19, 20, 23-27 November and 30 November - 4
    // December at 09:00 and 14:00.
    static constexpr const char* days[] = {"2026-11-19", "2026-11-20", "2026-11-23", "2026-11-24", "2026-11-25",
                                           "2026-11-26", "2026-11-27", "2026-11-30", "2026-12-01", "2026-12-02"};
    const std::string day = days[i / 2];
    const std::string hour = i % 2 == 0 ? "T09:00" : "T14:00";
    auto req = proposal(i % 2 == 0 ? asha->user : hana->user, day + hour + ":00.000Z", day + hour.substr(0, 3) + ":30:00.000Z");
    req["rid"] = "p" + std::to_string(i);
    frames.push_back(json::serialize(req));
  }
  std::atomic<int> ready{0};
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&, i] {
      ready.fetch_add(1);
      while (ready.load() < threads) std::this_thread::yield();
      auto& client = (i % 2 == 0 ? hana : asha)->c;
      client.peer->dispatch([&] { d.handle(frames[static_cast<std::size_t>(i)], client.conn); });
    });
  }
  for (auto& t : pool) t.join();
  int ok = 0, capped = 0;
  for (auto* who : {hana.get(), asha.get()}) {
    for (int n = 0; n < threads / 2;) {
      auto f = who->c.peer->next();
      if (f.empty()) break;
      if (!f.contains("rid")) continue;  // the other side's `meeting` events
      ++n;
      const auto code = code_of(f);
      if (code == "ok") ++ok;
      if (code == "meeting_cap_reached") ++capped;
    }
  }
  EXPECT_EQ(ok, 6);
  EXPECT_EQ(capped, threads - 6);
  const auto list = hana->ask(d, {{"type", "meetings"}, {"from", "2026-11-01T00:00:00.000Z"}, {"to", "2027-01-01T00:00:00.000Z"}});
  EXPECT_EQ(list.at("meetings").as_array().size(), 6u);
  EXPECT_EQ(list.at("cycles").at(0).at("meetings_used").as_int64(), 6);
  EXPECT_TRUE(list.at("cycles").at(0).at("review_due").as_bool());
}

TEST_F(meetings_test, WindowsOfSelfAndContacts) {
  const auto w = hana->ask(d, {{"type", "windows"}, {"from", "2026-11-20T00:00:00.000Z"}, {"to", "2026-11-24T00:00:00.000Z"}});
  ASSERT_EQ(code_of(w), "ok") << json::serialize(w);
  EXPECT_EQ(w.at("user").as_int64(), hana->user);
  EXPECT_EQ(w.at("time_zone").as_string(), "Europe/London");
  // Friday and Monday; not the weekend.
  EXPECT_EQ(w.at("windows"), (json::array{{{"start", "2026-11-20T08:00:00.000Z"}, {"end", "2026-11-20T18:00:00.000Z"}},
                                          {{"start", "2026-11-23T08:00:00.000Z"}, {"end", "2026-11-23T18:00:00.000Z"}}}));
  EXPECT_EQ(code_of(hana->ask(d, {{"type", "windows"}, {"user", asha->user}, {"from", "2026-10-23T00:00:00.000Z"},
                                  {"to", "2026-11-03T00:00:00.000Z"}})),
            "ok");
  const auto bst = hana->ask(d, {{"type", "windows"}, {"user", asha->user}, {"from", "2026-10-23T00:00:00.000Z"},
                                 {"to", "2026-11-03T00:00:00.000Z"}});
  // Friday before the clocks change (BST), then half term, then Monday 2 November (GMT).
  EXPECT_EQ(bst.at("windows"), (json::array{{{"start", "2026-10-23T07:00:00.000Z"}, {"end", "2026-10-23T17:00:00.000Z"}},
                                            {{"start", "2026-11-02T08:00:00.000Z"}, {"end", "2026-11-02T18:00:00.000Z"}}}));
  auto stranger = enrol(rules::role::headteacher, "Sam");
  EXPECT_EQ(code_of(stranger->ask(d, {{"type", "windows"}, {"user", asha->user}, {"from", "2026-11-20T00:00:00.000Z"},
                                      {"to", "2026-11-24T00:00:00.000Z"}})),
            "not_paired");
  EXPECT_EQ(code_of(hana->ask(d, {{"type", "windows"}, {"from", "2026-11-20T00:00:00.000Z"}, {"to", "2027-11-24T00:00:00.000Z"}})),
            "invalid_field");
}

class pastoral_meetings_test : public meetings_test {
 protected:
  pastoral_meetings_test() : meetings_test(*rules::preset("pastoral-associates")) {}
};

TEST_F(pastoral_meetings_test, TwoMeetingsPerTerm) {
  const auto first = hana->ask(d, proposal(asha->user, "2026-11-19T10:00:00.000Z", "2026-11-19T11:30:00.000Z", "online", "initial"));
  ASSERT_EQ(code_of(first), "ok") << json::serialize(first);
  EXPECT_FALSE(first.contains("cycle"));
  EXPECT_EQ(first.at("term").at("name").as_string(), "Autumn");
  EXPECT_EQ(first.at("term").at("meetings_used").as_int64(), 1);
  propose_ok(*asha, hana->user, "2026-12-10T10:00:00.000Z", "2026-12-10T11:00:00.000Z");
  const auto third = hana->ask(d, proposal(asha->user, "2026-12-17T10:00:00.000Z", "2026-12-17T11:00:00.000Z"));
  ASSERT_EQ(code_of(third), "meeting_cap_reached");
  EXPECT_EQ(third.at("rule").as_string(), "per_term");
  EXPECT_EQ(third.at("message").as_string(), "2 of 2 meetings used in the Autumn term 2026-27 (2026-09-01 to 2026-12-18)");
  EXPECT_EQ(third.at("term").at("ends_on").as_string(), "2026-12-18");
  // The spring term starts a new allowance.
  EXPECT_EQ(code_of(hana->ask(d, proposal(asha->user, "2027-01-05T10:00:00.000Z", "2027-01-05T11:00:00.000Z"))), "ok");
  const auto list = hana->ask(d, {{"type", "meetings"}, {"from", "2026-11-01T00:00:00.000Z"}, {"to", "2027-02-01T00:00:00.000Z"}});
  EXPECT_EQ(list.at("meetings").as_array().size(), 3u);
  EXPECT_TRUE(list.at("cycles").as_array().empty());
  EXPECT_EQ(list.at("terms").at(0).at("meetings_used").as_int64(), 2);
}

}  // namespace
}  // namespace confidant::service
