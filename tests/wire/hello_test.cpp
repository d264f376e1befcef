#include "schema/wire/hello.hpp"

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace confidant::wire {
namespace {

TEST(Hello, RequestRoundTrip) {
  const hello_request h{{"confidant.v1", "confidant.v2"}, "cli/1"};
  auto obj = to_json(h);
  obj["type"] = "hello";
  obj["rid"] = "1";
  auto req = parse_request(boost::json::serialize(obj));
  ASSERT_TRUE(req);
  auto back = read_hello(*req);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->versions, h.versions);
  EXPECT_EQ(back->client, h.client);
}

TEST(Hello, RequestValidation) {
  struct c {
    const char* frame;
    errc code;
  };
  for (const auto& [frame, code] : {
           c{R"({"type":"hello","rid":"1"})", errc::missing_field},
           c{R"({"type":"hello","rid":"1","versions":[]})", errc::invalid_field},
           c{R"({"type":"hello","rid":"1","versions":"confidant.v1"})", errc::invalid_field},
           c{R"({"type":"hello","rid":"1","versions":["confidant.v1"],"client":""})", errc::invalid_field},
           c{R"({"type":"hello","rid":"1","versions":["confidant.v1"],"colour":"red"})", errc::unknown_field},
       }) {
    auto req = parse_request(frame);
    ASSERT_TRUE(req) << frame;
    auto h = read_hello(*req);
    ASSERT_FALSE(h) << frame;
    EXPECT_EQ(h.error().code, code) << frame;
  }
}

TEST(Hello, ReplyRoundTrip) {
  const hello_reply r{"confidant.v1", "confidantd/0.1.0", "2026-11-23T14:05:09.123Z", "Demo LA", "AAAA", 65536, 300};
  auto back = read_hello_reply(to_json(r));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->tenant, "Demo LA");
  EXPECT_EQ(back->server_key, "AAAA");
  EXPECT_EQ(back->server_time, r.server_time);
  EXPECT_EQ(back->max_frame_bytes, 65536);
  EXPECT_EQ(back->idle_timeout_seconds, 300);
}

TEST(Hello, IncompleteReplyIsRefused) {
  auto obj = to_json(hello_reply{"confidant.v1", "s", "t", "x", "k", 1, 1});
  auto without_key = obj;
  without_key.erase("server_key");
  EXPECT_FALSE(read_hello_reply(without_key));
  obj.erase("limits");
  EXPECT_FALSE(read_hello_reply(obj));
}

}  // namespace
}  // namespace confidant::wire
