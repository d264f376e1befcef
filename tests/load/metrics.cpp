#include "tests/load/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace confidant::load {

latency_summary summarise(std::vector<std::uint32_t> s) {
  latency_summary out;
  out.count = s.size();
  if (s.empty()) return out;
  std::sort(s.begin(), s.end());
  auto at = [&](double q) {
    auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(s.size())));
    rank = std::clamp<std::size_t>(rank, 1, s.size());
    return static_cast<double>(s[rank - 1]) / 1000.0;
  };
  out.p50_ms = at(0.50);
  out.p99_ms = at(0.99);
  out.p999_ms = at(0.999);
  out.max_ms = static_cast<double>(s.back()) / 1000.0;
  const double sum = std::accumulate(s.begin(), s.end(), 0.0);
  out.mean_ms = sum / static_cast<double>(s.size()) / 1000.0;
  return out;
}

void recorder::latency(std::vector<std::uint32_t>& into, std::int64_t sent_ns, std::int64_t now) {
  const auto us = std::max<std::int64_t>(0, (now - sent_ns) / 1000);
  into.push_back(static_cast<std::uint32_t>(std::min<std::int64_t>(us, std::numeric_limits<std::uint32_t>::max())));
}

void recorder::error(std::string_view code) {
  auto it = errors.find(code);
  if (it == errors.end()) {
    errors.emplace(std::string{code}, 1);
  } else {
    ++it->second;
  }
}

merged merge(std::vector<recorder>& recorders) {
  std::vector<std::uint32_t> a, d;
  merged m;
  for (auto& r : recorders) {
    a.insert(a.end(), r.accept_us.begin(), r.accept_us.end());
    d.insert(d.end(), r.deliver_us.begin(), r.deliver_us.end());
    for (const auto& [k, v] : r.errors) m.errors[k] += v;
  }
  m.accept = summarise(std::move(a));
  m.deliver = summarise(std::move(d));
  return m;
}

}  // namespace confidant::load
