// The support programme through the dispatcher and the real writer (protocol.md 7.29–7.40): one
// headteacher from request to a closed cycle with feedback; re-matching isolation; who may act
// (forbidden) against when (wrong_state). The clock starts on Wednesday 2026-11-18T11:06:40Z.
#include "server/rules/time_format.hpp"
#include "server/service/cycle_progress.hpp"
#include "tests/service/service_fixture.hpp"

#include <gtest/gtest.h>

namespace confidant::service {
namespace {

using testing::code_of;
using testing::member;
using testing::service_test;
namespace json = boost::json;

std::string b64(std::string_view s) {
  return wire::to_base64url(std::span<const unsigned char>{reinterpret_cast<const unsigned char*>(s.data()), s.size()});
}

rules::time_point utc(const char* text) { return rules::parse_utc(text).value(); }

class programme_test : public service_test {
 protected:
  void SetUp() override {
    carol = enrol(rules::role::coordinator, "Carol");
    hana = enrol(rules::role::headteacher, "Hana");
    asha = enrol(rules::role::associate, "Asha");
    ben = enrol(rules::role::associate, "Ben");
  }

  json::object ok(member& who, json::object req) {
    auto a = who.ask(d, std::move(req));
    EXPECT_EQ(a.at("type").as_string(), "ok") << json::serialize(a);
    return a;
  }

  void profile(member& who, const std::string& school, std::int64_t capacity = 1) {
    ok(who, {{"type", "profile_set"}, {"region", "north"}, {"size_band", "small"}, {"phase", "primary"},
             {"school_types", json::array{"rural"}}, {"skills", json::array{"finance"}}, {"capacity", capacity},
             {"school", school}, {"summary", "Head for nine years."}});
  }

  std::int64_t request(member& head, const std::string& school = "Dale Primary") {
    const auto a = ok(head, {{"type", "request_create"}, {"school", school}, {"region", "north"}, {"phase", "primary"},
                             {"concern", json::array{{{"user", carol->user}, {"body", b64("CANARY-concern for carol")}},
                                                     {{"user", head.user}, {"body", b64("CANARY-concern own copy")}}}}});
    return a.at("cycle").at("cycle").as_int64();
  }

  json::object cycle_of(member& who, std::int64_t id) {
    return ok(who, {{"type", "cycle_show"}, {"cycle", id}}).at("cycle").as_object();
  }

  // The next event of `type` (and `change`, when given) on `who`, skipping others.
  json::object event(member& who, std::string_view type, std::string_view change = {}) {
    for (int i = 0; i < 20; ++i) {
      auto e = who.c.next_event();
      if (e.empty()) return e;
      if (e.at("type").as_string() == type && (change.empty() || e.at("change").as_string() == change)) return e;
    }
    return {};
  }

  json::object meeting(member& from, std::int64_t with, const char* start, const char* end) {
    return from.ask(d, {{"type", "meeting_propose"}, {"with", with}, {"start", start}, {"end", end},
                        {"mode", "in_person"}, {"kind", "support"}});
  }

  std::unique_ptr<member> carol, hana, asha, ben;
};

TEST_F(programme_test, OneHeadteacherFromRequestToFeedback) {
  profile(*asha, "Hill Top Primary");
  profile(*ben, "Dale Primary", 3);  // Hana's own school: never offered to her
  const auto refused = carol->ask(d, {{"type", "associate_approve"}, {"associate", asha->user}, {"years_as_headteacher", 3},
                                      {"last_inspection", "requires_improvement"}, {"training_completed", true},
                                      {"coaching_record", true}});
  ASSERT_EQ(code_of(refused), "not_eligible");
  EXPECT_EQ(refused.at("unmet"), (json::array{"years_as_headteacher", "last_inspection"}));
  approve(*carol, *asha);
  approve(*carol, *ben);

  const auto id = request(*hana);
  EXPECT_EQ(event(*carol, "cycle").at("change").as_string(), "requested");
  const auto offers = ok(*hana, {{"type", "offers"}, {"cycle", id}}).at("offers").as_array();
  ASSERT_EQ(offers.size(), 1u);
  EXPECT_EQ(offers[0].at("user").as_int64(), asha->user);
  EXPECT_FALSE(offers[0].as_object().contains("school"));  // never shown to headteachers
  EXPECT_EQ(offers[0].at("free_places").as_int64(), 1);
  EXPECT_TRUE(ok(*hana, {{"type", "offers"}, {"cycle", id}, {"phase", "secondary"}}).at("offers").as_array().empty());
  EXPECT_EQ(cycle_of(*hana, id).at("state").as_string(), "offered");
  EXPECT_EQ(code_of(hana->ask(d, {{"type", "prefer"}, {"cycle", id}, {"associates", json::array{ben->user}}})),
            "associate_unavailable");
  ok(*hana, {{"type", "prefer"}, {"cycle", id}, {"associates", json::array{asha->user}}});

  // The coordinator sees the ranking and her own copy of the concern; the associate nothing yet.
  const auto seen = cycle_of(*carol, id);
  EXPECT_EQ(seen.at("preferences"), (json::array{asha->user}));
  EXPECT_EQ(seen.at("concern").as_string(), b64("CANARY-concern for carol"));
  EXPECT_EQ(code_of(asha->ask(d, {{"type", "cycle_show"}, {"cycle", id}})), "not_found");

  const auto paired = ok(*carol, {{"type", "pair"}, {"cycle", id}, {"associate", asha->user}});
  EXPECT_EQ(paired.at("cycle").at("state").as_string(), "paired");
  const auto told = event(*asha, "cycle");
  EXPECT_EQ(told.at("change").as_string(), "paired");
  EXPECT_EQ(told.at("prompt").as_string(), "make_contact");
  EXPECT_FALSE(told.at("cycle").as_object().contains("concern"));
  EXPECT_FALSE(told.at("cycle").as_object().contains("preferences"));
  EXPECT_EQ(event(*hana, "cycle").at("change").as_string(), "paired");

  // Her only place is taken: another request cannot have her.
  auto hugo = enrol(rules::role::headteacher, "Hugo");
  const auto other = request(*hugo, "Moor Primary");
  const auto full = carol->ask(d, {{"type", "pair"}, {"cycle", other}, {"associate", asha->user}});
  ASSERT_EQ(code_of(full), "associate_unavailable");
  EXPECT_EQ(full.at("reason").as_string(), "no_free_place");

  // The first meeting takes place: the cycle becomes active; a note's notice reaches Hana.
  const auto first = meeting(*asha, hana->user, "2026-11-19T10:00:00.000Z", "2026-11-19T11:00:00.000Z");
  ASSERT_EQ(code_of(first), "ok") << json::serialize(first);
  EXPECT_EQ(first.at("meeting").at("cycle").as_int64(), id);
  const auto mid = first.at("meeting").at("id").as_int64();
  ok(*hana, {{"type", "meeting_accept"}, {"meeting", mid}});
  EXPECT_EQ(code_of(asha->ask(d, {{"type", "note_write"}, {"meeting", mid}, {"body", b64("CANARY-note")}})), "wrong_state");
  tb.clock.set(utc("2026-11-19T11:30:00.000Z"));
  progress_cycles(*tb.backend, tb.clock.now());
  EXPECT_EQ(cycle_of(*carol, id).at("state").as_string(), "active");
  EXPECT_EQ(cycle_of(*carol, id).at("meetings_held").as_int64(), 1);
  ok(*asha, {{"type", "note_write"}, {"meeting", mid}, {"body", b64("CANARY-note")}});
  const auto notice = event(*hana, "note_notice");
  EXPECT_EQ(notice.at("meeting").as_int64(), mid);
  const auto hers = ok(*hana, {{"type", "notes"}}).at("notes").as_array();
  ASSERT_EQ(hers.size(), 1u);
  EXPECT_FALSE(hers[0].as_object().contains("body"));
  EXPECT_EQ(ok(*asha, {{"type", "notes"}}).at("notes").at(0).at("body").as_string(), b64("CANARY-note"));

  // Six months after the first meeting the review is due; no meeting until the coordinator decides.
  tb.clock.set(utc("2027-05-20T09:00:00.000Z"));
  progress_cycles(*tb.backend, tb.clock.now());
  EXPECT_EQ(cycle_of(*carol, id).at("state").as_string(), "review_due");
  EXPECT_EQ(code_of(meeting(*asha, hana->user, "2027-05-21T10:00:00.000Z", "2027-05-21T11:00:00.000Z")), "cycle_review_due");
  const auto extended = ok(*carol, {{"type", "cycle_extend"}, {"cycle", id}}).at("cycle").as_object();
  EXPECT_EQ(extended.at("state").as_string(), "active");
  EXPECT_EQ(extended.at("previous").as_int64(), id);
  const auto next = extended.at("cycle").as_int64();
  EXPECT_EQ(cycle_of(*carol, id).at("state").as_string(), "extended");
  const auto fresh = meeting(*asha, hana->user, "2027-05-21T10:00:00.000Z", "2027-05-21T11:00:00.000Z");
  ASSERT_EQ(code_of(fresh), "ok") << json::serialize(fresh);
  EXPECT_EQ(fresh.at("cycle").at("meetings_used").as_int64(), 1);  // the extension counts afresh

  // Closing ends the partnership at once, and cancels what was ahead.
  ok(*carol, {{"type", "cycle_close"}, {"cycle", next}});
  EXPECT_EQ(code_of(hana->ask(d, send_request(asha->user, {{asha->user, 1}}))), "not_paired");
  const auto listed = ok(*asha, {{"type", "meetings"}, {"from", "2027-05-01T00:00:00.000Z"}, {"to", "2027-06-01T00:00:00.000Z"}});
  EXPECT_EQ(listed.at("meetings").at(0).at("state").as_string(), "cancelled");

  // Feedback: sealed to Carol (and Hana's own copy); Asha reads only what Hana released.
  ok(*carol, {{"type", "feedback_request"}, {"cycle", next}, {"questions", json::array{"What helped?", "What would you change?"}}});
  const json::array answers{
      {{"item", 1}, {"bodies", json::array{{{"user", carol->user}, {"body", b64("CANARY-a1 carol")}}, {{"user", hana->user}, {"body", b64("CANARY-a1 own")}}}}},
      {{"item", 2}, {"bodies", json::array{{{"user", carol->user}, {"body", b64("CANARY-a2 carol")}}}}}};
  EXPECT_EQ(code_of(hana->ask(d, {{"type", "feedback_submit"}, {"cycle", next},
                                  {"answers", json::array{{{"item", 1}, {"bodies", json::array{{{"user", asha->user}, {"body", "AA"}}}}}}}})),
            "invalid_field");  // only the coordinator who asked, and one's own copy
  ok(*hana, {{"type", "feedback_submit"}, {"cycle", next}, {"answers", answers}});
  EXPECT_EQ(code_of(hana->ask(d, {{"type", "feedback_submit"}, {"cycle", next}, {"answers", answers}})), "wrong_state");
  const auto before = ok(*asha, {{"type", "feedback"}, {"cycle", next}}).at("feedback").as_object();
  EXPECT_TRUE(before.at("released").as_array().empty());
  EXPECT_FALSE(before.contains("questions"));
  EXPECT_EQ(json::serialize(before).find(b64("CANARY")), std::string::npos);
  ok(*hana, {{"type", "feedback_release"}, {"cycle", next}, {"item", 2}, {"body", b64("CANARY-a2 for asha")}});
  const auto released = event(*asha, "cycle", "feedback_released");
  EXPECT_EQ(released.at("change").as_string(), "feedback_released");
  EXPECT_EQ(released.at("item").as_int64(), 2);
  const auto after = ok(*asha, {{"type", "feedback"}, {"cycle", next}}).at("feedback").at("released").as_array();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].at("question").as_string(), "What would you change?");
  EXPECT_EQ(after[0].at("body").as_string(), b64("CANARY-a2 for asha"));
  const auto carols = ok(*carol, {{"type", "feedback"}, {"cycle", next}}).at("feedback").at("answers").as_array();
  EXPECT_EQ(carols.at(0).at("body").as_string(), b64("CANARY-a1 carol"));
  EXPECT_FALSE(carols.at(0).as_object().contains("released_at"));
  EXPECT_TRUE(carols.at(1).as_object().contains("released_at"));
  EXPECT_EQ(ok(*hana, {{"type", "feedback"}, {"cycle", next}}).at("feedback").at("answers").at(0).at("body").as_string(),
            b64("CANARY-a1 own"));

  const auto s = ok(*carol, {{"type", "stats"}});
  EXPECT_EQ(s.at("cycles_by_state").at("extended").as_int64(), 1);
  EXPECT_EQ(s.at("cycles_by_state").at("closed").as_int64(), 1);
  EXPECT_EQ(s.at("cycles_by_state").at("requested").as_int64(), 1);  // Hugo's
  EXPECT_EQ(s.at("time_to_pairing").at("count").as_int64(), 1);
  EXPECT_EQ(s.at("cycles_reached_review").as_int64(), 1);
  EXPECT_EQ(s.at("meetings_held").at("total").as_int64(), 1);
  EXPECT_EQ(s.at("cycles").as_array().size(), 3u);
  EXPECT_EQ(json::serialize(s).find("CANARY"), std::string::npos);

  // Every step is audited, without content.
  const auto history = ok(*carol, {{"type", "cycle_show"}, {"cycle", id}}).at("history").as_array();
  std::vector<std::string> actions;
  for (const auto& h : history) actions.emplace_back(h.at("action").as_string());
  EXPECT_EQ(actions, (std::vector<std::string>{"request_created", "offers_sent", "preferences_set", "pairing_arranged",
                                               "cycle_active", "cycle_review_due", "cycle_extended"}));
}

TEST_F(programme_test, ARematchSeesNothingOfTheEarlierPartnership) {
  approve(*carol, *asha);
  approve(*carol, *ben);
  const auto id = request(*hana);
  ok(*carol, {{"type", "pair"}, {"cycle", id}, {"associate", asha->user}});
  const auto ahead = meeting(*hana, asha->user, "2026-11-25T10:00:00.000Z", "2026-11-25T11:00:00.000Z");
  ASSERT_EQ(code_of(ahead), "ok") << json::serialize(ahead);
  ok(*asha, {{"type", "end_request"}, {"cycle", id}, {"reason", "not_working"}});
  EXPECT_EQ(cycle_of(*carol, id).at("end_request").at("by").as_int64(), asha->user);
  EXPECT_EQ(code_of(asha->ask(d, {{"type", "cycle_end"}, {"cycle", id}, {"reason", "not_working"}})), "forbidden");
  const auto ended = ok(*carol, {{"type", "cycle_end"}, {"cycle", id}, {"reason", "not_working"}, {"rematch", true}});
  EXPECT_EQ(ended.at("cycle").at("state").as_string(), "ended_early");
  const auto again = ended.at("rematch").at("cycle").as_int64();
  EXPECT_EQ(ended.at("rematch").at("state").as_string(), "requested");
  EXPECT_FALSE(ended.at("rematch").as_object().contains("concern"));

  // The old associate loses access at once; the meeting ahead is cancelled.
  EXPECT_EQ(code_of(asha->ask(d, send_request(hana->user, {{hana->user, 1}}))), "not_paired");
  EXPECT_EQ(code_of(meeting(*asha, hana->user, "2026-11-26T10:00:00.000Z", "2026-11-26T11:00:00.000Z")), "not_paired");
  const auto old = ok(*asha, {{"type", "meetings"}, {"from", "2026-11-20T00:00:00.000Z"}, {"to", "2026-12-01T00:00:00.000Z"}});
  EXPECT_EQ(old.at("meetings").at(0).at("state").as_string(), "cancelled");

  // The new associate sees only the new partnership.
  ok(*carol, {{"type", "pair"}, {"cycle", again}, {"associate", ben->user}});
  const auto bens = ok(*ben, {{"type", "cycles"}}).at("cycles").as_array();
  ASSERT_EQ(bens.size(), 1u);
  EXPECT_EQ(bens[0].at("cycle").as_int64(), again);
  EXPECT_FALSE(bens[0].as_object().contains("previous"));
  EXPECT_EQ(code_of(ben->ask(d, {{"type", "cycle_show"}, {"cycle", id}})), "not_found");
  EXPECT_EQ(code_of(ben->ask(d, {{"type", "feedback"}, {"cycle", id}})), "not_found");
  EXPECT_EQ(ok(*asha, {{"type", "cycles"}}).at("cycles").at(0).at("state").as_string(), "ended_early");
}

TEST_F(programme_test, RolesAreRefusedBeforeStates) {
  approve(*carol, *asha);
  const auto id = request(*hana);
  EXPECT_EQ(code_of(hana->ask(d, {{"type", "request_create"}, {"school", "X"}, {"region", "north"}})), "limit_reached");
  // A role that may never act is refused whatever the state, so the answer reveals nothing.
  EXPECT_EQ(code_of(hana->ask(d, {{"type", "cycle_close"}, {"cycle", id}})), "forbidden");
  EXPECT_EQ(code_of(asha->ask(d, {{"type", "prefer"}, {"cycle", id}, {"associates", json::array{asha->user}}})), "forbidden");
  EXPECT_EQ(code_of(asha->ask(d, {{"type", "pair"}, {"cycle", 999}, {"associate", asha->user}})), "forbidden");
  // An allowed role in the wrong state is told the state.
  const auto early = carol->ask(d, {{"type", "cycle_close"}, {"cycle", id}});
  ASSERT_EQ(code_of(early), "wrong_state");
  EXPECT_EQ(early.at("state").as_string(), "requested");
  EXPECT_EQ(code_of(hana->ask(d, {{"type", "prefer"}, {"cycle", id}, {"associates", json::array{asha->user}}})), "wrong_state");
  EXPECT_EQ(code_of(carol->ask(d, {{"type", "cycle_show"}, {"cycle", 999}})), "not_found");
  ok(*hana, {{"type", "request_withdraw"}, {"cycle", id}});
  EXPECT_EQ(cycle_of(*hana, id).at("reason").as_string(), "withdrawn");
  EXPECT_EQ(code_of(carol->ask(d, {{"type", "pair"}, {"cycle", id}, {"associate", asha->user}})), "wrong_state");
  ok(*carol, {{"type", "associate_suspend"}, {"associate", asha->user}, {"reason", "leave"}});
  const auto id2 = request(*hana);
  const auto suspended = carol->ask(d, {{"type", "pair"}, {"cycle", id2}, {"associate", asha->user}});
  ASSERT_EQ(code_of(suspended), "associate_unavailable");
  EXPECT_EQ(suspended.at("reason").as_string(), "not_approved");
}

}  // namespace
}  // namespace confidant::service
