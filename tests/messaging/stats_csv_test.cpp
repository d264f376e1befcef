// The programme statistics as RFC 4180 CSV (client/lib/stats_csv.hpp).
#include "client/lib/stats_csv.hpp"

#include <gtest/gtest.h>

namespace confidant::client::stats_csv {
namespace {

TEST(StatsCsv, QuotesOnlyWhatMustBeQuoted) {
  EXPECT_EQ(field("Sam Associate"), "Sam Associate");
  EXPECT_EQ(field(""), "");
  EXPECT_EQ(field("Smith, Ann"), "\"Smith, Ann\"");
  EXPECT_EQ(field("Ann \"Head\" Smith"), "\"Ann \"\"Head\"\" Smith\"");
  EXPECT_EQ(field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(field("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(record({"a", "b,c", ""}), "a,\"b,c\",\r\n");
}

TEST(StatsCsv, OneRowPerCycleAndPerAssociate) {
  programme::stats s;
  s.cycles.push_back({7, "closed", 3, 5, 1795428000000, 1795433400000, 1.5, 2, false});
  s.cycles.push_back({8, "requested", 4, 0, 1795428000000, std::nullopt, std::nullopt, 0, true});
  s.associates.push_back({5, "Smith, \"Sam\"", "approved", 1, 2});
  EXPECT_EQ(cycles(s),
            "cycle,state,headteacher,associate,requested_at,paired_at,hours_to_pairing,meetings_held,reached_review\r\n"
            "7,closed,3,5,2026-11-23T10:00:00.000Z,2026-11-23T11:30:00.000Z,1.5,2,false\r\n"
            "8,requested,4,,2026-11-23T10:00:00.000Z,,,0,true\r\n");
  EXPECT_EQ(associates(s),
            "user,display_name,status,load,capacity\r\n"
            "5,\"Smith, \"\"Sam\"\"\",approved,1,2\r\n");
}

}  // namespace
}  // namespace confidant::client::stats_csv
