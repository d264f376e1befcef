// The flag answers and events of docs/protocol.md 7.23-7.28 as the client reads them.
#include "client/lib/flags.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include "tests/messaging/must.hpp"

#include <gtest/gtest.h>

namespace confidant::client::flags {
namespace {

boost::json::object obj(std::string_view text) { return boost::json::parse(text).as_object(); }

TEST(FlagsCodec, RaisersViewOfAFlag) {
  auto f = read_flag(obj(R"({"flag":4,"category":"child_protection","urgency":"immediate","state":"received",)"
                         R"("raised_at":"2026-11-21T22:40:00.000Z","deadline_at":"2026-11-23T10:00:00.000Z"})"));
  ASSERT_TRUE(f) << f.error().detail;
  EXPECT_EQ(f->id, 4);
  EXPECT_EQ(f->state, "received");
  EXPECT_EQ(f->deadline_at_ms, 1'795'428'000'000);
  EXPECT_FALSE(f->raised_by);
  EXPECT_FALSE(f->acknowledged_at_ms);
}

TEST(FlagsCodec, SpocsViewWithEveryMember) {
  auto f = read_flag(obj(
      R"({"flag":4,"category":"staff_allegation","urgency":"urgent","state":"resolved","raised_at":"2026-11-23T08:00:00.000Z",)"
      R"("deadline_at":"2026-11-23T10:00:00.000Z","acknowledged_at":"2026-11-23T08:05:00.000Z","resolved_at":"2026-11-23T09:00:00.000Z",)"
      R"("raised_by":{"user":5,"device":1},"acknowledged_by":9,"resolved_by":9,"outcome":"referred_to_lado",)"
      R"("escalations":2,"legal_hold":true,"future_member":[1]})"));
  ASSERT_TRUE(f) << f.error().detail;
  EXPECT_EQ(f->raised_by->user, 5);
  EXPECT_EQ(f->raised_by->device, 1);
  EXPECT_EQ(*f->acknowledged_by, 9);
  EXPECT_EQ(f->outcome, "referred_to_lado");
  EXPECT_EQ(f->escalations, 2);
  EXPECT_TRUE(f->legal_hold);
  EXPECT_EQ(*f->resolved_at_ms - *f->acknowledged_at_ms, 55 * 60'000);
}

TEST(FlagsCodec, BadAnswersAreRefused) {
  EXPECT_FALSE(read_flag(obj(R"({"flag":4,"category":"other","urgency":"standard","state":"received"})")));
  EXPECT_FALSE(read_flag(obj(R"({"flag":0,"category":"other","urgency":"standard","state":"received",)"
                             R"("raised_at":"2026-11-23T08:00:00.000Z","deadline_at":"2026-11-23T10:00:00.000Z"})")));
  EXPECT_FALSE(read_flag(obj(R"({"flag":4,"category":"other","urgency":"standard","state":"received",)"
                             R"("raised_at":"2026-11-23T08:00:00.000Z","deadline_at":"2026-11-23T10:00:00.000Z",)"
                             R"("raised_by":{"user":5}})")));
  EXPECT_FALSE(read_spoc_keys(obj(R"({"keys":[{"user":9,"device":1,"deputy":false,"identity":"AAAA","key_id":3,"certificate":"AAAA"}]})")));
  EXPECT_FALSE(read_spoc_keys(obj(R"({"keys":{}})")));
}

TEST(FlagsCodec, SpocKeys) {
  const std::string identity(171, 'A');  // 128 bytes of base64url
  const std::string cert(199, 'A');      // 149 bytes
  auto k = read_spoc_keys(obj(R"({"keys":[{"user":9,"device":2,"deputy":true,"identity":")" + identity + R"(","key_id":3,"certificate":")" + cert + R"("}]})"));
  ASSERT_TRUE(k) << k.error().detail;
  ASSERT_EQ(k->size(), 1u);
  EXPECT_EQ((*k)[0].device, 2);
  EXPECT_TRUE((*k)[0].deputy);
  EXPECT_EQ((*k)[0].identity.size(), 128u);
  EXPECT_EQ((*k)[0].certificate.size(), 149u);
  EXPECT_TRUE(test::must(read_spoc_keys(obj(R"({"keys":[]})"))).empty());
}

TEST(FlagsCodec, RaiseAnswerAndFields) {
  auto a = read_raise(obj(R"({"flag":4,"category":"child_protection","urgency":"immediate","state":"received",)"
                          R"("raised_at":"2026-11-21T22:40:00.000Z","deadline_at":"2026-11-23T10:00:00.000Z",)"
                          R"("out_of_hours":true,"emergency_route":"Call 999."})"));
  ASSERT_TRUE(a) << a.error().detail;
  EXPECT_TRUE(a->out_of_hours);
  EXPECT_EQ(a->emergency_route, "Call 999.");
  id16 id{};
  id[0] = 0xf0;
  const auto fields = raise_fields(id, "other", "standard", {{9, 1, 3, {0, 0, 0, 3, 0xff}}});
  EXPECT_EQ(boost::json::serialize(fields),
            R"({"flag_id":"8AAAAAAAAAAAAAAAAAAAAA","category":"other","urgency":"standard",)"
            R"("copies":[{"user":9,"device":1,"key_id":3,"sealed":"AAAAA_8"}]})");
}

TEST(FlagsCodec, ShowAndEvents) {
  auto s = read_shown(obj(
      R"({"flag":4,"category":"other","urgency":"standard","state":"acknowledged","raised_at":"2026-11-23T08:00:00.000Z",)"
      R"("deadline_at":"2026-11-23T10:00:00.000Z","raised_by":{"user":5,"device":1},"escalations":0,"legal_hold":false,)"
      R"("copy":{"key_id":3,"sealed":"AQID"},"notes":[{"note":1,"author":{"user":9,"device":2},"added_at":"2026-11-23T08:10:00.000Z",)"
      R"("key_id":3,"sealed":"BAU"}],"history":[{"at":"2026-11-23T08:00:00.000Z","action":"flag_raised","actor":"user:5"},)"
      R"({"at":"2026-11-23T08:05:00.000Z","action":"flag_acknowledged","actor":9}]})"));
  ASSERT_TRUE(s) << s.error().detail;
  EXPECT_EQ(*s->key_id, 3);
  EXPECT_EQ(s->sealed, (bytes{1, 2, 3}));
  ASSERT_EQ(s->notes.size(), 1u);
  EXPECT_EQ(s->notes[0].author.device, 2);
  EXPECT_EQ(s->notes[0].flag, 4);
  ASSERT_EQ(s->history.size(), 2u);
  EXPECT_EQ(s->history[0].actor, "user:5");
  EXPECT_EQ(s->history[1].actor, "user 9");

  auto e = read_flag_event(obj(R"({"flag":4,"category":"other","urgency":"standard","state":"received",)"
                               R"("raised_at":"2026-11-23T08:00:00.000Z","deadline_at":"2026-11-23T10:00:00.000Z",)"
                               R"("raised_by":{"user":5,"device":1},"key_id":3,"sealed":"AQID","alert":true})"));
  ASSERT_TRUE(e) << e.error().detail;
  EXPECT_TRUE(e->alert);
  EXPECT_EQ(*e->key_id, 3);
  EXPECT_FALSE(read_flag_event(obj(R"({"flag":4,"category":"other","urgency":"standard","state":"received",)"
                                   R"("raised_at":"2026-11-23T08:00:00.000Z","deadline_at":"2026-11-23T10:00:00.000Z"})")));

  auto alert = read_alert_event(obj(R"({"flag":4,"category":"other","urgency":"urgent","deadline_at":"2026-11-23T10:00:00.000Z","escalations":1})"));
  ASSERT_TRUE(alert);
  EXPECT_EQ(alert->escalations, 1);
  auto note = read_note_event(obj(R"({"flag":4,"note":2,"author":{"user":9,"device":1},"added_at":"2026-11-23T08:10:00.000Z","key_id":3,"sealed":"AQID"})"));
  ASSERT_TRUE(note);
  EXPECT_EQ(note->note, 2);
  auto state = read_state_event(obj(R"({"flag":4,"state":"acknowledged","at":"2026-11-23T08:05:00.000Z"})"));
  ASSERT_TRUE(state);
  EXPECT_EQ(state->state, "acknowledged");
}

}  // namespace
}  // namespace confidant::client::flags
