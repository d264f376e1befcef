#pragma once

#include "server/rules/token_bucket.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace confidant::service {

// Shown with a flag raised out of hours until the operator configures the LA's own text.
inline constexpr std::string_view default_emergency_route =
    "If a child or adult is in immediate danger, call the police on 999. Outside office hours, call your "
    "local authority's out-of-hours emergency duty team (the operator has not configured its number).";

// The messaging limits of protocol.md section 9 (`[limits]` in the configuration).
struct messaging_limits {
  std::chrono::days envelope_retention{30};
  std::chrono::days flag_retention{2557};  // resolved flags without legal hold, from resolved_at
  rules::bucket_limits send{60, std::chrono::milliseconds{50}};  // burst 60, 20 per second
  rules::bucket_limits login_per_device{5, std::chrono::seconds{60}};
  rules::bucket_limits login_per_address{30, std::chrono::seconds{10}};
  std::size_t delivery_window = 64;  // unacknowledged events per connection
  std::int64_t prekeys_low = 10;     // prekeys_low below this
  std::size_t max_limiter_keys = 100'000;
};

}  // namespace confidant::service
