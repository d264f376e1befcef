#include "server/net/registry.hpp"

#include <vector>

namespace confidant::net {

bool registry::join(const std::shared_ptr<session_handle>& s) {
  std::lock_guard lock(mutex_);
  if (closed_) return false;
  sessions_.emplace(s.get(), s);
  return true;
}

void registry::leave(const session_handle* s) {
  std::lock_guard lock(mutex_);
  sessions_.erase(s);
}

void registry::close_all(const boost::beast::websocket::close_reason& reason) {
  std::vector<std::weak_ptr<session_handle>> copy;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    copy.reserve(sessions_.size());
    for (const auto& [_, weak] : sessions_) copy.push_back(weak);
  }
  for (const auto& weak : copy)
    if (auto s = weak.lock()) s->close(reason);
}

std::size_t registry::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace confidant::net
