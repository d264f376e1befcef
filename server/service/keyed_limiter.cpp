#include "server/service/keyed_limiter.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace confidant::service {

namespace {

using std::chrono::milliseconds;

// later - now, for later > now, saturated to the range of milliseconds.
[[nodiscard]] milliseconds wait_until(rules::time_point later, rules::time_point now) noexcept {
  const auto d = static_cast<std::uint64_t>(later.time_since_epoch().count()) -
                 static_cast<std::uint64_t>(now.time_since_epoch().count());
  constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<milliseconds::rep>::max());
  return milliseconds{static_cast<milliseconds::rep>(std::min(d, max))};
}

}  // namespace

keyed_limiter::keyed_limiter(rules::bucket_limits limits, std::size_t max_keys)
    : limits_(limits), max_keys_(max_keys) {
  if (max_keys_ == 0) throw std::invalid_argument("a keyed limiter needs room for one key");
  (void)rules::token_bucket(limits_, rules::time_point{});  // validates the limits
}

rules::take_result keyed_limiter::make_room(rules::time_point now) {
  if (buckets_.size() < max_keys_) return {true, milliseconds{0}};
  if (now >= next_full_) {
    auto next = rules::time_point::max();
    std::erase_if(buckets_, [&](const auto& entry) {
      const auto full_at = entry.second.full_at();
      if (full_at <= now) return true;
      next = std::min(next, full_at);
      return false;
    });
    next_full_ = next;
    if (buckets_.size() < max_keys_) return {true, milliseconds{0}};
  }
  // Every remaining bucket is full only after now, so the wait is at least 1 ms.
  return {false, std::max(wait_until(next_full_, now), milliseconds{1})};
}

rules::take_result keyed_limiter::take(std::string_view key, rules::time_point now) {
  const std::lock_guard lock(mutex_);
  if (auto it = buckets_.find(key); it != buckets_.end()) return it->second.take(now);
  if (auto room = make_room(now); !room) return room;
  auto& bucket = buckets_.emplace(std::string(key), rules::token_bucket(limits_, now)).first->second;
  const auto result = bucket.take(now);
  next_full_ = std::min(next_full_, bucket.full_at());
  return result;
}

rules::take_result keyed_limiter::check(std::string_view key, rules::time_point now) {
  const std::lock_guard lock(mutex_);
  if (auto it = buckets_.find(key); it != buckets_.end()) return it->second.peek(now);
  return make_room(now);  // an absent key is a full bucket, if it can have one
}

std::size_t keyed_limiter::size() const {
  const std::lock_guard lock(mutex_);
  return buckets_.size();
}

}  // namespace confidant::service
