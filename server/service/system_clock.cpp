#include "server/service/system_clock.hpp"

namespace confidant::service {
namespace {
rules::time_point real_now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}
}  // namespace

system_clock::system_clock(std::optional<rules::time_point> start) {
  if (start) offset_ = *start - real_now();
}

rules::time_point system_clock::now() const { return real_now() + offset_; }

}  // namespace confidant::service
