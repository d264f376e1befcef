// Personal contact windows (protocol.md 7.22a): a user narrows their own window, never widens it,
// and everything that respects windows (windows, held delivery, meetings) uses the narrowed one.
#include "server/rules/time_format.hpp"
#include "server/service/reminders.hpp"
#include "tests/service/service_fixture.hpp"

#include <gtest/gtest.h>

namespace confidant::service {
namespace {

using testing::member;
using testing::code_of;
using testing::service_test;
namespace json = boost::json;


class windows_test : public service_test {
 protected:
  void SetUp() override {
    carol = enrol(rules::role::coordinator, "Carol");
    hana = enrol(rules::role::headteacher, "Hana");
    asha = enrol(rules::role::associate, "Asha");
    pair(*carol, *hana, *asha);
  }
  json::object windows_of(member& who, std::int64_t user, const char* from, const char* to) {
    return who.ask(d, {{"type", "windows"}, {"user", user}, {"from", from}, {"to", to}});
  }
  json::object send(member& from, const member& to, unsigned char id) {
    const std::array<unsigned char, 32> commitment{};
    return from.ask(d, {{"type", "send"},
                        {"message_id", wire::to_base64url(std::array<unsigned char, 16>{id})},
                        {"to", to.user},
                        {"envelopes", json::array{{{"user", to.user}, {"device", 1}, {"body", "AQI"},
                                                   {"commitment", wire::to_base64url(commitment)}}}}});
  }
  std::unique_ptr<member> carol, hana, asha;
};

TEST_F(windows_test, ANarrowerWindowIsStoredAndWiderOnesAreRefused) {
  const auto set = asha->ask(d, {{"type", "window_set"}, {"days", json::array{1, 2, 3}}, {"start", "09:00"}, {"end", "15:00"}});
  ASSERT_EQ(code_of(set), "ok") << json::serialize(set);
  EXPECT_EQ(set.at("start").as_string(), "09:00");
  EXPECT_EQ(set.at("days").as_array().size(), 3u);

  const auto early = asha->ask(d, {{"type", "window_set"}, {"days", json::array{1}}, {"start", "07:30"}});
  EXPECT_EQ(code_of(early), "invalid_field");
  EXPECT_EQ(early.at("policy").at("start").as_string(), "08:00");
  EXPECT_EQ(code_of(asha->ask(d, {{"type", "window_set"}, {"days", json::array{6}}})), "invalid_field");
  EXPECT_EQ(code_of(asha->ask(d, {{"type", "window_set"}, {"days", json::array{1}}, {"start", "16:00"}, {"end", "10:00"}})),
            "invalid_field");
  EXPECT_EQ(code_of(asha->ask(d, {{"type", "window_set"}, {"days", json::array{1}}, {"start", "9am"}})), "invalid_field");

  // Hana sees Asha's narrowed window for the week of Monday 23 November: three days, 09:00-15:00.
  const auto w = windows_of(*hana, asha->user, "2026-11-23T00:00:00.000Z", "2026-11-28T00:00:00.000Z");
  ASSERT_EQ(code_of(w), "ok") << json::serialize(w);
  const auto& list = w.at("windows").as_array();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].at("start").as_string(), "2026-11-23T09:00:00.000Z");
  EXPECT_EQ(list[2].at("end").as_string(), "2026-11-25T15:00:00.000Z");
  EXPECT_TRUE(w.at("personal").as_bool());

  ASSERT_EQ(code_of(asha->ask(d, {{"type", "window_clear"}})), "ok");
  const auto back = windows_of(*hana, asha->user, "2026-11-23T00:00:00.000Z", "2026-11-28T00:00:00.000Z");
  EXPECT_EQ(back.at("windows").as_array().size(), 5u);
  EXPECT_FALSE(back.contains("personal"));
}

TEST_F(windows_test, MessagesAndMeetingsFollowTheRecipientsNarrowedWindow) {
  ASSERT_EQ(code_of(asha->ask(d, {{"type", "window_set"}, {"days", json::array{1, 2, 3}}, {"start", "09:00"}, {"end", "15:00"}})),
            "ok");
  tb.clock.set(*rules::parse_utc("2026-11-18T15:30:00.000Z"));  // Wednesday 15:30: policy open, Asha's closed
  const auto held = send(*hana, *asha, 1);
  ASSERT_EQ(code_of(held), "ok") << json::serialize(held);
  EXPECT_TRUE(held.at("held").as_bool());
  EXPECT_EQ(held.at("deliver_at").as_string(), "2026-11-23T09:00:00.000Z");
  // Hana kept the policy's window: Asha's reply is delivered at once.
  EXPECT_FALSE(send(*asha, *hana, 2).at("held").as_bool());

  // A Thursday meeting is outside Asha's days.
  const auto thursday = hana->ask(d, {{"type", "meeting_propose"}, {"with", asha->user},
                                      {"start", "2026-11-26T10:00:00.000Z"}, {"end", "2026-11-26T11:00:00.000Z"},
                                      {"mode", "online"}, {"kind", "support"}});
  EXPECT_EQ(code_of(thursday), "contact_window_closed");
  const auto tuesday = hana->ask(d, {{"type", "meeting_propose"}, {"with", asha->user},
                                     {"start", "2026-11-24T10:00:00.000Z"}, {"end", "2026-11-24T11:00:00.000Z"},
                                     {"mode", "online"}, {"kind", "support"}});
  EXPECT_EQ(code_of(tuesday), "ok") << json::serialize(tuesday);
}

}  // namespace
}  // namespace confidant::service

namespace confidant::service {
namespace {

// Reminders before an accepted meeting arrive inside each participant's own window.
TEST_F(windows_test, RemindersComeInsideEachParticipantsWindow) {
  ASSERT_EQ(code_of(asha->ask(d, {{"type", "window_set"}, {"days", json::array{1, 2, 3}}, {"start", "09:00"}, {"end", "15:00"}})),
            "ok");
  // Monday 23 November 10:00-11:00; 24 hours before is Sunday, when both windows are shut.
  const auto p = hana->ask(d, {{"type", "meeting_propose"}, {"with", asha->user},
                               {"start", "2026-11-23T10:00:00.000Z"}, {"end", "2026-11-23T11:00:00.000Z"},
                               {"mode", "online"}, {"kind", "support"}});
  ASSERT_EQ(code_of(p), "ok") << json::serialize(p);
  const auto id = p.at("meeting").at("id").as_int64();
  EXPECT_FALSE(send_due_reminders(*tb.backend, tb.clock.now())) << "a proposal has no reminders";
  ASSERT_EQ(code_of(asha->ask(d, {{"type", "meeting_accept"}, {"meeting", id}})), "ok");
  // A request through the writer first, so that reminders sent after a commit have arrived.
  auto reminders_of = [&](member& who) {
    (void)who.ask(d, {{"type", "ack"}, {"ids", json::array{1'000'000}}});
    std::vector<json::object> out;
    for (auto& e : who.c.events)
      if (e.at("type").as_string() == "meeting_reminder") out.push_back(std::move(e));
    who.c.events.clear();
    return out;
  };
  EXPECT_TRUE(reminders_of(*hana).empty());

  auto at = [](const char* t) { return *rules::parse_utc(t); };
  auto next = send_due_reminders(*tb.backend, at("2026-11-23T07:59:00.000Z"));
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, at("2026-11-23T08:00:00.000Z"));  // Hana's window opens first
  next = send_due_reminders(*tb.backend, *next);
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, at("2026-11-23T09:00:00.000Z"));  // Asha's narrowed window
  const auto to_hana = reminders_of(*hana);
  ASSERT_EQ(to_hana.size(), 1u);
  EXPECT_EQ(to_hana[0].at("meeting").as_int64(), id);
  EXPECT_EQ(to_hana[0].at("with").as_int64(), asha->user);
  EXPECT_TRUE(reminders_of(*asha).empty());
  EXPECT_FALSE(send_due_reminders(*tb.backend, *next));
  const auto to_asha = reminders_of(*asha);
  ASSERT_EQ(to_asha.size(), 1u);
  EXPECT_EQ(to_asha[0].at("start").as_string(), "2026-11-23T10:00:00.000Z");
  EXPECT_TRUE(reminders_of(*hana).empty()) << "each reminder is sent once";
}

}  // namespace
}  // namespace confidant::service
