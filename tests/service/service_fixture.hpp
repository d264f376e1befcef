#pragma once

// An in-process service for tests: a real backend (test_backend: keyed database, fixed clock
// 2026-11-18T11:06:40Z, the demo calendars, la-peer-support unless told), clients on capture
// peers, and helpers to enrol users (invite, register, log in) and pair them.

#include "crypto/identity.hpp"
#include "crypto/prekeys.hpp"
#include "schema/wire/base64url.hpp"
#include "server/service/dispatcher.hpp"
#include "server/service/invites.hpp"
#include "tests/service/service_peer.hpp"
#include "tests/support/test_backend.hpp"

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <string>
#include <vector>

namespace confidant::service::testing {

namespace json = boost::json;

// An answer's error code, or "ok".
inline std::string code_of(const json::object& a) {
  return a.contains("code") ? std::string{a.at("code").as_string()} : "ok";
}

// One client connection: a capture peer and the dispatcher's connection for it.
struct test_client {
  std::shared_ptr<test::capture_peer> peer = std::make_shared<test::capture_peer>();
  std::shared_ptr<connection> conn;
  int next_rid = 0;
  std::vector<json::object> events;

  // Sends one request and returns its answer; events that arrive first are kept in `events`.
  json::object ask(dispatcher& d, json::object req) {
    const auto rid = "r" + std::to_string(++next_rid);
    req["rid"] = rid;
    // On the connection's "strand", as the server would: never beside a completion's strand work.
    peer->dispatch([&] { d.handle(json::serialize(req), conn); });
    for (;;) {
      auto f = peer->next();
      if (f.empty() || (f.contains("rid") && f.at("rid").is_string() && f.at("rid").as_string() == rid)) return f;
      events.push_back(std::move(f));
    }
  }
  // The next event: one kept already, else the next frame.
  json::object next_event() {
    if (!events.empty()) {
      auto e = std::move(events.front());
      events.erase(events.begin());
      return e;
    }
    return peer->next();
  }
};

// A device's keys, as a client makes them.
struct test_device_keys {
  crypto::system_random rng;
  crypto::identity_keypair identity = crypto::identity_keypair::generate(rng);

  json::object register_request(const std::string& code, std::uint32_t otks = 20) {
    auto spk = crypto::signed_prekey::generate(identity, 1, 1'795'000'000, rng);
    json::object s;
    s["id"] = spk.public_part().id;
    s["created_at"] = spk.public_part().created_at;
    s["key"] = wire::to_base64url(spk.public_part().key.view());
    s["signature"] = wire::to_base64url(spk.public_part().signature.view());
    json::array list;
    for (const auto& k : crypto::one_time_prekey::generate_batch(1, otks, rng)) {
      json::object o;
      o["id"] = k.id();
      o["key"] = wire::to_base64url(k.public_part().key.view());
      list.push_back(std::move(o));
    }
    return {{"type", "register"}, {"invite", code}, {"identity", wire::to_base64url(identity.public_keys().to_bytes())},
            {"signed_prekey", std::move(s)}, {"one_time_prekeys", std::move(list)}};
  }
};

// An enrolled user with one logged-in device.
struct member {
  test_client c;
  test_device_keys keys;
  std::int64_t user = 0;
  json::object ask(dispatcher& disp, json::object req) { return c.ask(disp, std::move(req)); }
};

class service_test : public ::testing::Test {
 protected:
  explicit service_test(rules::policy policy = *rules::preset("la-peer-support"))
      : tb{m, {"Demo LA", "confidantd/test", 65536, 300}, {}, std::move(policy)} {}

  metrics m;
  test::test_backend tb;
  dispatcher& d = *tb.dispatcher;

  test_client connect(std::string address = "192.0.2.1") {
    test_client c;
    c.conn = d.open(c.peer, std::move(address));
    EXPECT_EQ(c.ask(d, {{"type", "hello"}, {"versions", json::array{"confidant.v1"}}}).at("type").as_string(), "ok");
    return c;
  }

  std::string invite(rules::role role, const std::string& name,
                     std::chrono::milliseconds lifetime = std::chrono::hours{24 * 7}) {
    std::promise<std::string> code;
    issue_invite(tb.db->write(), role, name, std::nullopt, tb.clock.now(), lifetime,
                 [&](boost::system::result<issued_invite> r) { code.set_value(r ? r->code : std::string{}); });
    return code.get_future().get();
  }

  json::object login(test_client& c, test_device_keys& keys, std::int64_t user, std::int64_t device) {
    const auto ch = c.ask(d, {{"type", "challenge"}});
    const auto nonce = wire::from_base64url(ch.at("nonce").as_string()).value();
    const auto sig =
        keys.identity.sign({crypto::as_bytes("Confidant_Login_v1"), tb.backend->server_key.public_key.view(), nonce});
    return c.ask(d, {{"type", "login"}, {"user", user}, {"device", device}, {"signature", wire::to_base64url(sig.view())}});
  }

  // A `send` to `to` with one envelope per (user, device).
  static json::object send_request(std::int64_t to, std::vector<std::pair<std::int64_t, std::int64_t>> devices,
                                   unsigned char id = 1) {
    json::array envs;
    for (const auto& [u, dev] : devices) {
      envs.push_back({{"user", u}, {"device", dev}, {"body", "AQIDBA"},
                      {"commitment", wire::to_base64url(std::vector<unsigned char>(32, 7))}});
    }
    return {{"type", "send"}, {"message_id", wire::to_base64url(std::vector<unsigned char>(16, id))}, {"to", to},
            {"envelopes", std::move(envs)}};
  }

  // Registers and logs in a user of `role` on a new connection.
  std::unique_ptr<member> enrol(rules::role role, const std::string& name) {
    auto who = std::make_unique<member>();
    who->c = connect();
    const auto reg = who->c.ask(d, who->keys.register_request(invite(role, name)));
    EXPECT_EQ(reg.at("type").as_string(), "ok") << json::serialize(reg);
    who->user = reg.at("user").as_int64();
    EXPECT_EQ(login(who->c, who->keys, who->user, 1).at("type").as_string(), "ok");
    return who;
  }

  // The associate publishes a minimal profile with room for `capacity` partnerships.
  void set_capacity(member& assoc, std::int64_t capacity) {
    const auto p = assoc.ask(d, {{"type", "profile_set"}, {"region", "north"}, {"size_band", "small"},
                                 {"phase", "primary"}, {"capacity", capacity}, {"school", "Hill Top Primary"}});
    EXPECT_EQ(p.at("type").as_string(), "ok") << json::serialize(p);
  }

  // The coordinator approves the associate on eligible evidence (protocol.md 7.31).
  void approve(member& coordinator, const member& assoc) {
    const auto a = coordinator.ask(d, {{"type", "associate_approve"}, {"associate", assoc.user},
                                       {"years_as_headteacher", 8}, {"last_inspection", "good"},
                                       {"training_completed", true}, {"coaching_record", true}});
    EXPECT_EQ(a.at("type").as_string(), "ok") << json::serialize(a);
  }

  // A coordinator's direct pairing (the associate approved first); returns the pairing id. Both
  // sides are told with a `cycle` event, the associate asked to make contact first.
  std::int64_t pair(member& coordinator, member& head, member& assoc) {
    approve(coordinator, assoc);
    const auto p = coordinator.ask(d, {{"type", "pair_create"}, {"headteacher", head.user}, {"associate", assoc.user}});
    EXPECT_EQ(p.at("type").as_string(), "ok") << json::serialize(p);
    if (!p.contains("created") || !p.at("created").as_bool()) return p.contains("pairing") ? p.at("pairing").as_int64() : 0;
    for (auto* side : {&head, &assoc}) {
      const auto e = side->c.next_event();
      EXPECT_EQ(e.at("type").as_string(), "cycle") << json::serialize(e);
      EXPECT_EQ(e.at("change").as_string(), "paired") << json::serialize(e);
      EXPECT_EQ(e.contains("prompt"), side == &assoc) << json::serialize(e);
    }
    return p.at("pairing").as_int64();
  }
};

}  // namespace confidant::service::testing
