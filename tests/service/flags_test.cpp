// Safeguarding flags through the dispatcher and the real writer (protocol.md 7.23-7.28): SPOC
// sealing keys, raising (never held, pushed at once, at-least-once at login), acknowledging,
// notes, resolving, escalation on the LA working-day calendar, and the audit trail.
#include "crypto/flag.hpp"
#include "server/rules/time_format.hpp"
#include "server/service/flag_events.hpp"
#include "server/store/audit.hpp"
#include "tests/service/service_fixture.hpp"

#include <gtest/gtest.h>

#include <set>

namespace confidant::service {
namespace {

using namespace std::chrono_literals;
using testing::member;
using testing::code_of;
using testing::service_test;
namespace json = boost::json;


rules::time_point at(const char* utc) { return *rules::parse_utc(utc); }

class flags_test : public service_test {
 protected:
  void SetUp() override {
    carol = enrol(rules::role::coordinator, "Carol");
    hana = enrol(rules::role::headteacher, "Hana");
    asha = enrol(rules::role::associate, "Asha");
    pair(*carol, *hana, *asha);
  }

  std::unique_ptr<member> enrol_spoc(const std::string& name, bool deputy) {
    std::promise<std::string> code;
    issue_invite(tb.db->write(), rules::role::spoc, name, std::nullopt, tb.clock.now(), 24h * 7,
                 [&](boost::system::result<issued_invite> r) { code.set_value(r ? r->code : std::string{}); },
                 std::nullopt, deputy);
    auto who = std::make_unique<member>();
    who->c = connect();
    const auto reg = who->c.ask(d, who->keys.register_request(code.get_future().get()));
    EXPECT_EQ(code_of(reg), "ok") << json::serialize(reg);
    who->user = reg.at("user").as_int64();
    spocs.insert(who->user);
    EXPECT_EQ(code_of(login(who->c, who->keys, who->user, 1)), "ok");
    return who;
  }

  crypto::flag::spoc_device_key make_key(member& spoc, std::uint32_t key_id) {
    const auto now_s = static_cast<std::uint64_t>(tb.clock.now().time_since_epoch().count() / 1000);
    return crypto::flag::spoc_device_key::generate(spoc.keys.identity, key_id, now_s - 60, now_s + 86400 * 90, rng);
  }

  json::object publish(member& spoc, const crypto::flag::spoc_device_key& k) {
    return spoc.ask(d, {{"type", "spoc_key_publish"}, {"certificate", wire::to_base64url(k.certificate().to_bytes())}});
  }

  // Seals `text` for every SPOC device the server lists, as a raiser's client does.
  json::array copies(member& raiser, std::string_view text) {
    const auto keys = raiser.ask(d, {{"type", "spoc_keys"}}).at("keys").as_array();
    json::array out;
    const auto now_s = static_cast<std::uint64_t>(tb.clock.now().time_since_epoch().count() / 1000);
    for (const auto& v : keys) {
      const auto& k = v.as_object();
      const auto cert_bytes = wire::from_base64url(k.at("certificate").as_string()).value();
      const auto cert = crypto::flag::spoc_key_certificate::from_bytes(cert_bytes).value();
      const crypto::flag::spoc_key_certificate one[] = {cert};
      auto sealed = crypto::flag::seal(raiser.keys.identity, cert.spoc_identity, one, now_s, crypto::as_bytes(text), rng);
      EXPECT_TRUE(sealed);
      out.push_back({{"user", k.at("user")}, {"device", k.at("device")}, {"key_id", k.at("key_id")},
                     {"sealed", wire::to_base64url((*sealed)[0].to_bytes())}});
    }
    return out;
  }

  json::object raise(member& raiser, std::array<unsigned char, 16> id, std::string_view text = "concern",
                     std::string category = "child_protection") {
    return raiser.ask(d, {{"type", "flag_raise"},
                          {"flag_id", wire::to_base64url(id)},
                          {"category", category},
                          {"urgency", "immediate"},
                          {"copies", copies(raiser, text)}});
  }

  // The events of `type` that reached `who`: a request through the writer first, whose answer
  // comes after every event an earlier commit sent.
  std::vector<json::object> events_of(member& who, std::string_view type) {
    const auto sync = who.ask(d, who.user == 0 ? json::object{} : sync_request(who));
    EXPECT_EQ(code_of(sync), "ok") << json::serialize(sync);
    std::vector<json::object> out;
    for (auto& e : who.c.events)
      if (e.at("type").as_string() == type) out.push_back(std::move(e));
    who.c.events.clear();
    return out;
  }
  json::object sync_request(const member& who) const {
    if (spocs.contains(who.user)) return {{"type", "flag_received"}, {"flags", json::array{1'000'000}}};
    return {{"type", "ack"}, {"ids", json::array{1'000'000}}};
  }
  std::set<std::int64_t> spocs;

  crypto::system_random rng;
  std::unique_ptr<member> carol, hana, asha;
};

TEST_F(flags_test, NoFlagCanBeRaisedBeforeASpocPublishesAKey) {
  EXPECT_EQ(hana->ask(d, {{"type", "spoc_keys"}}).at("keys").as_array().size(), 0u);
  const auto a = hana->ask(d, {{"type", "flag_raise"},
                               {"flag_id", wire::to_base64url(std::array<unsigned char, 16>{1})},
                               {"category", "other"},
                               {"urgency", "standard"},
                               {"copies", json::array{{{"user", 9}, {"device", 1}, {"key_id", 1}, {"sealed", "AAAAAQE"}}}}});
  EXPECT_EQ(code_of(a), "no_spoc");
  // With no key to seal to, an empty copies list still gets the emergency route.
  const auto route = hana->ask(d, {{"type", "flag_raise"},
                                   {"flag_id", wire::to_base64url(std::array<unsigned char, 16>{1})},
                                   {"category", "other"},
                                   {"urgency", "immediate"},
                                   {"copies", json::array{}}});
  EXPECT_EQ(code_of(route), "no_spoc");
  EXPECT_NE(route.at("emergency_route").as_string().find("999"), std::string::npos);
}

TEST_F(flags_test, KeyPublishingChecksSignerValidityOrderAndRole) {
  auto spoc = enrol_spoc("Sam", false);
  EXPECT_EQ(code_of(publish(*spoc, make_key(*spoc, 2))), "ok");
  EXPECT_EQ(code_of(publish(*spoc, make_key(*spoc, 2))), "invalid_field");  // not higher
  EXPECT_EQ(code_of(publish(*spoc, make_key(*spoc, 1))), "invalid_field");
  EXPECT_EQ(code_of(publish(*spoc, make_key(*hana, 3))), "invalid_field");  // signed by someone else
  EXPECT_EQ(code_of(publish(*hana, make_key(*hana, 1))), "forbidden");
  const auto now_s = static_cast<std::uint64_t>(tb.clock.now().time_since_epoch().count() / 1000);
  auto expired = crypto::flag::spoc_device_key::generate(spoc->keys.identity, 5, now_s - 7200, now_s - 3600, rng);
  EXPECT_EQ(code_of(publish(*spoc, expired)), "invalid_field");
  const auto keys = hana->ask(d, {{"type", "spoc_keys"}}).at("keys").as_array();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].at("key_id").as_int64(), 2);
  EXPECT_EQ(keys[0].at("deputy").as_bool(), false);
}

TEST_F(flags_test, ASaturdayNightFlagReachesTheSpocAtOnceWhileAMessageWaitsForMonday) {
  auto spoc = enrol_spoc("Sam", false);
  auto deputy = enrol_spoc("Dee", true);
  ASSERT_EQ(code_of(publish(*spoc, make_key(*spoc, 1))), "ok");
  ASSERT_EQ(code_of(publish(*deputy, make_key(*deputy, 1))), "ok");
  tb.clock.set(at("2026-11-21T22:40:00.000Z"));  // Saturday night (GMT)

  const auto a = raise(*hana, {7});
  ASSERT_EQ(code_of(a), "ok") << json::serialize(a);
  EXPECT_EQ(a.at("state").as_string(), "received");
  EXPECT_EQ(a.at("deadline_at").as_string(), "2026-11-23T10:00:00.000Z");
  EXPECT_TRUE(a.at("out_of_hours").as_bool());
  EXPECT_NE(a.at("emergency_route").as_string().find("999"), std::string::npos);
  EXPECT_FALSE(a.contains("raised_by"));  // the raiser's view

  const auto to_spoc = events_of(*spoc, "flag");
  ASSERT_EQ(to_spoc.size(), 1u);
  EXPECT_TRUE(to_spoc[0].at("alert").as_bool());
  EXPECT_EQ(to_spoc[0].at("raised_by").at("user").as_int64(), hana->user);
  EXPECT_EQ(to_spoc[0].at("category").as_string(), "child_protection");
  EXPECT_EQ(to_spoc[0].at("flag_id").as_string(), wire::to_base64url(std::array<unsigned char, 16>{7}));
  const auto to_deputy = events_of(*deputy, "flag");
  ASSERT_EQ(to_deputy.size(), 1u);
  EXPECT_FALSE(to_deputy[0].at("alert").as_bool());

  // The same moment, an ordinary message to her associate waits for Monday 08:00.
  const std::array<unsigned char, 32> commitment{};
  const auto sent = hana->ask(
      d, {{"type", "send"},
          {"message_id", wire::to_base64url(std::array<unsigned char, 16>{1})},
          {"to", asha->user},
          {"envelopes", json::array{{{"user", asha->user}, {"device", 1}, {"body", "AQI"}, {"commitment", wire::to_base64url(commitment)}}}}});
  ASSERT_EQ(code_of(sent), "ok") << json::serialize(sent);
  EXPECT_TRUE(sent.at("held").as_bool());
  EXPECT_EQ(sent.at("deliver_at").as_string(), "2026-11-23T08:00:00.000Z");

  const auto resend = raise(*hana, {7}, "a different text");
  EXPECT_EQ(resend.at("flag").as_int64(), a.at("flag").as_int64());
  EXPECT_TRUE(events_of(*spoc, "flag").empty());  // a resend delivers nothing new
}

TEST_F(flags_test, CopiesMustMatchTheCurrentKeysAfterARotation) {
  auto spoc = enrol_spoc("Sam", false);
  ASSERT_EQ(code_of(publish(*spoc, make_key(*spoc, 1))), "ok");
  const auto stale = copies(*hana, "x");
  ASSERT_EQ(code_of(publish(*spoc, make_key(*spoc, 2))), "ok");
  const auto a = hana->ask(d, {{"type", "flag_raise"},
                               {"flag_id", wire::to_base64url(std::array<unsigned char, 16>{3})},
                               {"category", "whistleblowing"},
                               {"urgency", "urgent"},
                               {"copies", stale}});
  EXPECT_EQ(code_of(a), "spoc_keys_changed");
  EXPECT_EQ(code_of(raise(*hana, {3})), "ok");
  EXPECT_EQ(code_of(spoc->ask(d, {{"type", "flag_raise"},
                                  {"flag_id", wire::to_base64url(std::array<unsigned char, 16>{4})},
                                  {"category", "other"},
                                  {"urgency", "urgent"},
                                  {"copies", copies(*spoc, "x")}})),
            "forbidden");
}

TEST_F(flags_test, AnOfflineSpocGetsTheFlagAtEveryLoginUntilItConfirms) {
  auto spoc = enrol_spoc("Sam", false);
  ASSERT_EQ(code_of(publish(*spoc, make_key(*spoc, 1))), "ok");
  const auto id = raise(*asha, {9}).at("flag").as_int64();
  EXPECT_EQ(events_of(*spoc, "flag").size(), 1u);
  for (int round = 0; round < 2; ++round) {
    spoc->c = connect();
    ASSERT_EQ(code_of(login(spoc->c, spoc->keys, spoc->user, 1)), "ok");
    const auto again = events_of(*spoc, "flag");
    ASSERT_EQ(again.size(), 1u) << "round " << round;
    EXPECT_EQ(again[0].at("flag").as_int64(), id);
  }
  EXPECT_EQ(spoc->ask(d, {{"type", "flag_received"}, {"flags", json::array{id, id + 100}}}).at("received").as_int64(), 1);
  spoc->c = connect();
  ASSERT_EQ(code_of(login(spoc->c, spoc->keys, spoc->user, 1)), "ok");
  EXPECT_TRUE(events_of(*spoc, "flag").empty());
}

TEST_F(flags_test, HandlingMovesThroughTheStatesAndTheRaiserSeesOnlyTheState) {
  auto spoc = enrol_spoc("Sam", false);
  ASSERT_EQ(code_of(publish(*spoc, make_key(*spoc, 1))), "ok");
  const auto id = raise(*hana, {5}).at("flag").as_int64();
  const json::object resolve{{"type", "flag_resolve"}, {"flag", id}, {"outcome", "referred_to_childrens_social_care"}};
  const auto early = spoc->ask(d, resolve);
  EXPECT_EQ(code_of(early), "wrong_state");
  EXPECT_EQ(early.at("state").as_string(), "received");
  EXPECT_EQ(code_of(hana->ask(d, {{"type", "flag_ack"}, {"flag", id}})), "forbidden");
  EXPECT_EQ(code_of(spoc->ask(d, {{"type", "flag_ack"}, {"flag", id + 1}})), "not_found");

  const auto acked = spoc->ask(d, {{"type", "flag_ack"}, {"flag", id}});
  ASSERT_EQ(code_of(acked), "ok");
  EXPECT_EQ(acked.at("acknowledged_by").as_int64(), spoc->user);
  EXPECT_EQ(code_of(spoc->ask(d, {{"type", "flag_ack"}, {"flag", id}})), "wrong_state");
  auto states = events_of(*hana, "flag_state");
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].at("state").as_string(), "acknowledged");

  const auto note = spoc->ask(d, {{"type", "flag_note"},
                                  {"flag", id},
                                  {"note_id", wire::to_base64url(std::array<unsigned char, 16>{1})},
                                  {"copies", copies(*spoc, "rang the school")}});
  ASSERT_EQ(code_of(note), "ok") << json::serialize(note);
  EXPECT_EQ(code_of(spoc->ask(d, {{"type", "flag_resolve"}, {"flag", id}, {"outcome", "closed"}})), "invalid_field");
  const auto resolved = spoc->ask(d, resolve);
  ASSERT_EQ(code_of(resolved), "ok");
  EXPECT_EQ(resolved.at("outcome").as_string(), "referred_to_childrens_social_care");
  EXPECT_EQ(code_of(spoc->ask(d, {{"type", "flag_note"},
                                  {"flag", id},
                                  {"note_id", wire::to_base64url(std::array<unsigned char, 16>{2})},
                                  {"copies", copies(*spoc, "late")}})),
            "wrong_state");

  const auto mine = hana->ask(d, {{"type", "flags"}}).at("flags").as_array();
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].at("state").as_string(), "resolved");
  EXPECT_FALSE(mine[0].as_object().contains("outcome"));
  EXPECT_FALSE(mine[0].as_object().contains("raised_by"));
  EXPECT_TRUE(asha->ask(d, {{"type", "flags"}}).at("flags").as_array().empty());  // not hers

  const auto shown = spoc->ask(d, {{"type", "flag_show"}, {"flag", id}});
  ASSERT_EQ(code_of(shown), "ok");
  EXPECT_TRUE(shown.contains("copy"));
  EXPECT_EQ(shown.at("notes").as_array().size(), 1u);
  std::vector<std::string> actions;
  for (const auto& h : shown.at("history").as_array()) actions.emplace_back(h.at("action").as_string());
  EXPECT_EQ(actions, (std::vector<std::string>{"flag_raised", "flag_acknowledged", "flag_note_added", "flag_resolved"}));
  EXPECT_EQ(code_of(hana->ask(d, {{"type", "flag_show"}, {"flag", id}})), "forbidden");
}

TEST_F(flags_test, AMissedDeadlineAlertsEverySpocDeviceEachWorkingHourUntilAcknowledged) {
  auto spoc = enrol_spoc("Sam", false);
  auto deputy = enrol_spoc("Dee", true);
  ASSERT_EQ(code_of(publish(*spoc, make_key(*spoc, 1))), "ok");
  ASSERT_EQ(code_of(publish(*deputy, make_key(*deputy, 1))), "ok");
  tb.clock.set(at("2026-12-24T17:00:00.000Z"));  // Christmas Eve, 17:00 GMT
  const auto raised = raise(*asha, {1});
  // One working hour on Thursday, then Friday 25, the weekend and Monday 28 (the Boxing Day
  // substitute) are shut: due at 09:00 on Tuesday 29 December.
  ASSERT_EQ(raised.at("deadline_at").as_string(), "2026-12-29T09:00:00.000Z");
  const auto id = raised.at("flag").as_int64();
  (void)events_of(*spoc, "flag");
  (void)events_of(*deputy, "flag");

  auto next = escalate_due_flags(*tb.backend, at("2026-12-29T08:59:59.000Z"));
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, at("2026-12-29T09:00:00.000Z"));
  EXPECT_TRUE(events_of(*deputy, "flag_alert").empty());

  next = escalate_due_flags(*tb.backend, at("2026-12-29T09:00:00.000Z"));
  for (auto* who : {spoc.get(), deputy.get()}) {
    const auto alerts = events_of(*who, "flag_alert");
    ASSERT_EQ(alerts.size(), 1u);
    EXPECT_EQ(alerts[0].at("escalations").as_int64(), 1);
    EXPECT_EQ(alerts[0].at("flag").as_int64(), id);
  }
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, at("2026-12-29T10:00:00.000Z"));
  next = escalate_due_flags(*tb.backend, *next);
  for (auto* who : {spoc.get(), deputy.get()}) EXPECT_EQ(events_of(*who, "flag_alert").at(0).at("escalations").as_int64(), 2);

  tb.clock.set(at("2026-12-29T10:05:00.000Z"));
  ASSERT_EQ(code_of(deputy->ask(d, {{"type", "flag_ack"}, {"flag", id}})), "ok");
  EXPECT_FALSE(escalate_due_flags(*tb.backend, at("2026-12-29T12:00:00.000Z")));
  EXPECT_TRUE(events_of(*spoc, "flag_alert").empty());
  const auto listed = spoc->ask(d, {{"type", "flags"}}).at("flags").as_array();
  EXPECT_EQ(listed.at(0).at("escalations").as_int64(), 2);
}

TEST_F(flags_test, EveryStepIsInTheAuditChainWithoutContent) {
  auto spoc = enrol_spoc("Sam", false);
  ASSERT_EQ(code_of(publish(*spoc, make_key(*spoc, 1))), "ok");
  const std::string canary = "CANARY-flag-text-5e1f";
  const auto id = raise(*hana, {2}, canary).at("flag").as_int64();
  ASSERT_EQ(code_of(spoc->ask(d, {{"type", "flag_ack"}, {"flag", id}})), "ok");
  std::vector<std::string> actions;
  std::string everything;
  ASSERT_TRUE(tb.db->read([&](store::database& db) -> store::result<void> {
    auto v = store::verify_audit(db);
    EXPECT_TRUE(v && !v->broken_at);
    return store::for_each_audit(db, 0, INT64_MAX, [&](const store::audit_entry& e) {
      actions.push_back(e.action);
      everything += e.actor + e.action + e.object + e.detail;
    });
  }));
  for (const auto* expected : {"invite_created", "account_registered", "pairing_arranged", "spoc_key_published",
                               "flag_raised", "flag_acknowledged"})
    EXPECT_NE(std::ranges::find(actions, expected), actions.end()) << expected;
  EXPECT_EQ(everything.find(canary), std::string::npos);
}

}  // namespace
}  // namespace confidant::service
