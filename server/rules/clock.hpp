#pragma once

#include <chrono>

namespace confidant::rules {

using time_point = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

// Where "now" comes from. Rules take a time or a clock, never read the system clock themselves,
// so every rule can be tested at any instant (Envoy's TimeSource).
class clock {
 public:
  virtual ~clock() = default;
  [[nodiscard]] virtual time_point now() const = 0;
};

// A clock that stays where it is put: for tests.
class fixed_clock final : public clock {
 public:
  explicit fixed_clock(time_point t) : now_(t) {}
  [[nodiscard]] time_point now() const override { return now_; }
  void set(time_point t) { now_ = t; }
  void advance(std::chrono::milliseconds d) { now_ += d; }

 private:
  time_point now_;
};

}  // namespace confidant::rules
