#pragma once

// What the generator counts: shared atomic counters for the phases, and per-thread recorders
// (latency samples, errors by code) merged at the end, so the hot path takes no lock.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::load {

using steady = std::chrono::steady_clock;

[[nodiscard]] inline std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(steady::now().time_since_epoch()).count();
}

struct latency_summary {
  std::size_t count = 0;
  double p50_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0, mean_ms = 0;
};
// Nearest-rank percentiles of samples in microseconds (sorts its argument).
[[nodiscard]] latency_summary summarise(std::vector<std::uint32_t> samples_us);

// One per generator thread: touched only by that thread.
struct recorder {
  std::vector<std::uint32_t> accept_us;   // send -> `ok` (Confidant) / relay ack / XEP-0198 <a/> (Prosody)
  std::vector<std::uint32_t> deliver_us;  // send -> decrypted at the recipient / relayed frame
  std::map<std::string, std::uint64_t, std::less<>> errors;

  void latency(std::vector<std::uint32_t>& into, std::int64_t sent_ns, std::int64_t now);
  void error(std::string_view code);
};

// Shared by every thread and the orchestrator.
struct counters {
  std::atomic<std::uint64_t> sent{0};        // measured sends issued
  std::atomic<std::uint64_t> accepted{0};    // measured sends answered `ok` / acked by the relay or Prosody
  std::atomic<std::uint64_t> delivered{0};   // measured messages decrypted at the recipient
  std::atomic<std::uint64_t> failed{0};      // measured sends answered with an error
  std::atomic<std::uint64_t> acks_sent{0};   // ack requests (Confidant)
  std::atomic<std::uint64_t> events{0};      // every message event received, warm-up too
  std::atomic<std::uint64_t> held{0};        // sends answered `held: true` (outside the contact window)
  std::atomic<std::uint64_t> preloaded{0};   // history sends answered `held: true`
  std::atomic<std::uint64_t> released{0};    // history messages decrypted at their recipient
  std::atomic<std::int64_t> first_release_ns{std::numeric_limits<std::int64_t>::max()};
  std::atomic<std::int64_t> last_release_ns{0};
  std::atomic<bool> measuring{false};        // sends issued now are measured
  std::atomic<bool> stop_sending{false};
  std::atomic<std::int64_t> budget{0};       // measured sends still allowed (the --messages bound)

  // Done / failed for the set-up phases (register, login, warm-up).
  std::atomic<std::uint64_t> phase_done{0};
  std::atomic<std::uint64_t> phase_failed{0};

  void release_seen(std::int64_t ns) {
    for (auto v = first_release_ns.load(); ns < v && !first_release_ns.compare_exchange_weak(v, ns);) {}
    for (auto v = last_release_ns.load(); ns > v && !last_release_ns.compare_exchange_weak(v, ns);) {}
  }
  void new_phase() {
    phase_done = 0;
    phase_failed = 0;
  }
  [[nodiscard]] bool take_budget() { return budget.fetch_sub(1, std::memory_order_relaxed) > 0; }
};

struct merged {
  latency_summary accept, deliver;
  std::map<std::string, std::uint64_t, std::less<>> errors;
};
[[nodiscard]] merged merge(std::vector<recorder>& recorders);

}  // namespace confidant::load
