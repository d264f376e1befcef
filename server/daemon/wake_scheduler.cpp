#include "server/daemon/wake_scheduler.hpp"

#include <boost/asio/dispatch.hpp>

#include <algorithm>

namespace confidant::daemon {
namespace {
constexpr auto longest_wait = std::chrono::milliseconds{30'000};
}

wake_scheduler::wake_scheduler(boost::asio::io_context& ioc, const rules::clock& clock, job j)
    : strand_(boost::asio::make_strand(ioc)), timer_(strand_), clock_(clock), job_(std::move(j)) {}

void wake_scheduler::start() {
  boost::asio::dispatch(strand_, [self = shared_from_this()] { self->run(); });
}

void wake_scheduler::stop() {
  boost::asio::dispatch(strand_, [self = shared_from_this()] {
    self->stopped_ = true;
    self->timer_.cancel();
  });
}

void wake_scheduler::due_by(rules::time_point t) {
  boost::asio::dispatch(strand_, [self = shared_from_this(), t] {
    if (!self->stopped_ && t < self->due_) self->arm(t);
  });
}

void wake_scheduler::run() {
  if (stopped_) return;
  const auto now = clock_.now();
  const auto next = job_(since_, now);
  since_ = now;
  arm(std::min(next.value_or(rules::time_point::max()), now + longest_wait));
}

void wake_scheduler::arm(rules::time_point at) {
  due_ = at;
  const auto wait = std::max(std::chrono::milliseconds{1}, at - clock_.now());
  timer_.expires_after(wait);  // cancels an earlier wait: its handler sees operation_aborted
  timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec) self->run();
  });
}

}  // namespace confidant::daemon
