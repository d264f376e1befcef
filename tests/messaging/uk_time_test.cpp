#include "client/lib/codec.hpp"
#include "client/lib/uk_time.hpp"

#include <gtest/gtest.h>

namespace confidant::client::uk_time {
namespace {

std::int64_t at(std::string_view wire) { return codec::parse_time_ms(wire).value(); }

TEST(UkTime, WinterIsGmtAndSummerIsBst) {
  EXPECT_EQ(format(at("2026-11-23T10:00:00.000Z")), "Mon 23 Nov 2026 10:00 GMT");
  EXPECT_EQ(format(at("2026-10-23T08:30:00.000Z")), "Fri 23 Oct 2026 09:30 BST");
}

TEST(UkTime, ChangesAt0100UtcOnTheLastSundays) {
  // 2026: 29 March and 25 October.
  EXPECT_FALSE(summer_time(at("2026-03-29T00:59:59.999Z")));
  EXPECT_TRUE(summer_time(at("2026-03-29T01:00:00.000Z")));
  EXPECT_EQ(format(at("2026-03-29T01:00:00.000Z")), "Sun 29 Mar 2026 02:00 BST");
  EXPECT_TRUE(summer_time(at("2026-10-25T00:59:59.999Z")));
  EXPECT_FALSE(summer_time(at("2026-10-25T01:00:00.000Z")));
  EXPECT_EQ(format(at("2026-10-25T00:30:00.000Z")), "Sun 25 Oct 2026 01:30 BST");
  EXPECT_EQ(format(at("2026-10-25T01:30:00.000Z")), "Sun 25 Oct 2026 01:30 GMT");
  // A year whose 31 March is itself a Sunday.
  EXPECT_FALSE(summer_time(at("2024-03-31T00:59:00.000Z")));
  EXPECT_TRUE(summer_time(at("2024-03-31T01:00:00.000Z")));
  EXPECT_FALSE(summer_time(at("2024-03-24T12:00:00.000Z")));
}

}  // namespace
}  // namespace confidant::client::uk_time
