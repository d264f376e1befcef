#include "server/rules/token_bucket.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

namespace confidant::rules {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

// 2026-11-23T14:05:09.123Z, an arbitrary instant.
const time_point t0{milliseconds{1'795'442'709'123}};

constexpr take_result allowed{true, 0ms};
take_result wait(milliseconds d) { return {false, d}; }

TEST(TokenBucket, BurstThenRefusalWithTheExactWait) {
  token_bucket b({5, 1min}, t0);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(b.take(t0), allowed) << i;
  EXPECT_EQ(b.take(t0), wait(60'000ms));
  EXPECT_EQ(b.take(t0 + 20s), wait(40'000ms));
  EXPECT_EQ(b.take(t0 + 59'999ms), wait(1ms));
  EXPECT_EQ(b.take(t0 + 60s), allowed);
  EXPECT_EQ(b.take(t0 + 60s), wait(60'000ms));  // the next token counts from 60 s, not from now
}

TEST(TokenBucket, PeekNeitherTakesNorMoves) {
  token_bucket b({1, 10s}, t0);
  EXPECT_EQ(b.peek(t0), allowed);
  EXPECT_EQ(b.peek(t0), allowed);
  EXPECT_EQ(b.available(t0), 1);
  EXPECT_EQ(b.take(t0), allowed);
  EXPECT_EQ(b.peek(t0 + 3s), wait(7s));
  EXPECT_EQ(b.peek(t0 + 3s), wait(7s));
  EXPECT_EQ(b.available(t0 + 3s), 0);
  EXPECT_FALSE(b.full(t0 + 9'999ms));
  EXPECT_TRUE(b.full(t0 + 10s));
  EXPECT_EQ(b.full_at(), t0 + 10s);
}

TEST(TokenBucket, FractionalRefillCarriesOverWithoutDrift) {
  // The send limit: burst 60, 20 per second (one token every 50 ms).
  token_bucket b({60, 50ms}, t0);
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(b.take(t0));
  ASSERT_FALSE(b.take(t0));
  // 75 ms earns one token; the 25 ms left over still count towards the next one.
  EXPECT_EQ(b.take(t0 + 75ms), allowed);
  EXPECT_EQ(b.take(t0 + 99ms), wait(1ms));
  EXPECT_EQ(b.take(t0 + 100ms), allowed);
  // Polled every 30 ms for a minute, a drained bucket lets exactly one take per 50 ms through.
  int granted = 0;
  for (auto t = t0 + 130ms; t <= t0 + 100ms + 60s; t += 30ms)
    if (b.take(t)) ++granted;
  // The polls run from 130 ms to 60.1 s; from the last token at 100 ms that is 60 s earned,
  // 60'000 / 50 = 1200 tokens, with no interval lost to the 30 ms spacing.
  EXPECT_EQ(granted, 1200);
}

TEST(TokenBucket, RefillOverTimeAddsWholeTokensUpToCapacity) {
  token_bucket b({10, 1s}, t0);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(b.take(t0));
  EXPECT_EQ(b.available(t0 + 3'500ms), 3);
  EXPECT_EQ(b.full_at(), t0 + 10s);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(b.take(t0 + 3'500ms), allowed);
  EXPECT_EQ(b.take(t0 + 3'500ms), wait(500ms));
  EXPECT_EQ(b.available(t0 + 10s), 7);
  EXPECT_EQ(b.available(t0 + 13s), 10);
}

TEST(TokenBucket, LongIdleCapsAtCapacity) {
  token_bucket b({5, 1min}, t0);
  ASSERT_TRUE(b.take(t0));
  const auto later = t0 + std::chrono::hours{24 * 365};
  EXPECT_EQ(b.available(later), 5);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(b.take(later), allowed) << i;
  EXPECT_EQ(b.take(later), wait(1min));
  // A full bucket earns nothing while idle: after taking, the wait starts from the take.
  token_bucket c({2, 1min}, t0);
  ASSERT_TRUE(c.take(t0 + 1h + 30s));
  ASSERT_TRUE(c.take(t0 + 1h + 30s));
  EXPECT_EQ(c.take(t0 + 1h + 30s), wait(1min));
}

TEST(TokenBucket, ClockGoingBackwardsRefillsNothing) {
  token_bucket b({2, 1min}, t0);
  ASSERT_TRUE(b.take(t0));
  ASSERT_TRUE(b.take(t0));
  // Ten seconds back: no token, and the wait counts to the real next token.
  EXPECT_EQ(b.take(t0 - 10s), wait(70s));
  EXPECT_EQ(b.available(t0 - 1h), 0);
  // Time returning to normal earns exactly what it would have earned without the jump.
  EXPECT_EQ(b.take(t0 + 59'999ms), wait(1ms));
  EXPECT_EQ(b.take(t0 + 60s), allowed);
  EXPECT_EQ(b.take(t0 + 60s), wait(1min));
  // A full bucket taken from in the past does not earn its token back early either.
  token_bucket c({1, 1min}, t0);
  EXPECT_EQ(c.take(t0 - 30s), allowed);
  EXPECT_EQ(c.take(t0 + 59s), wait(1s));
  EXPECT_EQ(c.take(t0 + 1min), allowed);
}

TEST(TokenBucket, ExtremeTimesAndNumbersDoNotOverflow) {
  token_bucket b({1, 1ms}, time_point::min());
  ASSERT_TRUE(b.take(time_point::min()));
  EXPECT_EQ(b.full_at(), time_point::min() + 1ms);
  EXPECT_EQ(b.take(time_point::max()), allowed);  // the whole range earns one token, no more
  EXPECT_EQ(b.take(time_point::max()), wait(1ms));
  EXPECT_EQ(b.take(time_point::min()), wait(milliseconds::max()));  // saturates

  constexpr auto huge = std::numeric_limits<std::int64_t>::max();
  token_bucket c({huge, milliseconds::max()}, time_point::min());
  ASSERT_TRUE(c.take(time_point::min()));
  EXPECT_EQ(c.available(time_point::max()), huge);  // 2^64 - 1 ms is more than one interval
  EXPECT_EQ(c.full_at(), time_point::min() + milliseconds::max());
  ASSERT_TRUE(c.take(time_point::max()));
  EXPECT_EQ(c.full_at(), time_point::max());  // saturates
  EXPECT_EQ(c.available(time_point::max()), huge - 1);
}

TEST(TokenBucket, ImpossibleLimitsAreRefusedAtConfiguration) {
  EXPECT_THROW(token_bucket({0, 1s}, t0), std::invalid_argument);
  EXPECT_THROW(token_bucket({-1, 1s}, t0), std::invalid_argument);
  EXPECT_THROW(token_bucket({1, 0ms}, t0), std::invalid_argument);
  EXPECT_THROW(token_bucket({1, -5ms}, t0), std::invalid_argument);
}

}  // namespace
}  // namespace confidant::rules
