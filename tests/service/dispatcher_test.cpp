#include "server/service/dispatcher.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace confidant::service {
namespace {

using namespace std::chrono_literals;

struct dispatcher_fixture : ::testing::Test {
  rules::fixed_clock clock{rules::time_point{1'795'000'000'123ms}};
  metrics m;
  dispatcher d{clock, {"Demo LA", "confidantd/test", 65536, 300}, m};
  connection_state conn;

  boost::json::object ask(std::string_view frame) {
    int calls = 0;
    std::string answer;
    d.handle(frame, conn, [&](std::string a) {
      ++calls;
      answer = std::move(a);
    });
    EXPECT_EQ(calls, 1) << "exactly one answer per frame";
    return boost::json::parse(answer).as_object();
  }
};

TEST_F(dispatcher_fixture, HelloAnswersWithServerTimeFromTheClock) {
  const auto a = ask(R"({"type":"hello","rid":"h1","versions":["confidant.v0","confidant.v1"]})");
  EXPECT_EQ(a.at("type").as_string(), "ok");
  EXPECT_EQ(a.at("rid").as_string(), "h1");
  EXPECT_EQ(a.at("version").as_string(), "confidant.v1");
  EXPECT_EQ(a.at("server_time").as_string(), "2026-11-18T11:06:40.123Z");
  EXPECT_EQ(a.at("tenant").as_string(), "Demo LA");
  EXPECT_EQ(a.at("limits").at("max_frame_bytes").as_int64(), 65536);
  EXPECT_TRUE(conn.greeted);
}

TEST_F(dispatcher_fixture, HelloWithoutACommonVersion) {
  const auto a = ask(R"({"type":"hello","rid":"h2","versions":["confidant.v9"]})");
  EXPECT_EQ(a.at("code").as_string(), "unsupported_version");
  EXPECT_EQ(a.at("rid").as_string(), "h2");
  EXPECT_FALSE(conn.greeted);
}

TEST_F(dispatcher_fixture, UnknownTypeAndMalformedFramesAreCounted) {
  EXPECT_EQ(ask(R"({"type":"fly","rid":"x"})").at("code").as_string(), "unknown_type");
  EXPECT_EQ(ask("{").at("code").as_string(), "malformed_json");
  EXPECT_TRUE(ask("{").at("rid").is_null());
  const auto text = m.render();
  EXPECT_NE(text.find("confidant_errors_total{code=\"unknown_type\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("confidant_errors_total{code=\"malformed_json\"} 2"), std::string::npos);
  EXPECT_NE(text.find("confidant_requests_total{type=\"unknown\"} 1"), std::string::npos);
  EXPECT_NE(text.find("confidant_requests_total{type=\"invalid\"} 2"), std::string::npos);
}

}  // namespace
}  // namespace confidant::service
