#include "server/service/keyed_limiter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace confidant::service {
namespace {

using namespace std::chrono_literals;
using rules::take_result;
using rules::time_point;
using std::chrono::milliseconds;

const time_point t0{milliseconds{1'795'442'709'123}};
constexpr take_result allowed{true, 0ms};
take_result wait(milliseconds d) { return {false, d}; }

TEST(KeyedLimiter, EachKeyHasItsOwnBucket) {
  keyed_limiter l({5, 1min}, 100);  // failed logins per (user, device) pair
  for (int i = 0; i < 5; ++i) EXPECT_EQ(l.take("3:1", t0), allowed) << i;
  EXPECT_EQ(l.take("3:1", t0), wait(1min));
  EXPECT_EQ(l.take("3:1", t0 + 15s), wait(45s));
  EXPECT_EQ(l.take("3:2", t0 + 15s), allowed);
  EXPECT_EQ(l.take("3:1", t0 + 1min), allowed);
  EXPECT_EQ(l.size(), 2u);
}

TEST(KeyedLimiter, CheckAnswersLikeTakeWithoutTaking) {
  keyed_limiter l({2, 10s}, 100);
  EXPECT_EQ(l.check("a", t0), allowed);
  EXPECT_EQ(l.size(), 0u);  // checking creates nothing
  ASSERT_TRUE(l.take("a", t0));
  for (int i = 0; i < 10; ++i) EXPECT_EQ(l.check("a", t0), allowed);
  ASSERT_TRUE(l.take("a", t0));
  EXPECT_EQ(l.check("a", t0 + 4s), wait(6s));
  EXPECT_EQ(l.take("a", t0 + 4s), wait(6s));
  EXPECT_EQ(l.check("a", t0 + 10s), allowed);
}

TEST(KeyedLimiter, WhenFullOnlyBucketsBackAtCapacityAreDropped) {
  keyed_limiter l({2, 1min}, 2);
  ASSERT_TRUE(l.take("a", t0));
  ASSERT_TRUE(l.take("b", t0 + 10s));
  // Neither is full again yet: the new key is refused until the first one is (a at t0 + 1 min).
  EXPECT_EQ(l.take("c", t0 + 20s), wait(40s));
  EXPECT_EQ(l.check("c", t0 + 20s), wait(40s));
  EXPECT_EQ(l.size(), 2u);
  // Known keys carry on regardless.
  EXPECT_EQ(l.take("b", t0 + 20s), allowed);
  // At t0 + 1 min "a" is full: it goes, "c" comes in; "b" (empty) stays.
  EXPECT_EQ(l.check("c", t0 + 1min), allowed);
  EXPECT_EQ(l.take("c", t0 + 1min), allowed);
  EXPECT_EQ(l.size(), 2u);
  EXPECT_EQ(l.take("b", t0 + 1min), wait(10s));  // b was not reset
  EXPECT_EQ(l.take("d", t0 + 1min), wait(60s));  // c full at 2 min, b at 2 min 10 s
}

TEST(KeyedLimiter, FloodingWithNewKeysNeverResetsAVictimsBucket) {
  keyed_limiter l({5, 1min}, 10);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(l.take("victim", t0));
  for (int round = 0; round < 3; ++round) {
    const auto now = t0 + round * 10s;
    for (int i = 0; i < 1000; ++i) (void)l.take("attacker" + std::to_string(round * 1000 + i), now);
    EXPECT_LE(l.size(), 10u);
    EXPECT_EQ(l.check("victim", now), wait(60s - round * 10s)) << round;
  }
  EXPECT_EQ(l.take("victim", t0 + 1min), allowed);
  EXPECT_EQ(l.take("victim", t0 + 1min), wait(1min));
}

TEST(KeyedLimiter, ConcurrentTakesOnOneKeyGrantExactlyTheBurst) {
  keyed_limiter l({50, 1h}, 100);
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i)
        if (l.take("shared", t0)) granted.fetch_add(1, std::memory_order_relaxed);
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(granted.load(), 50);
  EXPECT_EQ(l.size(), 1u);
}

TEST(KeyedLimiter, ConcurrentNewKeysNeverExceedTheBound) {
  keyed_limiter l({1, 1h}, 60);
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i)
        if (l.take("k" + std::to_string(t * 25 + i), t0)) granted.fetch_add(1, std::memory_order_relaxed);
    });
  for (auto& th : threads) th.join();
  // 100 distinct keys, room for 60, each bucket drained by its first take: 60 exactly.
  EXPECT_EQ(granted.load(), 60);
  EXPECT_EQ(l.size(), 60u);
}

TEST(KeyedLimiter, ImpossibleConfigurationIsRefused) {
  EXPECT_THROW(keyed_limiter({1, 1s}, 0), std::invalid_argument);
  EXPECT_THROW(keyed_limiter({0, 1s}, 10), std::invalid_argument);
  EXPECT_THROW(keyed_limiter({1, 0ms}, 10), std::invalid_argument);
}

}  // namespace
}  // namespace confidant::service
