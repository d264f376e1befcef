#include "client/lib/payload.hpp"

#include <gtest/gtest.h>

#include <string>

namespace confidant::client {
namespace {

std::string text_of(const std::vector<std::uint8_t>& b) { return {b.begin(), b.end()}; }
std::vector<std::uint8_t> bytes_of(std::string_view s) { return {s.begin(), s.end()}; }

TEST(Payload, TextIsVersionedJson) {
  auto b = encode_payload(text_payload{"Hello, \"Ann\" \xE2\x9C\x93\nsee you"});
  ASSERT_TRUE(b);
  EXPECT_EQ(text_of(*b), R"({"v":1,"kind":"text","text":"Hello, \"Ann\" ✓\nsee you"})");
  auto back = decode_payload(*b);
  ASSERT_TRUE(back);
  EXPECT_EQ(std::get<text_payload>(*back).text, "Hello, \"Ann\" \xE2\x9C\x93\nsee you");
}

TEST(Payload, ReceiptsRoundTrip) {
  receipt_payload r{receipt_payload::kind::read, {message_id{}, message_id{}}};
  r.ids[1].fill(0xff);
  auto b = encode_payload(r);
  ASSERT_TRUE(b);
  EXPECT_EQ(text_of(*b), R"({"v":1,"kind":"read","ids":["AAAAAAAAAAAAAAAAAAAAAA","_____________________w"]})");
  auto back = decode_payload(*b);
  ASSERT_TRUE(back);
  EXPECT_EQ(std::get<receipt_payload>(*back), r);
}

TEST(Payload, RefusesWhatCannotBeSent) {
  EXPECT_FALSE(encode_payload(text_payload{""}));
  EXPECT_FALSE(encode_payload(text_payload{std::string(max_text_bytes + 1, 'a')}));
  EXPECT_TRUE(encode_payload(text_payload{std::string(max_text_bytes, 'a')}));
  for (const char* bad : {"\xff", "\xC0\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "abc\xE2\x9C"})
    EXPECT_FALSE(encode_payload(text_payload{bad})) << bad;
  EXPECT_FALSE(encode_payload(receipt_payload{}));
  EXPECT_FALSE(encode_payload(unsupported_payload{2, "poll"}));
}

TEST(Payload, NewerVersionsAndKindsAreKeptAsUnsupported) {
  auto a = decode_payload(bytes_of(R"({"v":2,"kind":"text","text":"x"})"));
  ASSERT_TRUE(a);
  EXPECT_EQ(std::get<unsupported_payload>(*a), (unsupported_payload{2, "text"}));
  auto b = decode_payload(bytes_of(R"({"v":1,"kind":"poll","question":"?"})"));
  ASSERT_TRUE(b);
  EXPECT_EQ(std::get<unsupported_payload>(*b), (unsupported_payload{1, "poll"}));
  // Unknown members are ignored.
  auto c = decode_payload(bytes_of(R"({"v":1,"kind":"text","text":"x","lang":"en"})"));
  ASSERT_TRUE(c);
  EXPECT_EQ(std::get<text_payload>(*c).text, "x");
}

TEST(Payload, MalformedDocumentsAreErrors) {
  for (const char* bad : {"", "[]", "{}", R"({"v":"1","kind":"text","text":"x"})", R"({"v":1,"kind":"text"})",
                          R"({"v":1,"kind":"text","text":5})", R"({"v":1,"kind":"read","ids":[]})",
                          R"({"v":1,"kind":"read","ids":["AAAA"]})", "{\"v\":1,"}) {
    EXPECT_FALSE(decode_payload(bytes_of(bad))) << bad;
  }
}

}  // namespace
}  // namespace confidant::client
