#pragma once

#include "server/rules/clock.hpp"

namespace confidant::service {

// The real clock, for the running server.
class system_clock final : public rules::clock {
 public:
  [[nodiscard]] rules::time_point now() const override;
};

}  // namespace confidant::service
