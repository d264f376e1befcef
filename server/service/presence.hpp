#pragma once

#include "server/service/connection.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace confidant::service {

// Which connection each logged-in device is on: at most one (protocol.md 7.2). Thread-safe.
class presence {
 public:
  // Records `c` for `d`; returns the connection it replaces, if any (to be closed with 4003).
  std::shared_ptr<connection> bind(device_ref d, const std::shared_ptr<connection>& c);
  // Forgets `d` if `c` is still its connection.
  void unbind(device_ref d, const connection* c);
  [[nodiscard]] std::shared_ptr<connection> find(device_ref d) const;
  // Every live connection of one user's devices.
  [[nodiscard]] std::vector<std::shared_ptr<connection>> of_user(std::int64_t user) const;
  [[nodiscard]] std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::map<device_ref, std::weak_ptr<connection>> online_;
};

}  // namespace confidant::service
