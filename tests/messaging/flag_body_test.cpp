#include "client/lib/flag_body.hpp"

#include "tests/messaging/must.hpp"

#include <gtest/gtest.h>

#include <string>

namespace confidant::client::flag_body {
namespace {

std::string text_of(const bytes& b) { return {b.begin(), b.end()}; }
bytes bytes_of(std::string_view s) { return {s.begin(), s.end()}; }

flag sample() {
  flag f;
  f.flag_id.fill(0xff);
  f.flag_id[0] = 0;
  f.category = "child_protection";
  f.urgency = "immediate";
  f.raiser_user = 5;
  f.raiser_device = 1;
  f.raised_at_client_ms = 1'795'442'709'123;  // 2026-11-23T14:05:09.123Z
  f.text = "Pupil \"A\" said \xE2\x9C\x93\nsomething worrying";
  f.quotes = {bytes{1, 2, 3}, bytes{0xfb}};
  return f;
}

TEST(FlagBody, FlagIsVersionedJsonInAFixedOrder) {
  auto b = encode(sample());
  ASSERT_TRUE(b) << b.error().detail;
  EXPECT_EQ(text_of(*b),
            R"({"v":1,"kind":"flag","flag_id":"AP___________________w","category":"child_protection",)"
            R"("urgency":"immediate","raiser":{"user":5,"device":1},"raised_at_client":"2026-11-23T14:05:09.123Z",)"
            R"("text":"Pupil \"A\" said ✓\nsomething worrying","quotes":["AQID","-w"]})");
  auto back = decode(*b);
  ASSERT_TRUE(back) << back.error().detail;
  EXPECT_EQ(std::get<flag>(*back), sample());
}

TEST(FlagBody, NoteRoundTrips) {
  note n{4, {}, "Called the school; DSL informed."};
  n.note_id[15] = 7;
  auto b = encode(n);
  ASSERT_TRUE(b);
  EXPECT_EQ(text_of(*b), R"({"v":1,"kind":"note","flag":4,"note_id":"AAAAAAAAAAAAAAAAAAAABw","text":"Called the school; DSL informed."})");
  EXPECT_EQ(std::get<note>(test::must(decode(*b))), n);
}

TEST(FlagBody, RefusesWhatMustNotBeSealed) {
  auto f = sample();
  f.category = "gossip";
  EXPECT_EQ(encode(f).error().code, errc::invalid_request);
  f = sample();
  f.urgency = "whenever";
  EXPECT_FALSE(encode(f));
  f = sample();
  f.text.clear();
  EXPECT_FALSE(encode(f));
  f.text = std::string(max_text_bytes + 1, 'a');
  EXPECT_FALSE(encode(f));
  f.text = std::string(max_text_bytes, 'a');
  EXPECT_TRUE(encode(f));
  f.text = "\xC0\x80";
  EXPECT_FALSE(encode(f));
  f = sample();
  f.quotes.assign(max_quotes + 1, bytes{1});
  EXPECT_FALSE(encode(f));
  f.quotes.assign(1, bytes{});
  EXPECT_FALSE(encode(f));
  // Eight large quotes do not fit in one sealed copy.
  f.quotes.assign(max_quotes, bytes(4000, 7));
  auto too_big = encode(f);
  ASSERT_FALSE(too_big);
  EXPECT_NE(too_big.error().detail.find("longer than"), std::string::npos);
  f = sample();
  f.raiser_device = 0;
  EXPECT_FALSE(encode(f));
  EXPECT_FALSE(encode(note{0, {}, "x"}));
}

TEST(FlagBody, ReaderIgnoresUnknownMembersAndKeepsNewerVersions) {
  auto f = decode(bytes_of(
      R"({"v":1,"kind":"flag","flag_id":"AAAAAAAAAAAAAAAAAAAAAA","category":"other","urgency":"standard",)"
      R"("raiser":{"user":2,"device":3,"colour":"red"},"raised_at_client":"2026-01-01T00:00:00.000Z","text":"t",)"
      R"("quotes":[],"later":{"x":1}})"));
  ASSERT_TRUE(f) << f.error().detail;
  EXPECT_EQ(std::get<flag>(*f).raiser_device, 3);
  // Category and urgency are kept as written: the SPOC compares them with the server's metadata.
  auto odd = decode(bytes_of(
      R"({"v":1,"kind":"flag","flag_id":"AAAAAAAAAAAAAAAAAAAAAA","category":"gossip","urgency":"standard",)"
      R"("raiser":{"user":2,"device":3},"raised_at_client":"2026-01-01T00:00:00.000Z","text":"t","quotes":[]})"));
  ASSERT_TRUE(odd);
  EXPECT_EQ(std::get<flag>(*odd).category, "gossip");
  EXPECT_EQ(std::get<unsupported>(test::must(decode(bytes_of(R"({"v":2,"kind":"flag"})")))), (unsupported{2, "flag"}));
  EXPECT_EQ(std::get<unsupported>(test::must(decode(bytes_of(R"({"v":1,"kind":"poll"})")))), (unsupported{1, "poll"}));
}

TEST(FlagBody, MalformedDocumentsAreProtocolErrors) {
  for (std::string_view bad : {
           "not json",
           "[1]",
           R"({"kind":"flag"})",
           R"({"v":1,"kind":"note","flag":4,"text":"x"})",
           R"({"v":1,"kind":"note","flag":-4,"note_id":"AAAAAAAAAAAAAAAAAAAAAA","text":"x"})",
           R"({"v":1,"kind":"flag","flag_id":"AAAA","category":"other","urgency":"standard","raiser":{"user":2,"device":3},"raised_at_client":"2026-01-01T00:00:00.000Z","text":"t","quotes":[]})",
           R"({"v":1,"kind":"flag","flag_id":"AAAAAAAAAAAAAAAAAAAAAA","category":"other","urgency":"standard","raiser":{"user":2,"device":3},"raised_at_client":"yesterday","text":"t","quotes":[]})",
           R"({"v":1,"kind":"flag","flag_id":"AAAAAAAAAAAAAAAAAAAAAA","category":"other","urgency":"standard","raiser":{"user":2,"device":3},"raised_at_client":"2026-01-01T00:00:00.000Z","text":"t","quotes":["a="]})",
           R"({"v":1,"kind":"flag","flag_id":"AAAAAAAAAAAAAAAAAAAAAA","category":"other","urgency":"standard","raiser":5,"raised_at_client":"2026-01-01T00:00:00.000Z","text":"t","quotes":[]})",
       }) {
    auto r = decode(bytes_of(bad));
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, errc::protocol_error) << bad;
  }
}

TEST(FlagBody, KnowsTheProtocolsVocabulary) {
  EXPECT_TRUE(is_category("leader_wellbeing"));
  EXPECT_FALSE(is_category("Leader_wellbeing"));
  EXPECT_TRUE(is_urgency("urgent"));
  EXPECT_FALSE(is_urgency("soon"));
  EXPECT_TRUE(is_outcome("referred_to_lado"));
  EXPECT_FALSE(is_outcome("closed"));
}

}  // namespace
}  // namespace confidant::client::flag_body
