// The client's reading of the support programme's answers and events, and the fields it builds
// (docs/protocol.md 7.29-7.40).
#include "client/lib/programme.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace confidant::client::programme {
namespace {
namespace json = boost::json;

json::object parse(const char* text) { return json::parse(text).as_object(); }

const char* const cycle_text = R"({"cycle":7,"state":"preferred","headteacher":3,"school":"Castle Primary",
  "federation":"","region":"north","phase":"primary","size_band":"small","preferences":[5,9],"concern":"AQID",
  "requested_at":"2026-11-23T10:00:00.000Z","meetings_held":0,"future_member":{"x":1},
  "end_request":{"by":3,"reason":"not_working","at":"2026-11-24T10:00:00.000Z"}})";

TEST(ProgrammeCodec, ReadsACycleAsItsHeadteacherSeesIt) {
  auto c = read_cycle(parse(cycle_text));
  ASSERT_TRUE(c) << c.error().detail;
  EXPECT_EQ(c->id, 7);
  EXPECT_EQ(c->state, "preferred");
  EXPECT_TRUE(c->is_request());
  EXPECT_FALSE(c->is_open_partnership());
  EXPECT_EQ(c->associate, 0);
  EXPECT_EQ(c->preferences, (std::vector<std::int64_t>{5, 9}));
  EXPECT_EQ(c->concern, (bytes{1, 2, 3}));
  EXPECT_EQ(c->requested_at_ms, 1795428000000);
  EXPECT_FALSE(c->paired_at_ms);
  ASSERT_TRUE(c->end_request);
  EXPECT_EQ(c->end_request->reason, "not_working");
}

TEST(ProgrammeCodec, AnAssociateSeesLessAndThatIsNotAnError) {
  auto c = read_cycle(parse(R"({"cycle":7,"state":"paired","headteacher":3,"associate":5,"school":"Castle Primary",
    "requested_at":"2026-11-23T10:00:00.000Z","paired_at":"2026-11-23T11:00:00.000Z","meetings_held":0})"));
  ASSERT_TRUE(c) << c.error().detail;
  EXPECT_TRUE(c->is_open_partnership());
  EXPECT_TRUE(c->region.empty());
  EXPECT_TRUE(c->concern.empty());
  ASSERT_TRUE(c->paired_at_ms);
}

TEST(ProgrammeCodec, RefusesAMalformedCycle) {
  for (const char* bad : {R"({"state":"paired","headteacher":3,"requested_at":"2026-11-23T10:00:00.000Z"})",
                          R"({"cycle":7,"state":"paired","headteacher":3,"requested_at":"yesterday"})",
                          R"({"cycle":7,"state":"paired","headteacher":3,"requested_at":"2026-11-23T10:00:00.000Z","preferences":["5"]})",
                          R"({"cycle":7,"state":"paired","headteacher":3,"requested_at":"2026-11-23T10:00:00.000Z","concern":"!!"})"}) {
    EXPECT_FALSE(read_cycle(parse(bad))) << bad;
  }
}

TEST(ProgrammeCodec, ReadsAssociatesOffersFeedbackNotesAndEvents) {
  auto a = read_associate(parse(R"({"user":5,"display_name":"Sam Associate","status":"approved","load":1,
    "profile":{"region":"north","size_band":"small","school_types":["rural"],"phase":"primary","summary":"",
    "skills":["finance"],"capacity":2,"availability":"","school":"Hill Top"},
    "evidence":{"years_as_headteacher":9,"last_inspection":"good","training_completed":true,"coaching_record":true,
    "recorded_by":1,"recorded_at":"2026-11-23T10:00:00.000Z"}})"));
  ASSERT_TRUE(a) << a.error().detail;
  ASSERT_TRUE(a->prof && a->evid);
  EXPECT_EQ(a->prof->capacity, 2);
  EXPECT_EQ(a->prof->school, "Hill Top");
  EXPECT_EQ(a->evid->years_as_headteacher, 9);

  auto offers = read_offers(parse(R"({"offers":[{"user":5,"display_name":"Sam","region":"north","size_band":"small",
    "school_types":[],"phase":"primary","summary":"","skills":[],"availability":"","free_places":1}]})"));
  ASSERT_TRUE(offers) << offers.error().detail;
  ASSERT_EQ(offers->size(), 1U);
  EXPECT_EQ((*offers)[0].free_places, 1);
  EXPECT_FALSE(read_offers(parse(R"({"offers":{}})")));

  auto f = read_feedback(parse(R"({"cycle":7,"asked_by":1,"asked_at":"2026-11-23T10:00:00.000Z",
    "questions":["What helped?","What next?"],"submitted_at":"2026-11-24T10:00:00.000Z",
    "answers":[{"item":1,"body":"AQID","released_at":"2026-11-25T10:00:00.000Z"},{"item":2}]})"));
  ASSERT_TRUE(f) << f.error().detail;
  ASSERT_EQ(f->answers.size(), 2U);
  EXPECT_TRUE(f->answers[0].released_at_ms);
  EXPECT_TRUE(f->answers[1].body.empty());
  auto released = read_feedback(parse(R"({"cycle":7,"asked_by":1,"asked_at":"2026-11-23T10:00:00.000Z",
    "released":[{"item":2,"question":"What next?","body":"AQID","released_at":"2026-11-25T10:00:00.000Z"}]})"));
  ASSERT_TRUE(released) << released.error().detail;
  EXPECT_TRUE(released->questions.empty());
  ASSERT_EQ(released->released.size(), 1U);
  EXPECT_EQ(released->released[0].question, "What next?");

  auto notes = read_notes(parse(R"({"notes":[{"meeting":12,"written_at":"2026-11-26T12:00:00.000Z","by":5}]})"));
  ASSERT_TRUE(notes) << notes.error().detail;
  EXPECT_EQ((*notes)[0].by, 5);
  EXPECT_TRUE((*notes)[0].body.empty());

  auto e = read_cycle_event(parse(R"({"change":"paired","by":1,"prompt":"make_contact","cycle":{"cycle":7,
    "state":"paired","headteacher":3,"associate":5,"requested_at":"2026-11-23T10:00:00.000Z"}})"));
  ASSERT_TRUE(e) << e.error().detail;
  EXPECT_EQ(e->prompt, "make_contact");
  EXPECT_EQ(e->c.associate, 5);
  auto server_move = read_cycle_event(parse(R"({"change":"active","cycle":{"cycle":7,"state":"active",
    "headteacher":3,"associate":5,"requested_at":"2026-11-23T10:00:00.000Z"}})"));
  ASSERT_TRUE(server_move);
  EXPECT_EQ(server_move->by, 0);
  EXPECT_FALSE(read_cycle_event(parse(R"({"change":"paired"})")));
}

TEST(ProgrammeCodec, ReadsStatistics) {
  auto s = read_stats(parse(R"({"generated_at":"2026-11-23T10:00:00.000Z",
    "cycles_by_state":{"requested":1,"offered":0,"preferred":0,"paired":0,"active":1,"review_due":0,"extended":0,
    "closed":1,"ended_early":0},"time_to_pairing":{"count":2,"median_hours":1.5,"max_hours":2},"active_cycles":1,
    "meetings_held":{"total":3,"cycles":2,"mean_per_cycle":1.5},"cycles_reached_review":0,
    "associates":[{"user":5,"display_name":"Sam","status":"approved","load":1,"capacity":2}],
    "cycles":[{"cycle":7,"state":"closed","headteacher":3,"associate":5,"requested_at":"2026-11-23T10:00:00.000Z",
    "paired_at":"2026-11-23T11:30:00.000Z","hours_to_pairing":1.5,"meetings_held":2,"reached_review":false},
    {"cycle":8,"state":"requested","headteacher":4,"requested_at":"2026-11-23T10:00:00.000Z","meetings_held":0,
    "reached_review":false}]})"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(s->cycles_by_state.at("closed"), 1);
  EXPECT_DOUBLE_EQ(s->median_hours, 1.5);
  EXPECT_DOUBLE_EQ(s->max_hours, 2.0);
  ASSERT_EQ(s->cycles.size(), 2U);
  EXPECT_DOUBLE_EQ(*s->cycles[0].hours_to_pairing, 1.5);
  EXPECT_FALSE(s->cycles[1].hours_to_pairing);
  EXPECT_EQ(s->cycles[1].associate, 0);
}

TEST(ProgrammeCodec, BuildsRequestAndProfileFields) {
  request r{"Castle Primary", "", "north", "primary", "", {{1, {1, 2}}, {3, {4}}}};
  EXPECT_EQ(json::serialize(request_fields(r)),
            R"({"school":"Castle Primary","region":"north","phase":"primary","concern":[{"user":1,"body":"AQI"},{"user":3,"body":"BA"}]})");
  profile p;
  p.region = "north";
  p.size_band = "small";
  p.phase = "primary";
  p.school = "Hill Top";
  p.capacity = 2;
  p.skills = {"finance"};
  auto f = profile_fields(p);
  EXPECT_EQ(f.at("capacity").as_int64(), 2);
  EXPECT_EQ(f.at("skills").as_array().size(), 1U);
  EXPECT_FALSE(f.contains("federation"));
  EXPECT_FALSE(f.contains("summary"));
}

}  // namespace
}  // namespace confidant::client::programme
