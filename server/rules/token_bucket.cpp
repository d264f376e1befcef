#include "server/rules/token_bucket.hpp"

#include <limits>
#include <stdexcept>

namespace confidant::rules {

namespace {

using std::chrono::milliseconds;

// b - a in milliseconds, for b >= a: always representable as unsigned.
[[nodiscard]] std::uint64_t distance(time_point a, time_point b) noexcept {
  return static_cast<std::uint64_t>(b.time_since_epoch().count()) -
         static_cast<std::uint64_t>(a.time_since_epoch().count());
}

// a + delta, for a result known to lie in [a, time_point::max()]: unsigned arithmetic, then the
// (C++20 well-defined) conversion back, so a delta above the signed range is fine.
[[nodiscard]] time_point advance(time_point a, std::uint64_t delta) noexcept {
  const auto sum = static_cast<std::uint64_t>(a.time_since_epoch().count()) + delta;
  return time_point{milliseconds{static_cast<milliseconds::rep>(sum)}};
}

constexpr auto max_ms = static_cast<std::uint64_t>(std::numeric_limits<milliseconds::rep>::max());

[[nodiscard]] milliseconds saturated_ms(std::uint64_t ms) noexcept {
  return milliseconds{static_cast<milliseconds::rep>(ms > max_ms ? max_ms : ms)};
}

}  // namespace

token_bucket::token_bucket(bucket_limits limits, time_point now)
    : limits_(limits), tokens_(limits.capacity), last_(now) {
  if (limits_.capacity < 1) throw std::invalid_argument("token bucket capacity must be at least 1");
  if (limits_.refill_every < milliseconds{1})
    throw std::invalid_argument("token bucket refill interval must be at least 1 ms");
}

void token_bucket::refill(time_point now) noexcept {
  if (now <= last_) return;  // no time passed, or the clock went back: nothing earned
  if (tokens_ >= limits_.capacity) {
    last_ = now;  // a full bucket earns nothing while it waits
    return;
  }
  const auto interval = static_cast<std::uint64_t>(limits_.refill_every.count());
  const auto earned = distance(last_, now) / interval;
  const auto missing = static_cast<std::uint64_t>(limits_.capacity - tokens_);
  if (earned >= missing) {
    tokens_ = limits_.capacity;
    last_ = now;
  } else {
    // earned < missing <= capacity fits in int64; earned * interval <= now - last_.
    tokens_ += static_cast<std::int64_t>(earned);
    last_ = advance(last_, earned * interval);
  }
}

take_result token_bucket::answer(time_point now) const noexcept {
  if (tokens_ > 0) return {true, milliseconds{0}};
  // The next token arrives at last_ + interval. After refill(now), either now < last_ (the clock
  // went back) or now - last_ < interval; both give a wait of at least 1 ms.
  const auto interval = static_cast<std::uint64_t>(limits_.refill_every.count());
  if (now < last_) {
    const auto behind = distance(now, last_);
    return {false, saturated_ms(behind > max_ms - interval ? max_ms : behind + interval)};
  }
  return {false, saturated_ms(interval - distance(last_, now))};
}

take_result token_bucket::take(time_point now) noexcept {
  refill(now);
  const auto result = answer(now);
  if (result.allowed) --tokens_;
  return result;
}

take_result token_bucket::peek(time_point now) const noexcept {
  auto copy = *this;
  copy.refill(now);
  return copy.answer(now);
}

std::int64_t token_bucket::available(time_point now) const noexcept {
  auto copy = *this;
  copy.refill(now);
  return copy.tokens_;
}

time_point token_bucket::full_at() const noexcept {
  const auto missing = static_cast<std::uint64_t>(limits_.capacity - tokens_);
  const auto interval = static_cast<std::uint64_t>(limits_.refill_every.count());
  const auto room = distance(last_, time_point::max());
  if (missing != 0 && missing > room / interval) return time_point::max();
  return advance(last_, missing * interval);
}

}  // namespace confidant::rules
