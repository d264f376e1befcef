#pragma once

#include "server/service/backend.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <memory>

namespace confidant::daemon {

// Releases held envelopes when contact windows open (DESIGN.md 2): one timer, set for the
// earliest deliver_at the store holds, moved earlier when a send is held until an earlier
// instant, and run at least every 30 s. Not a poll of envelopes: each run is two indexed reads.
class release_scheduler : public std::enable_shared_from_this<release_scheduler> {
 public:
  release_scheduler(boost::asio::io_context& ioc, service::backend& b);
  void start();
  // Thread-safe: make sure a run happens at `t` (a send was just held until then).
  void held_until(rules::time_point t);
  void stop();

 private:
  void run();
  void arm(rules::time_point at);

  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer timer_;
  service::backend& backend_;
  rules::time_point since_{};
  rules::time_point due_ = rules::time_point::max();
  bool stopped_ = false;
};

}  // namespace confidant::daemon
