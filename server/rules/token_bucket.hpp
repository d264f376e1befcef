#pragma once

#include "server/rules/clock.hpp"

#include <chrono>
#include <cstdint>

namespace confidant::rules {

// A bucket's numbers: at most `capacity` tokens (the burst), one token back every `refill_every`.
// docs/protocol.md: sends 60 / 50 ms; failed logins 5 / 1 min per pair, 30 / 10 s per address.
struct bucket_limits {
  std::int64_t capacity = 1;
  std::chrono::milliseconds refill_every{1000};
};

// The answer of a take or a peek: allowed, or the wait until the next token.
struct take_result {
  bool allowed = false;
  std::chrono::milliseconds retry_after{0};  // zero when allowed; at least 1 ms when refused

  [[nodiscard]] explicit operator bool() const noexcept { return allowed; }
  friend bool operator==(const take_result&, const take_result&) = default;
};

// A token bucket with time as a parameter. Refill is counted in whole intervals from the instant
// the count was last exact, so the part of an interval not yet earned carries over exactly: no
// drift however the calls are spaced. A full bucket earns nothing (idle time caps at capacity).
// A clock that goes backwards refills nothing and grants nothing: the bucket waits until time
// passes its last refill again (a conservative choice for login throttling). All arithmetic is
// overflow-safe over the whole range of time_point. Not thread-safe (service::keyed_limiter is).
class token_bucket {
 public:
  // Starts full at `now`. Throws std::invalid_argument when capacity < 1 or refill_every < 1 ms
  // (configuration time).
  token_bucket(bucket_limits limits, time_point now);

  // Takes one token if there is one at `now`.
  [[nodiscard]] take_result take(time_point now) noexcept;
  // What take(now) would answer, without taking.
  [[nodiscard]] take_result peek(time_point now) const noexcept;
  // Tokens available at `now` (0 to capacity).
  [[nodiscard]] std::int64_t available(time_point now) const noexcept;
  [[nodiscard]] bool full(time_point now) const noexcept { return available(now) == limits_.capacity; }
  // The earliest instant at which the bucket is full again if nothing more is taken
  // (time_point::max() when that is beyond the range).
  [[nodiscard]] time_point full_at() const noexcept;

  [[nodiscard]] const bucket_limits& limits() const noexcept { return limits_; }

 private:
  void refill(time_point now) noexcept;
  [[nodiscard]] take_result answer(time_point now) const noexcept;

  bucket_limits limits_;
  std::int64_t tokens_;
  time_point last_;  // refills count whole intervals from here
};

}  // namespace confidant::rules
