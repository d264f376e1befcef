#include "client/lib/backoff.hpp"

#include <gtest/gtest.h>

namespace confidant::client {
namespace {

using ms = std::chrono::milliseconds;

TEST(Backoff, DoublesWithinJitterBoundsUpToTheCap) {
  backoff b{{ms{500}, ms{30'000}, 2.0}};
  EXPECT_EQ(b.next(0.0), ms{250});
  EXPECT_EQ(b.next(0.999999), ms{999});
  EXPECT_EQ(b.next(0.5), ms{1500});
  for (int i = 0; i < 100; ++i) {
    const auto d = b.next(1.0);
    EXPECT_LE(d, ms{30'000});
  }
  EXPECT_EQ(b.next(0.0), ms{15'000});
  b.reset();
  EXPECT_EQ(b.next(0.0), ms{250});
}

}  // namespace
}  // namespace confidant::client
