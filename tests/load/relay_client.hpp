#pragma once

// A client of the bare relay (tests/bench/ws_relay.cpp): the same pairs, sizes and pacing as
// the Confidant clients, with binary frames and nothing else. Frames:
//   'M' ‖ seq (u64) ‖ intended send time (u64, ns) ‖ padding to the message size  → the peer
//   'A' ‖ seq ‖ intended send time                                                   ← the relay's ack

#include "tests/load/send_pacer.hpp"
#include "tests/load/thread_ctx.hpp"
#include "tests/load/ws_link.hpp"

namespace confidant::load {

class relay_client {
 public:
  relay_client(thread_ctx& t, counters& c, std::size_t message_bytes, send_policy p);
  // Connects as `me`, relaying to `peer`: phase_done once open.
  void connect(link_target target, std::size_t me, std::size_t peer);
  void start_sending(std::chrono::nanoseconds offset) { pacer_.start(offset); }
  void close();
  [[nodiscard]] unsigned outstanding() const noexcept { return pacer_.outstanding(); }

 private:
  void issue(std::int64_t intended_ns);
  void on_frame(std::string_view f);

  thread_ctx& t_;
  counters& c_;
  std::size_t bytes_;
  std::shared_ptr<ws_link> link_;
  send_pacer pacer_;
  std::uint64_t seq_ = 0;
};

}  // namespace confidant::load
