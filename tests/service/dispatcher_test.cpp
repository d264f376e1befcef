#include "server/service/dispatcher.hpp"

#include "crypto/identity.hpp"
#include "crypto/prekeys.hpp"
#include "schema/wire/base64url.hpp"
#include "server/service/expiry.hpp"
#include "server/service/held.hpp"
#include "server/rules/time_format.hpp"
#include "server/service/invites.hpp"
#include "server/store/settings.hpp"
#include "tests/service/service_fixture.hpp"

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <future>

namespace confidant::service {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

using testing::member;
using client = testing::test_client;
using device_keys = testing::test_device_keys;

struct fixture_base : testing::service_test {
  explicit fixture_base(rules::policy policy) : service_test(std::move(policy)) {}
};

struct service_fixture : fixture_base {
  service_fixture() : fixture_base(*rules::preset("la-peer-support")) {}
};

TEST_F(service_fixture, HelloAnswersWithServerTimeAndKey) {
  client c;
  c.conn = d.open(c.peer, "x");
  const auto a = c.ask(d, {{"type", "hello"}, {"versions", json::array{"confidant.v0", "confidant.v1"}}});
  EXPECT_EQ(a.at("version").as_string(), "confidant.v1");
  EXPECT_EQ(a.at("server_time").as_string(), "2026-11-18T11:06:40.000Z");
  EXPECT_EQ(a.at("tenant").as_string(), "Demo LA");
  EXPECT_EQ(wire::from_base64url(a.at("server_key").as_string()).value().size(), 32u);
  EXPECT_TRUE(c.conn->greeted);
}

TEST_F(service_fixture, StatesAreEnforced) {
  client c;
  c.conn = d.open(c.peer, "x");
  EXPECT_EQ(c.ask(d, {{"type", "challenge"}}).at("code").as_string(), "hello_required");
  EXPECT_EQ(c.ask(d, {{"type", "hello"}, {"versions", json::array{"confidant.v1"}}}).at("type").as_string(), "ok");
  EXPECT_EQ(c.ask(d, {{"type", "contacts"}}).at("code").as_string(), "not_authenticated");
  EXPECT_EQ(c.ask(d, {{"type", "fly"}}).at("code").as_string(), "unknown_type");
  EXPECT_NE(m.render().find("confidant_errors_total{code=\"hello_required\"} 1"), std::string::npos);
}

TEST_F(service_fixture, InvitesAreOneTimeAndExpire) {
  auto c = connect();
  device_keys a;
  const auto code = invite(rules::role::coordinator, "Carol");
  const auto ok = c.ask(d, a.register_request(code));
  ASSERT_EQ(ok.at("type").as_string(), "ok");
  EXPECT_EQ(ok.at("role").as_string(), "coordinator");
  EXPECT_EQ(ok.at("display_name").as_string(), "Carol");
  device_keys b;
  EXPECT_EQ(c.ask(d, b.register_request(code)).at("code").as_string(), "invite_used");
  EXPECT_EQ(c.ask(d, b.register_request("0000-0000-0000-0000-0000-0000-00")).at("code").as_string(), "invite_unknown");
  const auto short_lived = invite(rules::role::headteacher, "Hana", 1h);
  tb.clock.set(tb.clock.now() + 1h);
  EXPECT_EQ(c.ask(d, b.register_request(short_lived)).at("code").as_string(), "invite_expired");
  EXPECT_EQ(c.ask(d, a.register_request(invite(rules::role::associate, "Al"))).at("code").as_string(), "identity_in_use");
}

TEST_F(service_fixture, LoginFailuresLookAlikeAndAreThrottled) {
  auto carol = enrol(rules::role::coordinator, "Carol");
  auto c = connect("198.51.100.7");
  device_keys stranger;
  const auto wrong_key = login(c, stranger, carol->user, 1);
  const auto no_user = login(c, stranger, 999, 1);
  const auto no_device = login(c, stranger, carol->user, 9);
  for (const auto* a : {&wrong_key, &no_user, &no_device}) {
    EXPECT_EQ(a->at("code").as_string(), "login_failed");
    EXPECT_EQ(a->at("message"), wrong_key.at("message"));
  }
  EXPECT_EQ(c.ask(d, {{"type", "login"}, {"user", 1}, {"device", 1}, {"signature", wire::to_base64url(std::vector<unsigned char>(64))}})
                .at("code")
                .as_string(),
            "challenge_required");
  // Five failures per (user, device): the sixth attempt is refused before verification.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(login(c, stranger, carol->user, 1).at("code").as_string(), "login_failed");
  const auto limited = login(c, carol->keys, carol->user, 1);
  EXPECT_EQ(limited.at("code").as_string(), "rate_limited");
  EXPECT_GT(limited.at("retry_after_ms").as_int64(), 0);
  tb.clock.set(tb.clock.now() + 1min);
  EXPECT_EQ(login(c, carol->keys, carol->user, 1).at("type").as_string(), "ok");
}

TEST_F(service_fixture, MessagesNeedAPairingAndAreDeliveredAndAcknowledged) {
  auto carol = enrol(rules::role::coordinator, "Carol");
  auto head = enrol(rules::role::headteacher, "Hana");
  auto assoc = enrol(rules::role::associate, "Asha");
  EXPECT_EQ(head->c.ask(d, send_request(assoc->user, {{assoc->user, 1}})).at("code").as_string(), "not_paired");
  EXPECT_EQ(head->c.ask(d, {{"type", "pair_create"}, {"headteacher", head->user}, {"associate", assoc->user}}).at("code").as_string(),
            "forbidden");
  const auto unapproved = carol->c.ask(d, {{"type", "pair_create"}, {"headteacher", head->user}, {"associate", assoc->user}});
  EXPECT_EQ(unapproved.at("code").as_string(), "associate_unavailable");
  EXPECT_EQ(unapproved.at("reason").as_string(), "not_approved");
  approve(*carol, *assoc);
  auto p = carol->c.ask(d, {{"type", "pair_create"}, {"headteacher", head->user}, {"associate", assoc->user}});
  ASSERT_EQ(p.at("type").as_string(), "ok");
  EXPECT_TRUE(p.at("created").as_bool());
  EXPECT_EQ(assoc->c.next_event().at("prompt").as_string(), "make_contact");  // the cycle event: paired
  EXPECT_EQ(head->c.next_event().at("change").as_string(), "paired");
  EXPECT_EQ(carol->c.ask(d, {{"type", "pair_create"}, {"headteacher", assoc->user}, {"associate", head->user}}).at("code").as_string(),
            "wrong_role");

  const auto accepted = head->c.ask(d, send_request(assoc->user, {{assoc->user, 1}}));
  ASSERT_EQ(accepted.at("type").as_string(), "ok") << json::serialize(accepted);
  const auto ev = assoc->c.peer->next();
  EXPECT_EQ(ev.at("type").as_string(), "message");
  EXPECT_EQ(ev.at("id"), accepted.at("id"));
  EXPECT_EQ(ev.at("from").at("user").as_int64(), head->user);
  EXPECT_EQ(ev.at("to").as_int64(), assoc->user);
  EXPECT_EQ(ev.at("body").as_string(), "AQIDBA");
  EXPECT_FALSE(ev.at("stamp").as_string().empty());

  // A resend with the same id: the same answer, nothing new delivered.
  auto resent = head->c.ask(d, send_request(assoc->user, {{assoc->user, 1}}));
  resent.erase("rid");
  auto first = accepted;
  first.erase("rid");
  EXPECT_EQ(resent, first);
  const auto ack = assoc->c.ask(d, {{"type", "ack"}, {"ids", json::array{accepted.at("id")}}});
  EXPECT_EQ(ack.at("acknowledged").as_int64(), 1);
  EXPECT_TRUE(assoc->c.events.empty());
  EXPECT_EQ(assoc->c.ask(d, {{"type", "ack"}, {"ids", json::array{accepted.at("id")}}}).at("acknowledged").as_int64(), 0);
}

TEST_F(service_fixture, OfflineDevicesGetTheirMessagesAtLoginInOrder) {
  auto carol = enrol(rules::role::coordinator, "Carol");
  auto head = enrol(rules::role::headteacher, "Hana");
  const auto head_user = head->user;
  auto keys = std::move(head->keys);
  head.reset();  // Hana goes offline
  std::vector<std::int64_t> ids;
  for (unsigned char i = 1; i <= 3; ++i) {
    const auto a = carol->c.ask(d, send_request(head_user, {{head_user, 1}}, i));
    ASSERT_EQ(a.at("type").as_string(), "ok") << json::serialize(a);
    ids.push_back(a.at("id").as_int64());
  }
  auto again = connect();
  const auto ok = login(again, keys, head_user, 1);
  ASSERT_EQ(ok.at("type").as_string(), "ok");
  EXPECT_EQ(ok.at("pending").as_int64(), 3);
  for (const auto id : ids) EXPECT_EQ(again.peer->next().at("id").as_int64(), id);
}

TEST_F(service_fixture, EnvelopesMustMatchTheDevices) {
  auto carol = enrol(rules::role::coordinator, "Carol");
  auto head = enrol(rules::role::headteacher, "Hana");
  const auto r = carol->c.ask(d, send_request(head->user, {{head->user, 2}}));
  ASSERT_EQ(r.at("code").as_string(), "device_mismatch");
  EXPECT_EQ(r.at("missing").as_array().size(), 1u);
  EXPECT_EQ(r.at("missing").at(0).at("device").as_int64(), 1);
  EXPECT_EQ(r.at("stale").at(0).at("device").as_int64(), 2);
}

TEST_F(service_fixture, RemovingADeviceClosesItAndItCannotLogIn) {
  auto head = enrol(rules::role::headteacher, "Hana");
  EXPECT_EQ(head->c.ask(d, {{"type", "device_remove"}, {"device", 1}}).at("code").as_string(), "last_device");
  const auto link = head->c.ask(d, {{"type", "device_link"}});
  ASSERT_EQ(link.at("type").as_string(), "ok");
  auto second = connect();
  device_keys keys2;
  const auto reg = second.ask(d, keys2.register_request(std::string{link.at("code").as_string()}));
  ASSERT_EQ(reg.at("type").as_string(), "ok");
  EXPECT_EQ(reg.at("user").as_int64(), head->user);
  EXPECT_EQ(reg.at("device").as_int64(), 2);
  ASSERT_EQ(login(second, keys2, head->user, 2).at("type").as_string(), "ok");
  EXPECT_EQ(head->c.ask(d, {{"type", "device_remove"}, {"device", 2}}).at("type").as_string(), "ok");
  EXPECT_EQ(second.peer->wait_closed(), 4001);
  auto third = connect();
  EXPECT_EQ(login(third, keys2, head->user, 2).at("code").as_string(), "login_failed");
}

TEST_F(service_fixture, BundlesHandOutEachOneTimePrekeyOnce) {
  auto carol = enrol(rules::role::coordinator, "Carol");
  auto head = enrol(rules::role::headteacher, "Hana");
  std::set<std::int64_t> seen;
  for (int i = 0; i < 20; ++i) {
    const auto b = carol->c.ask(d, {{"type", "bundle"}, {"user", head->user}});
    ASSERT_EQ(b.at("devices").as_array().size(), 1u);
    const auto& dev = b.at("devices").at(0).as_object();
    ASSERT_TRUE(dev.contains("one_time_prekey"));
    EXPECT_TRUE(seen.insert(dev.at("one_time_prekey").at("id").as_int64()).second);
  }
  const auto none = carol->c.ask(d, {{"type", "bundle"}, {"user", head->user}});
  EXPECT_FALSE(none.at("devices").at(0).as_object().contains("one_time_prekey"));
  // Hana was told her supply ran low (below 10).
  bool low = false;
  while (head->c.peer->pending() > 0) low |= head->c.peer->next().at("type").as_string() == "prekeys_low";
  EXPECT_TRUE(low);
}

TEST_F(service_fixture, DisablingAnAccountClosesItsConnections) {
  auto carol = enrol(rules::role::coordinator, "Carol");
  auto head = enrol(rules::role::headteacher, "Hana");
  EXPECT_EQ(carol->c.ask(d, {{"type", "account_disable"}, {"user", head->user}}).at("type").as_string(), "ok");
  EXPECT_EQ(head->c.peer->wait_closed(), 4002);
  auto again = connect();
  EXPECT_EQ(login(again, head->keys, head->user, 1).at("code").as_string(), "login_failed");
}

TEST_F(service_fixture, UndeliveredEnvelopesExpireWithANoticeToTheSender) {
  auto carol = enrol(rules::role::coordinator, "Carol");
  auto head = enrol(rules::role::headteacher, "Hana");
  const auto head_user = head->user;
  head.reset();  // offline for good
  const auto sent = carol->c.ask(d, send_request(head_user, {{head_user, 1}}));
  ASSERT_EQ(sent.at("type").as_string(), "ok");

  auto sweep = [&] {
    std::promise<std::size_t> n;
    sweep_expired(*tb.backend, [&](std::size_t count) { n.set_value(count); });
    return n.get_future().get();
  };
  tb.clock.set(tb.clock.now() + 29 * 24h);
  EXPECT_EQ(sweep(), 0u);
  tb.clock.set(tb.clock.now() + 24h);
  EXPECT_EQ(sweep(), 1u);
  const auto notice = carol->c.peer->next();
  EXPECT_EQ(notice.at("type").as_string(), "expired");
  EXPECT_EQ(notice.at("message"), sent.at("id"));
  EXPECT_EQ(notice.at("user").as_int64(), head_user);
  EXPECT_EQ(notice.at("device").as_int64(), 1);
  EXPECT_GT(notice.at("id").as_int64(), sent.at("id").as_int64());
  EXPECT_EQ(carol->c.ask(d, {{"type", "ack"}, {"ids", json::array{notice.at("id")}}}).at("acknowledged").as_int64(), 1);
}

TEST_F(service_fixture, TheDeliveryWindowHoldsBackWhatIsNotAcknowledged) {
  auto carol = enrol(rules::role::coordinator, "Carol");
  auto head = enrol(rules::role::headteacher, "Hana");
  const auto window = tb.backend->limits.delivery_window;
  for (std::size_t i = 0; i < window + 6; ++i) {
    auto r = send_request(head->user, {{head->user, 1}}, static_cast<unsigned char>(i + 1));
    ASSERT_EQ(carol->c.ask(d, std::move(r)).at("type").as_string(), "ok");
    tb.clock.set(tb.clock.now() + 1s);  // stay under the send rate
  }
  json::array ids;
  for (std::size_t i = 0; i < window; ++i) ids.push_back(head->c.peer->next().at("id"));
  EXPECT_EQ(head->c.peer->pending(), 0u) << "no more than the window before acknowledgements";
  EXPECT_EQ(head->c.ask(d, {{"type", "ack"}, {"ids", ids}}).at("acknowledged").as_int64(), static_cast<std::int64_t>(window));
  // The acknowledgement made room at once: the other six came before its answer, in order.
  ASSERT_EQ(head->c.events.size(), 6u);
  auto last = ids.back().as_int64();
  for (const auto& ev : head->c.events) {
    EXPECT_EQ(ev.at("type").as_string(), "message");
    EXPECT_GT(ev.at("id").as_int64(), last);
    last = ev.at("id").as_int64();
  }
}

rules::time_point utc(const char* text) { return rules::parse_utc(text).value(); }

TEST_F(service_fixture, OutsideTheWindowAMessageIsHeldUntilItOpens) {
  auto carol = enrol(rules::role::coordinator, "Carol");
  auto head = enrol(rules::role::headteacher, "Hana");
  auto assoc = enrol(rules::role::associate, "Asha");
  pair(*carol, *head, *assoc);

  tb.clock.set(utc("2026-11-21T20:00:00.000Z"));  // Saturday evening
  const auto held = head->c.ask(d, send_request(assoc->user, {{assoc->user, 1}}));
  ASSERT_EQ(held.at("type").as_string(), "ok") << json::serialize(held);
  EXPECT_TRUE(held.at("held").as_bool());
  EXPECT_EQ(held.at("reason").as_string(), "outside_contact_window");
  EXPECT_EQ(held.at("deliver_at").as_string(), "2026-11-23T08:00:00.000Z");  // Monday 08:00 (GMT)
  // A coordinator's programme notice is never held.
  const auto notice = carol->c.ask(d, send_request(assoc->user, {{assoc->user, 1}}, 2));
  EXPECT_FALSE(notice.at("held").as_bool());
  EXPECT_EQ(assoc->c.peer->next().at("id"), notice.at("id"));
  EXPECT_EQ(assoc->c.peer->pending(), 0u) << "the held message waits";

  auto since = tb.clock.now();
  tb.clock.set(utc("2026-11-23T07:59:59.999Z"));
  EXPECT_EQ(release_held(*tb.backend, since, tb.clock.now()), utc("2026-11-23T08:00:00.000Z"));
  EXPECT_EQ(assoc->c.peer->pending(), 0u);
  since = tb.clock.now();
  tb.clock.set(utc("2026-11-23T08:00:00.000Z"));
  EXPECT_EQ(release_held(*tb.backend, since, tb.clock.now()), std::nullopt);
  const auto released = assoc->c.peer->next();
  EXPECT_EQ(released.at("type").as_string(), "message");
  EXPECT_EQ(released.at("id"), held.at("id"));
}

TEST_F(service_fixture, AReleaseLargerThanTheWindowIsDeliveredOnceInOrderBesideLaterMessages) {
  auto carol = enrol(rules::role::coordinator, "Carol");
  auto head = enrol(rules::role::headteacher, "Hana");
  auto assoc = enrol(rules::role::associate, "Asha");
  pair(*carol, *head, *assoc);
  const auto window = tb.backend->limits.delivery_window;

  tb.clock.set(utc("2026-11-21T20:00:00.000Z"));  // Saturday evening: held until Monday 08:00
  std::vector<std::int64_t> held;
  for (std::size_t i = 0; i < 2 * window + 5; ++i) {
    const auto r = head->c.ask(d, send_request(assoc->user, {{assoc->user, 1}}, static_cast<unsigned char>(i + 1)));
    ASSERT_TRUE(r.at("held").as_bool()) << json::serialize(r);
    held.push_back(r.at("id").as_int64());
    tb.clock.set(tb.clock.now() + 1s);  // stay under the send rate
  }
  // A notice delivered at once moves the connection's cursor past every held id.
  const auto notice = carol->c.ask(d, send_request(assoc->user, {{assoc->user, 1}}, 200));
  ASSERT_EQ(assoc->c.next_event().at("id"), notice.at("id"));
  ASSERT_EQ(assoc->c.ask(d, {{"type", "ack"}, {"ids", json::array{notice.at("id")}}}).at("type").as_string(), "ok");

  const auto since = tb.clock.now();
  tb.clock.set(utc("2026-11-23T08:00:00.000Z"));
  (void)release_held(*tb.backend, since, tb.clock.now());
  // Window by window, each acknowledged: every held id once, in order; then a new message.
  std::vector<std::int64_t> got;
  while (got.size() < held.size()) {
    json::array ids;
    for (std::size_t i = 0; i < window && got.size() < held.size(); ++i) {
      const auto ev = assoc->c.next_event();
      ASSERT_EQ(ev.at("type").as_string(), "message") << json::serialize(ev);
      got.push_back(ev.at("id").as_int64());
      ids.push_back(ev.at("id"));
    }
    EXPECT_EQ(assoc->c.events.size() + assoc->c.peer->pending(), 0u) << "never more than the window at once";
    ASSERT_EQ(assoc->c.ask(d, {{"type", "ack"}, {"ids", ids}}).at("acknowledged").as_int64(),
              static_cast<std::int64_t>(ids.size()));
  }
  EXPECT_EQ(got, held);
  const auto later = head->c.ask(d, send_request(assoc->user, {{assoc->user, 1}}, 201));
  EXPECT_FALSE(later.at("held").as_bool());
  EXPECT_EQ(assoc->c.next_event().at("id"), later.at("id"));
  EXPECT_EQ(assoc->c.events.size() + assoc->c.peer->pending(), 0u) << "nothing sent twice";
}

TEST_F(service_fixture, AHeldMessageReachesAnOfflineRecipientAtLoginAfterTheWindowOpens) {
  auto carol = enrol(rules::role::coordinator, "Carol");
  auto head = enrol(rules::role::headteacher, "Hana");
  auto assoc = enrol(rules::role::associate, "Asha");
  pair(*carol, *head, *assoc);
  const auto assoc_user = assoc->user;
  auto keys = std::move(assoc->keys);
  assoc.reset();
  tb.clock.set(utc("2026-12-24T12:00:00.000Z"));  // Christmas holidays: next opening is the spring term
  const auto held = head->c.ask(d, send_request(assoc_user, {{assoc_user, 1}}));
  ASSERT_TRUE(held.at("held").as_bool());
  const auto opens = held.at("deliver_at").as_string();
  EXPECT_GT(std::string{opens}, std::string{"2027-01-04"});
  auto early = connect();
  ASSERT_EQ(login(early, keys, assoc_user, 1).at("type").as_string(), "ok");
  EXPECT_EQ(early.peer->pending(), 0u);
  tb.clock.set(utc(std::string{opens}.c_str()));
  auto later = connect();
  ASSERT_EQ(login(later, keys, assoc_user, 1).at("type").as_string(), "ok");
  EXPECT_EQ(later.peer->next().at("id"), held.at("id"));
}

struct reject_fixture : fixture_base {
  static rules::policy rejecting() {
    auto p = *rules::preset("la-peer-support");
    p.outside = rules::policy::outside_window::reject;
    return p;
  }
  reject_fixture() : fixture_base(rejecting()) {}
};

TEST_F(reject_fixture, PolicyRejectAnswersWithTheNextOpening) {
  auto carol = enrol(rules::role::coordinator, "Carol");
  auto head = enrol(rules::role::headteacher, "Hana");
  auto assoc = enrol(rules::role::associate, "Asha");
  pair(*carol, *head, *assoc);
  tb.clock.set(utc("2026-11-23T18:30:00.000Z"));  // Monday evening
  const auto r = head->c.ask(d, send_request(assoc->user, {{assoc->user, 1}}));
  EXPECT_EQ(r.at("code").as_string(), "contact_window_closed");
  EXPECT_EQ(r.at("next_opening").as_string(), "2026-11-24T08:00:00.000Z");
}

}  // namespace
}  // namespace confidant::service
