#include "server/rules/bank_holidays.hpp"

#include "tests/rules/calendar_fixtures.hpp"

#include <gtest/gtest.h>

namespace confidant::rules {
namespace {

using testing::day;

TEST(BankHolidays, ShippedFileHasEnglandAndWales2026And2027) {
  const auto h = testing::shipped_holidays();
  const civil_date expected[] = {
      day(2026, 1, 1),  day(2026, 4, 3),  day(2026, 4, 6),   day(2026, 5, 4),   day(2026, 5, 25),
      day(2026, 8, 31), day(2026, 12, 25), day(2026, 12, 28),  // Boxing Day substitute (26th is a Saturday)
      day(2027, 1, 1),  day(2027, 3, 26), day(2027, 3, 29),  day(2027, 5, 3),   day(2027, 5, 31),
      day(2027, 8, 30), day(2027, 12, 27), day(2027, 12, 28),  // both Christmas substitutes
  };
  for (const auto d : expected) EXPECT_TRUE(h.contains(d)) << format_civil_date(d);
  int in_2026_2027 = 0;
  for (const auto& b : h.all()) {
    const auto y = date::year_month_day{b.day}.year();
    if (y == date::year{2026} || y == date::year{2027}) ++in_2026_2027;
    EXPECT_LE(iso_weekday(b.day), 5u) << "a bank holiday on a weekend: " << format_civil_date(b.day);
  }
  EXPECT_EQ(in_2026_2027, 16);
  EXPECT_FALSE(h.contains(day(2026, 12, 26)));
  EXPECT_FALSE(h.contains(day(2027, 12, 25)));
  EXPECT_EQ(h.find(day(2027, 12, 28))->notes, "Substitute day");
  EXPECT_EQ(h.find(day(2026, 4, 3))->title, "Good Friday");
  EXPECT_TRUE(h.covers_year(2026));
  EXPECT_TRUE(h.covers_year(2027));
  EXPECT_TRUE(h.covers_year(2028));  // needed by the 2027-28 term dates
  EXPECT_FALSE(h.covers_year(2029));
}

TEST(BankHolidays, ChoosesTheDivision) {
  constexpr std::string_view json = R"({
    "england-and-wales": {"division": "england-and-wales", "events": [
      {"title": "Summer bank holiday", "date": "2026-08-31", "notes": "", "bunting": true}]},
    "scotland": {"division": "scotland", "events": [
      {"title": "Summer bank holiday", "date": "2026-08-03", "notes": "", "bunting": true},
      {"title": "St Andrew’s Day", "date": "2026-11-30", "notes": "", "bunting": true}]}
  })";
  auto ew = parse_bank_holidays(json);
  ASSERT_TRUE(ew);
  EXPECT_TRUE(ew->contains(day(2026, 8, 31)));
  EXPECT_FALSE(ew->contains(day(2026, 8, 3)));
  auto sc = parse_bank_holidays(json, "scotland");
  ASSERT_TRUE(sc);
  EXPECT_EQ(sc->all().size(), 2u);
  EXPECT_EQ(parse_bank_holidays(json, "northern-ireland").error().code, calendar_errc::unknown_division);
}

struct bad_case {
  const char* what;
  const char* json;
  calendar_errc code;
  const char* message_starts;
};

TEST(BankHolidays, RejectsBadFilesWithClearErrors) {
  const bad_case cases[] = {
      {"syntax", "{\n  \"england-and-wales\": {\n    \"events\": [,]\n  }\n}", calendar_errc::syntax, "3:16: JSON:"},
      {"truncated", "{\"england-and-wales\": {", calendar_errc::syntax, "1:24: JSON:"},
      {"not an object", "[]", calendar_errc::wrong_type, "the document"},
      {"no events", R"({"england-and-wales": {"division": "england-and-wales"}})", calendar_errc::missing_field,
       "england-and-wales: missing \"events\""},
      {"events not array", R"({"england-and-wales": {"events": {}}})", calendar_errc::wrong_type,
       "england-and-wales.events: must be an array"},
      {"no title", R"({"england-and-wales": {"events": [{"date": "2026-01-01"}]}})", calendar_errc::missing_field,
       "england-and-wales.events[0]: missing \"title\""},
      {"no date", R"({"england-and-wales": {"events": [{"title": "x"}]}})", calendar_errc::missing_field,
       "england-and-wales.events[0]: missing \"date\""},
      {"impossible date", R"({"england-and-wales": {"events": [{"title": "x", "date": "2026-02-30"}]}})",
       calendar_errc::bad_date, "england-and-wales.events[0].date: \"2026-02-30\""},
      {"date format", R"({"england-and-wales": {"events": [{"title": "x", "date": "01/01/2026"}]}})",
       calendar_errc::bad_date, "england-and-wales.events[0].date"},
      {"date not string", R"({"england-and-wales": {"events": [{"title": "x", "date": 20260101}]}})",
       calendar_errc::wrong_type, "england-and-wales.events[0].date: must be a string"},
      {"bunting not bool", R"({"england-and-wales": {"events": [{"title": "x", "date": "2026-01-01", "bunting": "yes"}]}})",
       calendar_errc::wrong_type, "england-and-wales.events[0].bunting"},
      {"duplicate", R"({"england-and-wales": {"events": [{"title": "a", "date": "2026-01-01"},
                                                         {"title": "b", "date": "2026-01-01"}]}})",
       calendar_errc::duplicate, "england-and-wales.events[1].date: 2026-01-01 is already listed (\"a\")"},
  };
  for (const auto& c : cases) {
    auto r = parse_bank_holidays(c.json);
    ASSERT_FALSE(r) << c.what;
    EXPECT_EQ(r.error().code, c.code) << c.what << ": " << r.error().to_string();
    EXPECT_EQ(r.error().to_string().rfind(c.message_starts, 0), 0u) << c.what << ": " << r.error().to_string();
  }
}

TEST(BankHolidays, RefusesOversizedText) {
  const std::string huge(max_bank_holidays_size + 1, ' ');
  EXPECT_EQ(parse_bank_holidays(huge).error().code, calendar_errc::syntax);
}

TEST(BankHolidays, FromRefusesDuplicates) {
  EXPECT_EQ(bank_holidays::from({{day(2026, 1, 1), "a", ""}, {day(2026, 1, 1), "b", ""}}).error(),
            calendar_errc::duplicate);
  auto h = bank_holidays::from({{day(2026, 5, 4), "b", ""}, {day(2026, 1, 1), "a", ""}});
  ASSERT_TRUE(h);
  EXPECT_EQ(h->all().front().title, "a");
}

}  // namespace
}  // namespace confidant::rules
