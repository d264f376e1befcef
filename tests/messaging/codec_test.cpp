#include "client/lib/base64url.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/url.hpp"
#include "crypto/ed25519.hpp"
#include "crypto/random.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <cstdint>

namespace confidant::client::codec {
namespace {
namespace json = boost::json;

TEST(Codec, TimesAreMillisecondsUtc) {
  EXPECT_EQ(parse_time_ms("2026-11-23T14:05:09.123Z"), 1795442709123);
  EXPECT_EQ(parse_time_ms("2000-02-29T00:00:00.000Z"), 951782400000);
  EXPECT_EQ(parse_time_ms("1970-01-01T00:00:00.000Z"), 0);
  EXPECT_EQ(format_time_ms(1795442709123), "2026-11-23T14:05:09.123Z");
  EXPECT_EQ(format_time_ms(951782400000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(format_time_ms(-1), "1969-12-31T23:59:59.999Z");
  // The extremes format without overflow (UBSan in CI; found by fuzz.ics).
  EXPECT_FALSE(format_time_ms(INT64_MIN).empty());
  EXPECT_FALSE(format_time_ms(INT64_MAX).empty());
  for (const char* bad : {"2026-11-23T14:05:09Z", "2026-11-23T14:05:09.123+00:00", "2026-11-23 14:05:09.123Z",
                          "2026-13-23T14:05:09.123Z", "2026-11-23T24:05:09.123Z", "2026-11-23T14:05:09.12aZ", ""})
    EXPECT_FALSE(parse_time_ms(bad)) << bad;
}

// docs/protocol.md 7.6: "Confidant_Login_v1" (18 bytes) ‖ server_key (32) ‖ nonce (32).
TEST(Codec, LoginMessageIsLabelKeyNonce) {
  std::array<std::uint8_t, 32> key{}, nonce{};
  for (int i = 0; i < 32; ++i) key[i] = static_cast<std::uint8_t>(i), nonce[i] = static_cast<std::uint8_t>(0xA0 + i);
  const auto m = login_message(key, nonce);
  ASSERT_EQ(m.size(), 82u);
  EXPECT_EQ(std::string(m.begin(), m.begin() + 18), "Confidant_Login_v1");
  EXPECT_TRUE(std::equal(key.begin(), key.end(), m.begin() + 18));
  EXPECT_TRUE(std::equal(nonce.begin(), nonce.end(), m.begin() + 50));

  // The signature a device sends verifies under its identity signing key over exactly those bytes.
  crypto::deterministic_random rng{7};
  const auto id = crypto::identity_keypair::generate(rng);
  const auto sig = id.sign({m});
  EXPECT_TRUE(crypto::ed25519::verify(id.public_keys().signing, sig, {m}));
  auto other = m;
  other[60] ^= 1;
  EXPECT_FALSE(crypto::ed25519::verify(id.public_keys().signing, sig, {other}));
}

struct keys {
  explicit keys(std::uint64_t seed = 42) : rng(seed) {}
  crypto::deterministic_random rng;
  crypto::identity_keypair id = crypto::identity_keypair::generate(rng);
  crypto::signed_prekey spk = crypto::signed_prekey::generate(id, 9, 1795442400, rng);
  std::vector<crypto::one_time_prekey> otks = crypto::one_time_prekey::generate_batch(5, 3, rng);
};

TEST(Codec, RegisterFieldsFollowSection73) {
  keys k;
  const auto f = register_fields("7F3Q-K9PW", k.id.public_keys(), k.spk.public_part(), k.otks);
  EXPECT_EQ(f.at("invite").as_string(), "7F3Q-K9PW");
  EXPECT_EQ(*base64url_decode(f.at("identity").as_string()), k.id.public_keys().to_bytes());
  const auto& spk = f.at("signed_prekey").as_object();
  EXPECT_EQ(spk.at("id").as_int64(), 9);
  EXPECT_EQ(spk.at("created_at").as_int64(), 1795442400);
  EXPECT_EQ(base64url_decode(spk.at("key").as_string())->size(), 32u);
  EXPECT_EQ(base64url_decode(spk.at("signature").as_string())->size(), 64u);
  const auto& otks = f.at("one_time_prekeys").as_array();
  ASSERT_EQ(otks.size(), 3u);
  EXPECT_EQ(otks[0].as_object().at("id").as_int64(), 5);
  EXPECT_EQ(otks[2].as_object().at("id").as_int64(), 7);
  EXPECT_EQ(otks[0].as_object().size(), 2u);
}

json::object bundle_answer(const keys& k, bool with_otk) {
  json::object device{{"device", 2},
                      {"identity", base64url_encode(k.id.public_keys().to_bytes())},
                      {"signed_prekey", to_json(k.spk.public_part())}};
  if (with_otk) device["one_time_prekey"] = to_json(k.otks[0].public_part());
  return {{"user", 5}, {"devices", json::array{device}}};
}

TEST(Codec, BundlesAreReadAndVerified) {
  keys k;
  auto with = read_bundle(bundle_answer(k, true), 5);
  ASSERT_TRUE(with) << with.error().detail;
  ASSERT_EQ(with->size(), 1u);
  EXPECT_EQ((*with)[0].device, 2);
  EXPECT_EQ((*with)[0].bundle.signed_prekey.id, 9u);
  ASSERT_TRUE((*with)[0].bundle.one_time_prekey);
  EXPECT_EQ((*with)[0].bundle.one_time_prekey->id, 5u);
  auto without = read_bundle(bundle_answer(k, false), 5);
  ASSERT_TRUE(without);
  EXPECT_FALSE((*without)[0].bundle.one_time_prekey);

  EXPECT_EQ(read_bundle(bundle_answer(k, true), 6).error().code, errc::bad_answer);  // another user
  // A signed prekey signed by someone else is refused.
  auto forged = bundle_answer(k, true);
  keys other{43};
  forged["devices"].as_array()[0].as_object()["signed_prekey"] =
      to_json(crypto::signed_prekey::generate(other.id, 9, 1795442400, other.rng).public_part());
  EXPECT_EQ(read_bundle(forged, 5).error().code, errc::bad_answer);
  auto padded = bundle_answer(k, true);
  padded["devices"].as_array()[0].as_object()["identity"] =
      std::string{padded["devices"].as_array()[0].as_object()["identity"].as_string()} + "=";
  EXPECT_FALSE(read_bundle(padded, 5));
}

TEST(Codec, MessageEventAndMismatchMembers) {
  const auto ev = json::parse(R"({"id":41,"from":{"user":3,"device":2},"to":5,"accepted_at":"2026-11-23T14:05:09.123Z",
      "body":"AQI","commitment":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","stamp":"AQ","later":true})").as_object();
  auto m = read_message_event(ev);
  ASSERT_TRUE(m) << m.error().detail;
  EXPECT_EQ(m->id, 41);
  EXPECT_EQ(m->from, (device_ref{3, 2}));
  EXPECT_EQ(m->to, 5);
  EXPECT_EQ(m->accepted_at_ms, 1795442709123);
  EXPECT_EQ(m->body, (bytes{1, 2}));
  auto short_commitment = ev;
  short_commitment["commitment"] = "AAAA";
  EXPECT_FALSE(read_message_event(short_commitment));

  const auto err = json::parse(R"({"code":"device_mismatch","message":"m","missing":[{"user":5,"device":2}],"stale":[]})")
                       .as_object();
  EXPECT_EQ(read_device_refs(err, "missing")->size(), 1u);
  EXPECT_TRUE(read_device_refs(err, "stale")->empty());
  wire::response r{"error", "s1", err};
  auto f = from_error_answer(r, "sending");
  EXPECT_EQ(f.code, errc::error_answer);
  EXPECT_EQ(f.server_code, "device_mismatch");
  EXPECT_NE(f.detail.find("device_mismatch"), std::string::npos);
}

}  // namespace
}  // namespace confidant::client::codec

namespace confidant::client {
namespace {

TEST(UrlLoopback, PlainWebSocketOnlyToLoopback) {
  for (const char* ok : {"ws://127.0.0.1:8080", "ws://127.1.2.3", "ws://localhost:1", "ws://[::1]:9"})
    EXPECT_TRUE(parse_url(ok)->loopback()) << ok;
  for (const char* no : {"ws://10.0.0.1", "ws://127.0.0.1.example.org", "ws://la.example.org", "ws://[::2]",
                         "ws://128.0.0.1", "ws://127.0.0.256"})
    EXPECT_FALSE(parse_url(no)->loopback()) << no;
}

}  // namespace
}  // namespace confidant::client
