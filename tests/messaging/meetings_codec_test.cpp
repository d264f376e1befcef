// The client's reading of meeting answers and events (docs/protocol.md 7.16-7.22).
#include "client/lib/meetings.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace confidant::client::meetings {
namespace {
namespace json = boost::json;

const char* const answer_text = R"({"meeting":{"id":12,"pairing":3,"participants":[5,3],"proposer":3,
  "start":"2026-11-26T10:00:00.000Z","end":"2026-11-26T11:00:00.000Z","mode":"in_person","kind":"support",
  "state":"proposed","sequence":0,"created_at":"2026-11-18T11:06:40.000Z","updated_at":"2026-11-18T11:06:40.000Z",
  "changed_by":3,"details":"AQID","future_member":true},
  "cycle":{"pairing":3,"starts_on":"2026-11-19","ends_on":"2027-05-19","meetings_used":4,"cap":6,"review_due":false}})";

TEST(MeetingsCodec, ReadsAnAnswer) {
  auto a = read_answer(json::parse(answer_text).as_object());
  ASSERT_TRUE(a) << a.error().detail;
  EXPECT_EQ(a->m.id, 12);
  EXPECT_EQ(a->m.other(3), 5);
  EXPECT_EQ(a->m.start_ms, 1795687200000);
  EXPECT_EQ(a->m.details, (bytes{1, 2, 3}));
  ASSERT_TRUE(a->cyc);
  EXPECT_EQ(a->cyc->ends_on, "2027-05-19");
  EXPECT_EQ(a->cyc->meetings_used, 4);
  EXPECT_FALSE(a->trm);
}

TEST(MeetingsCodec, RefusesMalformedMeetings) {
  auto o = json::parse(answer_text).as_object();
  o["meeting"].as_object()["start"] = "2026-11-26T10:00:00Z";
  EXPECT_FALSE(read_answer(o));
  o = json::parse(answer_text).as_object();
  o["meeting"].as_object()["participants"] = json::array{5};
  EXPECT_FALSE(read_answer(o));
  o = json::parse(answer_text).as_object();
  o["meeting"].as_object().erase("state");
  EXPECT_FALSE(read_answer(o));
}

TEST(MeetingsCodec, ReadsEventsListingsAndWindows) {
  auto o = json::parse(answer_text).as_object();
  json::object ev{{"type", "meeting"}, {"change", "accepted"}, {"by", 5}, {"meeting", o["meeting"]}};
  auto e = read_event(ev);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->change, "accepted");
  EXPECT_EQ(e->by, 5);
  json::object list{{"meetings", json::array{o["meeting"]}}, {"cycles", json::array{}},
                    {"terms", json::array{{{"pairing", 3}, {"year", "2026-27"}, {"name", "Autumn"},
                                           {"starts_on", "2026-09-01"}, {"ends_on", "2026-12-18"},
                                           {"meetings_used", 1}, {"cap", 2}, {"with", 5}}}}};
  auto l = read_listing(list);
  ASSERT_TRUE(l) << l.error().detail;
  EXPECT_EQ(l->meetings.size(), 1u);
  ASSERT_EQ(l->terms.size(), 1u);
  EXPECT_EQ(l->terms[0].name, "Autumn");
  auto w = read_windows(json::parse(R"({"windows":[{"start":"2026-11-20T08:00:00.000Z","end":"2026-11-20T18:00:00.000Z"}]})").as_object());
  ASSERT_TRUE(w);
  ASSERT_EQ(w->size(), 1u);
  EXPECT_EQ((*w)[0].end_ms - (*w)[0].start_ms, 10 * 3600 * 1000);
}

TEST(MeetingsCodec, ProposalFields) {
  proposal p{5, 1795687200000, 1795690800000, "online", "initial", {{3, {9}}}};
  const auto f = proposal_fields(p);
  EXPECT_EQ(f.at("start").as_string(), "2026-11-26T10:00:00.000Z");
  EXPECT_EQ(f.at("mode").as_string(), "online");
  EXPECT_EQ(f.at("details").at(0).at("body").as_string(), "CQ");
}

}  // namespace
}  // namespace confidant::client::meetings
