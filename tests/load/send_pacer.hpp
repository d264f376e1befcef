#pragma once

// When a client sends: as fast as a window of outstanding sends allows, or at an offered rate
// (one send every `interval` per client, latency counted from the intended time so a stalled
// server cannot hide its queueing: no coordinated omission), never more than `window` waiting
// for their answer. Shared by the Confidant, relay and XMPP (Prosody) clients.

#include "tests/load/metrics.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <deque>
#include <functional>

namespace confidant::load {

struct send_policy {
  unsigned window = 16;
  std::chrono::nanoseconds interval{0};  // 0: as fast as the window allows
};

class send_pacer {
 public:
  // `issue` sends one measured message stamped with its intended time (ns, steady clock).
  send_pacer(boost::asio::io_context& ioc, counters& c, send_policy p, std::function<void(std::int64_t)> issue);

  // Starts sending (the first tick at `offset` into the interval, to spread the clients).
  void start(std::chrono::nanoseconds offset);
  // One measured send was answered (ok or error): frees a window slot.
  void answered();
  [[nodiscard]] unsigned outstanding() const noexcept { return outstanding_; }

 private:
  void tick();
  void pump();

  boost::asio::steady_timer timer_;
  counters& c_;
  send_policy p_;
  std::function<void(std::int64_t)> issue_;
  std::deque<std::int64_t> due_;
  std::int64_t next_ns_ = 0;
  unsigned outstanding_ = 0;
};

}  // namespace confidant::load
