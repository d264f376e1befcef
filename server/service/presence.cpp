#include "server/service/presence.hpp"

namespace confidant::service {

std::shared_ptr<connection> presence::bind(device_ref d, const std::shared_ptr<connection>& c) {
  std::lock_guard lock{mutex_};
  auto& slot = online_[d];
  auto old = slot.lock();
  slot = c;
  return old == c ? nullptr : old;
}

void presence::unbind(device_ref d, const connection* c) {
  std::lock_guard lock{mutex_};
  const auto it = online_.find(d);
  if (it == online_.end()) return;
  const auto current = it->second.lock();
  if (!current || current.get() == c) online_.erase(it);
}

std::shared_ptr<connection> presence::find(device_ref d) const {
  std::lock_guard lock{mutex_};
  const auto it = online_.find(d);
  return it == online_.end() ? nullptr : it->second.lock();
}

std::vector<std::shared_ptr<connection>> presence::of_user(std::int64_t user) const {
  std::lock_guard lock{mutex_};
  std::vector<std::shared_ptr<connection>> out;
  for (auto it = online_.lower_bound({user, 0}); it != online_.end() && it->first.user == user; ++it)
    if (auto c = it->second.lock()) out.push_back(std::move(c));
  return out;
}

std::size_t presence::size() const {
  std::lock_guard lock{mutex_};
  return online_.size();
}

}  // namespace confidant::service
