#include "client/lib/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace confidant::client {

std::chrono::milliseconds backoff::next(double unit) {
  const double initial = static_cast<double>(p_.initial.count());
  const double cap = static_cast<double>(p_.max.count());
  const double base = std::min(cap, initial * std::pow(p_.factor, std::min(attempt_, 62)));
  if (attempt_ < 1'000'000) ++attempt_;
  const double u = std::clamp(unit, 0.0, 1.0);
  return std::chrono::milliseconds{static_cast<std::int64_t>(base / 2 + base / 2 * u)};
}

}  // namespace confidant::client
