#include "schema/wire/errc.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace confidant::wire {
namespace {

TEST(Errc, NamesAreUniqueStableAndRoundTrip) {
  std::set<std::string> seen;
  for (int i = 1; i <= errc_count; ++i) {
    const auto e = static_cast<errc>(i);
    const std::string n{name(e)};
    EXPECT_TRUE(seen.insert(n).second) << n;
    EXPECT_EQ(from_name(n), e);
    const boost::system::error_code ec = e;
    EXPECT_EQ(ec.message(), n);
  }
  // The protocol document promises these spellings.
  EXPECT_EQ(name(errc::malformed_json), "malformed_json");
  EXPECT_EQ(name(errc::unknown_type), "unknown_type");
  EXPECT_EQ(name(errc::frame_not_text), "frame_not_text");
  EXPECT_FALSE(from_name("no_such_code"));
}

}  // namespace
}  // namespace confidant::wire
