#pragma once

#include "server/rules/clock.hpp"

#include <chrono>
#include <optional>

namespace confidant::service {

// The real clock, for the running server. With a start instant (the configuration's
// `testing.clock_start`) it reads that instant when constructed and advances in real time from
// there: system tests use it to run the server on a chosen day (a term-time Monday, a Saturday).
class system_clock final : public rules::clock {
 public:
  explicit system_clock(std::optional<rules::time_point> start = std::nullopt);
  [[nodiscard]] rules::time_point now() const override;
  [[nodiscard]] bool shifted() const noexcept { return offset_.count() != 0; }

 private:
  std::chrono::milliseconds offset_{0};
};

}  // namespace confidant::service
