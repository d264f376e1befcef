#pragma once

#include "server/rules/clock.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <functional>
#include <memory>
#include <optional>

namespace confidant::daemon {

// Runs a job when something becomes due, on one timer: the job says when it is next due; a
// caller can move that earlier (due_by); and it runs at least every 30 s whatever it said. Not a
// poll of rows: each run asks the store one indexed question. The daemon runs four: releasing held
// envelopes when contact windows open, escalating unacknowledged safeguarding flags, sending
// meeting reminders, and moving support cycles on (active, review due).
class wake_scheduler : public std::enable_shared_from_this<wake_scheduler> {
 public:
  // (last run's instant, now) -> the next instant the job is due, if any.
  using job = std::function<std::optional<rules::time_point>(rules::time_point since, rules::time_point now)>;

  wake_scheduler(boost::asio::io_context& ioc, const rules::clock& clock, job j);
  void start();
  // Thread-safe: make sure a run happens at `t`.
  void due_by(rules::time_point t);
  void stop();

 private:
  void run();
  void arm(rules::time_point at);

  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer timer_;
  const rules::clock& clock_;
  job job_;
  rules::time_point since_{};
  rules::time_point due_ = rules::time_point::max();
  bool stopped_ = false;
};

}  // namespace confidant::daemon
