// The release phase sets the server's clock a lead before the window opens: utc_minus must
// carry across midnight, month and year ends, and refuse what is not a UTC time.
#include "tests/load/history.hpp"

#include <gtest/gtest.h>

namespace confidant::load {
namespace {

TEST(UtcMinus, SubtractsAcrossDayMonthAndYearEnds) {
  EXPECT_EQ(utc_minus("2026-11-27T08:00:00.000Z", 10), "2026-11-27T07:59:50.000Z");
  EXPECT_EQ(utc_minus("2026-12-01T00:00:00.000Z", 0.5), "2026-11-30T23:59:59.500Z");
  EXPECT_EQ(utc_minus("2027-01-01T00:00:05.250Z", 6), "2026-12-31T23:59:59.250Z");
  EXPECT_EQ(utc_minus("2028-03-01T08:00:00.000Z", 86400), "2028-02-29T08:00:00.000Z");  // leap year
}

TEST(UtcMinus, RefusesWhatIsNotAUtcTime) {
  EXPECT_THROW((void)utc_minus("Friday 08:00", 10), std::runtime_error);
  EXPECT_THROW((void)utc_minus("", 10), std::runtime_error);
}

}  // namespace
}  // namespace confidant::load
