#include "schema/wire/envelope.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <string>

namespace confidant::wire {
namespace {

boost::json::object as_object(const std::string& frame) { return boost::json::parse(frame).as_object(); }

TEST(Envelope, ParsesTypeRidAndKeepsTheOtherFields) {
  auto r = parse_request(R"({"type":"hello","rid":"a-1","versions":["confidant.v1"]})");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->type, "hello");
  EXPECT_EQ(r->rid, "a-1");
  EXPECT_EQ(r->fields.size(), 1u);
  EXPECT_TRUE(r->fields.contains("versions"));
}

struct bad_frame {
  const char* frame;
  errc code;
  bool rid_known;
};

class EnvelopeRejects : public ::testing::TestWithParam<bad_frame> {};

TEST_P(EnvelopeRejects, EveryMalformedClassWithItsCode) {
  const auto& c = GetParam();
  auto r = parse_request(c.frame);
  ASSERT_FALSE(r) << c.frame;
  EXPECT_EQ(r.error().code, c.code) << c.frame;
  EXPECT_EQ(r.error().rid.has_value(), c.rid_known) << c.frame;
  EXPECT_FALSE(r.error().message.empty());
}

INSTANTIATE_TEST_SUITE_P(
    AllClasses, EnvelopeRejects,
    ::testing::Values(bad_frame{"", errc::malformed_json, false}, bad_frame{"{", errc::malformed_json, false},
                      bad_frame{"nonsense", errc::malformed_json, false},
                      bad_frame{R"({"type":"hello","rid":"1"} trailing)", errc::malformed_json, false},
                      bad_frame{"[1,2]", errc::malformed_request, false}, bad_frame{"42", errc::malformed_request, false},
                      bad_frame{"null", errc::malformed_request, false},
                      bad_frame{R"({"type":"hello"})", errc::malformed_request, false},
                      bad_frame{R"({"type":"hello","rid":7})", errc::malformed_request, false},
                      bad_frame{R"({"type":"hello","rid":""})", errc::malformed_request, false},
                      bad_frame{R"({"type":"hello","rid":"has space"})", errc::malformed_request, false},
                      bad_frame{R"({"type":"hello","rid":"0123456789012345678901234567890123456789012345678901234567890123x"})",
                                errc::malformed_request, false},
                      bad_frame{R"({"rid":"1"})", errc::malformed_request, true},
                      bad_frame{R"({"type":"Hello","rid":"1"})", errc::malformed_request, true},
                      bad_frame{R"({"type":5,"rid":"1"})", errc::malformed_request, true},
                      bad_frame{R"({"type":"","rid":"1"})", errc::malformed_request, true}));

TEST(Envelope, DeepNestingIsRefusedNotRecursedInto) {
  std::string deep = R"({"type":"hello","rid":"1","x":)";
  for (int i = 0; i < 100; ++i) deep += "[";
  for (int i = 0; i < 100; ++i) deep += "]";
  deep += "}";
  auto r = parse_request(deep);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, errc::malformed_json);
}

TEST(Envelope, ErrorMessagesNeverEchoTheInput) {
  const std::string canary = "CANARY-secret-words-9f1";
  for (const auto& frame : {canary, R"({"type":")" + canary + R"(","rid":"1"})", R"({"type":"x","rid":")" + canary + " \"}"}) {
    auto r = parse_request(frame);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message.find(canary), std::string::npos) << frame;
    EXPECT_EQ(make_error(r.error()).find(canary), std::string::npos);
  }
}

TEST(Envelope, OkAnswerRoundTrip) {
  const auto frame = make_ok("r9", {{"n", 3}});
  const auto o = as_object(frame);
  EXPECT_EQ(o.at("type").as_string(), "ok");
  EXPECT_EQ(o.at("rid").as_string(), "r9");
  EXPECT_EQ(o.at("n").as_int64(), 3);
  auto back = parse_response(frame);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->type, "ok");
  EXPECT_EQ(back->rid, "r9");
  EXPECT_EQ(back->fields.at("n").as_int64(), 3);
}

TEST(Envelope, ErrorAnswerCarriesCodeMessageAndNullRidWhenUnknown) {
  const auto with_rid = as_object(make_error({errc::unknown_type, "no such type", std::string{"r1"}}));
  EXPECT_EQ(with_rid.at("type").as_string(), "error");
  EXPECT_EQ(with_rid.at("rid").as_string(), "r1");
  EXPECT_EQ(with_rid.at("code").as_string(), "unknown_type");
  EXPECT_EQ(with_rid.at("message").as_string(), "no such type");
  const auto without = as_object(make_error({errc::malformed_json, "bad", std::nullopt}));
  EXPECT_TRUE(without.at("rid").is_null());
}

TEST(Envelope, EventsHaveNoRid) {
  const auto o = as_object(make_event("prekeys_low", {{"remaining", 5}}));
  EXPECT_EQ(o.at("type").as_string(), "prekeys_low");
  EXPECT_FALSE(o.contains("rid"));
  auto back = parse_response(make_event("prekeys_low"));
  ASSERT_TRUE(back);
  EXPECT_FALSE(back->rid.has_value());
}

}  // namespace
}  // namespace confidant::wire
