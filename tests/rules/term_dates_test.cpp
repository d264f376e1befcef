#include "server/rules/term_dates.hpp"

#include "tests/rules/calendar_fixtures.hpp"

#include <gtest/gtest.h>

namespace confidant::rules {
namespace {

using testing::day;

TEST(TermDates, Shipped2026To27) {
  const auto y = testing::shipped_year("terms-2026-27.toml");
  EXPECT_EQ(y.name, "2026-27");
  EXPECT_EQ(y.dates.first, day(2026, 9, 1));
  EXPECT_EQ(y.dates.last, day(2027, 8, 31));
  ASSERT_EQ(y.terms.size(), 3u);
  EXPECT_EQ(y.terms[0].name, "Autumn");
  EXPECT_EQ(y.terms[0].dates.last, day(2026, 12, 18));
  ASSERT_EQ(y.terms[0].half_terms.size(), 1u);
  EXPECT_EQ(y.terms[0].half_terms[0].dates.first, day(2026, 10, 26));
  EXPECT_EQ(y.terms[1].half_terms[0].dates.first, day(2027, 2, 15));
  EXPECT_EQ(y.terms[2].dates.last, day(2027, 7, 21));
  EXPECT_EQ(y.closures.size(), 3u);
  EXPECT_EQ(y.closures[0].dates.last, day(2026, 9, 2));

  EXPECT_FALSE(y.is_term_day(day(2026, 9, 1)));   // INSET
  EXPECT_TRUE(y.is_term_day(day(2026, 9, 3)));
  EXPECT_FALSE(y.is_term_day(day(2026, 10, 28)));  // half term
  EXPECT_TRUE(y.is_term_day(day(2026, 12, 18)));   // last day of autumn term
  EXPECT_FALSE(y.is_term_day(day(2026, 12, 21)));  // Christmas holiday
  EXPECT_FALSE(y.is_term_day(day(2027, 4, 1)));    // Easter holiday
  EXPECT_TRUE(y.is_term_day(day(2027, 7, 20)));
  EXPECT_FALSE(y.is_term_day(day(2027, 7, 21)));   // INSET on the last day
  EXPECT_FALSE(y.is_term_day(day(2027, 8, 2)));    // summer holiday
  EXPECT_EQ(y.term_on(day(2027, 5, 3))->name, "Summer");
}

TEST(TermDates, Shipped2027To28) {
  const auto y = testing::shipped_year("terms-2027-28.toml");
  EXPECT_EQ(y.name, "2027-28");
  ASSERT_EQ(y.terms.size(), 3u);
  EXPECT_EQ(y.terms[0].dates.first, day(2027, 9, 1));
  EXPECT_EQ(y.terms[0].half_terms[0].dates.last, day(2027, 10, 29));
  EXPECT_EQ(y.terms[1].dates.first, day(2028, 1, 4));
  EXPECT_EQ(y.terms[2].dates.first, day(2028, 4, 18));
  EXPECT_FALSE(y.is_term_day(day(2028, 5, 31)));   // May half term
  EXPECT_TRUE(y.is_term_day(day(2028, 6, 5)));
}

TEST(TermDates, StringDatesAndNoHalfTermsAreAccepted) {
  auto y = parse_term_dates(R"(
[academic_year]
name = "x"
starts = "2026-09-01"
ends = "2027-08-31"
[[term]]
name = "Only"
starts = "2026-09-01"
ends = "2027-07-20"
[[closure]]
date = "2026-11-02"
reason = "Polling station"
)");
  ASSERT_TRUE(y) << y.error().to_string();
  EXPECT_TRUE(y->terms[0].half_terms.empty());
  EXPECT_FALSE(y->is_term_day(day(2026, 11, 2)));
}

struct bad_case {
  const char* what;
  const char* toml;
  calendar_errc code;
  const char* message_starts;
};

// Line 1 is "[academic_year]" in every case (no leading newline).
TEST(TermDates, RejectsBadFilesWithLineAndColumn) {
  const bad_case cases[] = {
      {"syntax", "[academic_year]\nname = \"x\nstarts = 2026-09-01\n", calendar_errc::syntax, "2:"},
      {"impossible TOML date", "[academic_year]\nname = \"x\"\nstarts = 2026-02-30\n", calendar_errc::syntax, "3:"},
      {"missing year", "[[term]]\nname = \"A\"\nstarts = 2026-09-01\nends = 2026-12-18\n",
       calendar_errc::missing_field, "1:1: missing [academic_year]"},
      {"missing ends", "[academic_year]\nname = \"x\"\nstarts = 2026-09-01\n", calendar_errc::missing_field,
       "1:1: [academic_year]: missing \"ends\""},
      {"bad string date", "[academic_year]\nname = \"x\"\nstarts = \"2026-9-1\"\nends = 2027-08-31\n",
       calendar_errc::bad_date, "3:10: [academic_year].starts: \"2026-9-1\""},
      {"year ends before it starts", "[academic_year]\nname = \"x\"\nstarts = 2026-09-01\nends = 2026-08-31\n",
       calendar_errc::end_before_start, "4:8: [academic_year]: ends 2026-08-31 before it starts 2026-09-01"},
      {"unknown key", "[academic_year]\nname = \"x\"\nstarts = 2026-09-01\nends = 2027-08-31\nstrats = 1\n",
       calendar_errc::unknown_key, "5:1: [academic_year]: unknown key \"strats\""},
      {"no terms", "[academic_year]\nname = \"x\"\nstarts = 2026-09-01\nends = 2027-08-31\n", calendar_errc::no_terms,
       "1:1: no [[term]]"},
      {"term outside year",
       "[academic_year]\nname = \"x\"\nstarts = 2026-09-01\nends = 2027-08-31\n"
       "[[term]]\nname = \"Autumn\"\nstarts = 2026-08-27\nends = 2026-12-18\n",
       calendar_errc::outside_year, "7:10: term \"Autumn\": 2026-08-27 to 2026-12-18 is outside the academic year"},
      {"term ends before start",
       "[academic_year]\nname = \"x\"\nstarts = 2026-09-01\nends = 2027-08-31\n"
       "[[term]]\nname = \"Autumn\"\nstarts = 2026-12-18\nends = 2026-09-01\n",
       calendar_errc::end_before_start, "8:8: term \"Autumn\": ends 2026-09-01"},
      {"terms out of order",
       "[academic_year]\nname = \"x\"\nstarts = 2026-09-01\nends = 2027-08-31\n"
       "[[term]]\nname = \"Spring\"\nstarts = 2027-01-04\nends = 2027-03-25\n"
       "[[term]]\nname = \"Autumn\"\nstarts = 2026-09-01\nends = 2026-12-18\n",
       calendar_errc::out_of_order, "11:10: term \"Autumn\": starts 2026-09-01, before term \"Spring\" ends"},
      {"terms overlap",
       "[academic_year]\nname = \"x\"\nstarts = 2026-09-01\nends = 2027-08-31\n"
       "[[term]]\nname = \"Autumn\"\nstarts = 2026-09-01\nends = 2027-01-05\n"
       "[[term]]\nname = \"Spring\"\nstarts = 2027-01-04\nends = 2027-03-25\n",
       calendar_errc::out_of_order, "11:10: term \"Spring\""},
      {"half term outside term",
       "[academic_year]\nname = \"x\"\nstarts = 2026-09-01\nends = 2027-08-31\n"
       "[[term]]\nname = \"Autumn\"\nstarts = 2026-09-01\nends = 2026-12-18\n"
       "[[term.half_term]]\nstarts = 2026-12-14\nends = 2026-12-22\n",
       calendar_errc::half_term_outside_term, "11:8: half term of \"Autumn\": 2026-12-14 to 2026-12-22 is not inside"},
      {"half terms out of order",
       "[academic_year]\nname = \"x\"\nstarts = 2026-09-01\nends = 2027-08-31\n"
       "[[term]]\nname = \"Autumn\"\nstarts = 2026-09-01\nends = 2026-12-18\n"
       "[[term.half_term]]\nstarts = 2026-10-26\nends = 2026-10-30\n"
       "[[term.half_term]]\nstarts = 2026-10-01\nends = 2026-10-02\n",
       calendar_errc::out_of_order, "13:10: half term of \"Autumn\""},
      {"closure outside year",
       "[academic_year]\nname = \"x\"\nstarts = 2026-09-01\nends = 2027-08-31\n"
       "[[term]]\nname = \"Autumn\"\nstarts = 2026-09-01\nends = 2026-12-18\n"
       "[[closure]]\ndate = 2027-09-01\nreason = \"INSET\"\n",
       calendar_errc::outside_year, "10:8: closure \"INSET\": 2027-09-01 is outside"},
      {"closure without reason",
       "[academic_year]\nname = \"x\"\nstarts = 2026-09-01\nends = 2027-08-31\n"
       "[[term]]\nname = \"Autumn\"\nstarts = 2026-09-01\nends = 2026-12-18\n"
       "[[closure]]\ndate = 2026-10-01\n",
       calendar_errc::missing_field, "9:1: [[closure]]: missing \"reason\""},
      {"closure with date and range",
       "[academic_year]\nname = \"x\"\nstarts = 2026-09-01\nends = 2027-08-31\n"
       "[[term]]\nname = \"Autumn\"\nstarts = 2026-09-01\nends = 2026-12-18\n"
       "[[closure]]\ndate = 2026-10-01\nstarts = 2026-10-01\nends = 2026-10-02\nreason = \"x\"\n",
       calendar_errc::wrong_type, "10:8: closure \"x\": give either date"},
      {"term written as a table",
       "[academic_year]\nname = \"x\"\nstarts = 2026-09-01\nends = 2027-08-31\n[term]\nname = \"A\"\n",
       calendar_errc::wrong_type, "5:1: \"term\" must be written [[term]]"},
  };
  for (const auto& c : cases) {
    auto r = parse_term_dates(c.toml);
    ASSERT_FALSE(r) << c.what;
    EXPECT_EQ(r.error().code, c.code) << c.what << ": " << r.error().to_string();
    EXPECT_EQ(r.error().to_string().rfind(c.message_starts, 0), 0u) << c.what << ": " << r.error().to_string();
  }
}

TEST(TermDates, RefusesOversizedText) {
  const std::string huge(max_term_dates_size + 1, '#');
  EXPECT_EQ(parse_term_dates(huge).error().code, calendar_errc::syntax);
}

TEST(TermDates, RefusesOverlappingYearsInOneCalendar) {
  const auto a = testing::shipped_year("terms-2026-27.toml");
  auto b = a;
  b.name = "copy";
  EXPECT_EQ(sorted_years({a, b}).error(), calendar_errc::years_overlap);
  auto ok = sorted_years({testing::shipped_year("terms-2027-28.toml"), a});
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->front().name, "2026-27");
}

}  // namespace
}  // namespace confidant::rules
