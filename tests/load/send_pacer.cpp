#include "tests/load/send_pacer.hpp"

namespace confidant::load {

send_pacer::send_pacer(boost::asio::io_context& ioc, counters& c, send_policy p, std::function<void(std::int64_t)> issue)
    : timer_(ioc), c_(c), p_(p), issue_(std::move(issue)) {}

void send_pacer::start(std::chrono::nanoseconds offset) {
  if (p_.interval.count() == 0) return pump();
  next_ns_ = now_ns() + offset.count();
  tick();
}

void send_pacer::tick() {
  if (c_.stop_sending.load(std::memory_order_relaxed)) return;
  const auto now = now_ns();
  while (next_ns_ <= now) {
    due_.push_back(next_ns_);
    next_ns_ += p_.interval.count();
  }
  pump();
  timer_.expires_at(steady::time_point{std::chrono::nanoseconds{next_ns_}});
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) tick();
  });
}

void send_pacer::answered() {
  if (outstanding_ > 0) --outstanding_;
  pump();
}

void send_pacer::pump() {
  const bool paced = p_.interval.count() != 0;
  while (outstanding_ < p_.window && !c_.stop_sending.load(std::memory_order_relaxed)) {
    if (paced && due_.empty()) return;
    if (!c_.take_budget()) {
      c_.stop_sending = true;
      return;
    }
    const auto intended = paced ? due_.front() : now_ns();
    if (paced) due_.pop_front();
    ++outstanding_;
    c_.sent.fetch_add(1, std::memory_order_relaxed);
    issue_(intended);
  }
}

}  // namespace confidant::load
