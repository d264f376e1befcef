#pragma once

#include "schema/wire/errc.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace confidant::service {

// The server's counters, rendered in the Prometheus text format at /metrics. Labels come from
// closed sets (known request types, wire error codes), never from input, and no metric carries
// content. Thread-safe.
class metrics {
 public:
  // Commit latency buckets, seconds (upper bounds; +Inf is implied).
  static constexpr std::array<double, 12> commit_buckets{0.0005, 0.001, 0.002, 0.005, 0.01, 0.02,
                                                         0.05,   0.1,   0.25,  0.5,   1.0,  2.5};

  metrics();

  void connection_opened() noexcept;
  void connection_closed() noexcept;
  void http_request() noexcept;
  // `type` must come from the dispatcher's table of known types ("unknown" otherwise).
  void request(std::string_view type);
  void error(wire::errc code) noexcept;
  void commit(std::chrono::nanoseconds took, std::size_t batch) noexcept;

  [[nodiscard]] std::string render() const;

  [[nodiscard]] std::int64_t open_connections() const noexcept { return open_.load(); }

 private:
  std::atomic<std::int64_t> open_{0};
  std::atomic<std::uint64_t> accepted_{0};
  std::atomic<std::uint64_t> http_{0};
  std::array<std::atomic<std::uint64_t>, wire::errc_count> errors_{};
  mutable std::mutex requests_mutex_;
  std::map<std::string, std::uint64_t, std::less<>> requests_;
  std::array<std::atomic<std::uint64_t>, commit_buckets.size() + 1> commit_counts_{};
  std::atomic<std::uint64_t> commit_sum_ns_{0};
  std::atomic<std::uint64_t> commit_jobs_{0};
};

}  // namespace confidant::service
