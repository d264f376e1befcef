#pragma once

#include "server/rules/clock.hpp"
#include "server/rules/token_bucket.hpp"

#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace confidant::service {

// One token bucket per key (a device, a (user, device) pair, an address), all with the same
// limits, at most `max_keys` of them: thread-safe.
//
// A key not in the map behaves as a full bucket. When a new key arrives and the map is full,
// only buckets that are full again by `now` are dropped (dropping one changes no answer, since
// an absent key is a full bucket). If none is, the new key is refused, with `retry_after` the
// time until the first bucket is full again. So an attacker who floods the map with keys can
// never reset someone's partly drained bucket (which would hand out free login attempts); the
// price is that while the flood lasts new keys are refused, so size `max_keys` well above the
// expected number of keys active within one full-refill time.
class keyed_limiter {
 public:
  // Throws std::invalid_argument for max_keys == 0 or impossible limits (configuration time).
  keyed_limiter(rules::bucket_limits limits, std::size_t max_keys);

  // Takes one token from the key's bucket (creating it, full, if there is room).
  [[nodiscard]] rules::take_result take(std::string_view key, rules::time_point now);
  // What take(key, now) would answer, without taking: to refuse a login before verifying it.
  // May drop full buckets, which changes nothing but size().
  [[nodiscard]] rules::take_result check(std::string_view key, rules::time_point now);

  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::size_t max_keys() const noexcept { return max_keys_; }
  [[nodiscard]] const rules::bucket_limits& limits() const noexcept { return limits_; }

 private:
  // With the lock held: makes room for one more key if it can; otherwise the refusal.
  [[nodiscard]] rules::take_result make_room(rules::time_point now);

  rules::bucket_limits limits_;
  std::size_t max_keys_;
  mutable std::mutex mutex_;
  std::map<std::string, rules::token_bucket, std::less<>> buckets_;
  // No bucket is full again before this instant (a lower bound: a bucket's full_at() never moves
  // earlier), so a full map is swept only when the sweep can free something.
  rules::time_point next_full_ = rules::time_point::max();
};

}  // namespace confidant::service
