#pragma once

#include "server/rules/token_bucket.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace confidant::service {

// The messaging limits of protocol.md section 9 (`[limits]` in the configuration).
struct messaging_limits {
  std::chrono::days envelope_retention{30};
  rules::bucket_limits send{60, std::chrono::milliseconds{50}};  // burst 60, 20 per second
  rules::bucket_limits login_per_device{5, std::chrono::seconds{60}};
  rules::bucket_limits login_per_address{30, std::chrono::seconds{10}};
  std::size_t delivery_window = 64;  // unacknowledged events per connection
  std::int64_t prekeys_low = 10;     // prekeys_low below this
  std::size_t max_limiter_keys = 100'000;
};

}  // namespace confidant::service
