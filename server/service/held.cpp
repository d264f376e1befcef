#include "server/service/held.hpp"

#include "server/service/delivery.hpp"
#include "server/store/mailbox.hpp"

#include <spdlog/spdlog.h>

namespace confidant::service {

std::optional<rules::time_point> release_held(backend& b, rules::time_point since, rules::time_point now) {
  std::vector<std::pair<std::int64_t, std::int64_t>> due;
  std::optional<std::int64_t> next;
  auto read = b.db.read([&](store::database& db) -> store::result<void> {
    auto d = store::held_due(db, since.time_since_epoch().count(), now.time_since_epoch().count());
    if (!d) return d.error();
    due = std::move(*d);
    auto n = store::next_held(db, now.time_since_epoch().count());
    if (!n) return n.error();
    next = *n;
    return {};
  });
  if (!read) {
    spdlog::error("event=held_release_failed error=\"{}\"", read.error().message());
    return std::nullopt;
  }
  if (!due.empty()) spdlog::info("event=held_released devices={}", due.size());
  for (const auto& [user, device] : due) wake(b, {user, device});
  if (!next) return std::nullopt;
  return rules::time_point{std::chrono::milliseconds{*next}};
}

}  // namespace confidant::service
