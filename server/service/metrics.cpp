#include "server/service/metrics.hpp"

#include <fmt/format.h>

#include <iterator>
#include <utility>

namespace confidant::service {
namespace {

template <class... Args>
void append(std::string& out, fmt::format_string<Args...> format, Args&&... args) {
  fmt::format_to(std::back_inserter(out), format, std::forward<Args>(args)...);
}

}  // namespace

metrics::metrics() = default;

void metrics::connection_opened() noexcept {
  open_.fetch_add(1);
  accepted_.fetch_add(1);
}

void metrics::connection_closed() noexcept { open_.fetch_sub(1); }

void metrics::http_request() noexcept { http_.fetch_add(1); }

void metrics::request(std::string_view type) {
  std::lock_guard lock(requests_mutex_);
  auto it = requests_.find(type);
  if (it == requests_.end()) it = requests_.emplace(std::string{type}, 0).first;
  ++it->second;
}

void metrics::error(wire::errc code) noexcept {
  const auto i = static_cast<int>(code);
  if (i >= 1 && i <= wire::errc_count) errors_[static_cast<std::size_t>(i - 1)].fetch_add(1);
}

void metrics::commit(std::chrono::nanoseconds took, std::size_t batch) noexcept {
  const double seconds = std::chrono::duration<double>(took).count();
  std::size_t b = 0;
  while (b < commit_buckets.size() && seconds > commit_buckets[b]) ++b;
  commit_counts_[b].fetch_add(1);
  commit_sum_ns_.fetch_add(static_cast<std::uint64_t>(took.count()));
  commit_jobs_.fetch_add(batch);
}

std::string metrics::render() const {
  std::string out;

  append(out, "# HELP confidant_connections Open WebSocket connections.\n# TYPE confidant_connections gauge\n");
  append(out, "confidant_connections {}\n", open_.load());
  append(out, "# HELP confidant_connections_total WebSocket connections accepted.\n");
  append(out, "# TYPE confidant_connections_total counter\nconfidant_connections_total {}\n", accepted_.load());
  append(out, "# HELP confidant_http_requests_total Plain HTTP requests served.\n");
  append(out, "# TYPE confidant_http_requests_total counter\nconfidant_http_requests_total {}\n", http_.load());

  append(out, "# HELP confidant_requests_total WebSocket requests by type.\n# TYPE confidant_requests_total counter\n");
  {
    std::lock_guard lock(requests_mutex_);
    for (const auto& [type, n] : requests_) append(out, "confidant_requests_total{{type=\"{}\"}} {}\n", type, n);
  }
  append(out, "# HELP confidant_errors_total Error answers by code.\n# TYPE confidant_errors_total counter\n");
  for (int i = 1; i <= wire::errc_count; ++i) {
    append(out, "confidant_errors_total{{code=\"{}\"}} {}\n", wire::name(static_cast<wire::errc>(i)),
         errors_[static_cast<std::size_t>(i - 1)].load());
  }

  append(out, "# HELP confidant_store_commit_seconds Time to commit one group of writes durably.\n");
  append(out, "# TYPE confidant_store_commit_seconds histogram\n");
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < commit_buckets.size(); ++b) {
    cumulative += commit_counts_[b].load();
    append(out, "confidant_store_commit_seconds_bucket{{le=\"{}\"}} {}\n", commit_buckets[b], cumulative);
  }
  cumulative += commit_counts_[commit_buckets.size()].load();
  append(out, "confidant_store_commit_seconds_bucket{{le=\"+Inf\"}} {}\n", cumulative);
  append(out, "confidant_store_commit_seconds_sum {}\n", static_cast<double>(commit_sum_ns_.load()) / 1e9);
  append(out, "confidant_store_commit_seconds_count {}\n", cumulative);
  append(out, "# HELP confidant_store_committed_jobs_total Writes committed (a commit may hold many).\n");
  append(out, "# TYPE confidant_store_committed_jobs_total counter\nconfidant_store_committed_jobs_total {}\n",
       commit_jobs_.load());
  return out;
}

}  // namespace confidant::service
