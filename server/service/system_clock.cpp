#include "server/service/system_clock.hpp"

namespace confidant::service {

rules::time_point system_clock::now() const {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

}  // namespace confidant::service
