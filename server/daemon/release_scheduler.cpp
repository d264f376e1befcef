#include "server/daemon/release_scheduler.hpp"

#include "server/service/held.hpp"

#include <boost/asio/dispatch.hpp>

#include <algorithm>

namespace confidant::daemon {
namespace {
constexpr auto longest_wait = std::chrono::milliseconds{30'000};
}

release_scheduler::release_scheduler(boost::asio::io_context& ioc, service::backend& b)
    : strand_(boost::asio::make_strand(ioc)), timer_(strand_), backend_(b) {}

void release_scheduler::start() {
  boost::asio::dispatch(strand_, [self = shared_from_this()] { self->run(); });
}

void release_scheduler::stop() {
  boost::asio::dispatch(strand_, [self = shared_from_this()] {
    self->stopped_ = true;
    self->timer_.cancel();
  });
}

void release_scheduler::held_until(rules::time_point t) {
  boost::asio::dispatch(strand_, [self = shared_from_this(), t] {
    if (!self->stopped_ && t < self->due_) self->arm(t);
  });
}

void release_scheduler::run() {
  if (stopped_) return;
  const auto now = backend_.clock.now();
  const auto next = service::release_held(backend_, since_, now);
  since_ = now;
  arm(std::min(next.value_or(rules::time_point::max()), now + longest_wait));
}

void release_scheduler::arm(rules::time_point at) {
  due_ = at;
  const auto wait = std::max(std::chrono::milliseconds{1}, at - backend_.clock.now());
  timer_.expires_after(wait);  // cancels an earlier wait: its handler sees operation_aborted
  timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec) self->run();
  });
}

}  // namespace confidant::daemon
