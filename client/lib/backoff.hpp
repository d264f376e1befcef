#pragma once

// Reconnect delays: exponential, bounded, with jitter so that many clients cut off together do
// not come back together. Pure: the random draw is an argument.

#include <chrono>

namespace confidant::client {

class backoff {
 public:
  struct policy {
    std::chrono::milliseconds initial{500};
    std::chrono::milliseconds max{30'000};
    double factor = 2.0;
  };
  backoff() = default;
  explicit backoff(policy p) : p_(p) {}

  // The delay before the next attempt: base = min(max, initial * factor^n), and the result is
  // uniform in [base/2, base] for `unit` uniform in [0, 1) ("equal jitter").
  [[nodiscard]] std::chrono::milliseconds next(double unit);
  // After a successful connection.
  void reset() noexcept { attempt_ = 0; }
  [[nodiscard]] int attempts() const noexcept { return attempt_; }

 private:
  policy p_{};
  int attempt_ = 0;
};

}  // namespace confidant::client
