#include "server/service/metrics.hpp"

#include <gtest/gtest.h>

namespace confidant::service {
namespace {

using namespace std::chrono_literals;

TEST(Metrics, PrometheusTextWithCumulativeHistogram) {
  metrics m;
  m.connection_opened();
  m.connection_opened();
  m.connection_closed();
  m.request("hello");
  m.commit(300us, 4);
  m.commit(3ms, 1);
  m.commit(10s, 1);
  const auto t = m.render();
  EXPECT_NE(t.find("# TYPE confidant_connections gauge\nconfidant_connections 1\n"), std::string::npos) << t;
  EXPECT_NE(t.find("confidant_connections_total 2\n"), std::string::npos);
  EXPECT_NE(t.find("confidant_requests_total{type=\"hello\"} 1\n"), std::string::npos);
  EXPECT_NE(t.find("confidant_store_commit_seconds_bucket{le=\"0.0005\"} 1\n"), std::string::npos);
  EXPECT_NE(t.find("confidant_store_commit_seconds_bucket{le=\"0.005\"} 2\n"), std::string::npos);
  EXPECT_NE(t.find("confidant_store_commit_seconds_bucket{le=\"2.5\"} 2\n"), std::string::npos);
  EXPECT_NE(t.find("confidant_store_commit_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(t.find("confidant_store_commit_seconds_count 3\n"), std::string::npos);
  EXPECT_NE(t.find("confidant_store_committed_jobs_total 6\n"), std::string::npos);
  // Every code is present from the start, so dashboards see zeros rather than gaps.
  EXPECT_NE(t.find("confidant_errors_total{code=\"internal_error\"} 0\n"), std::string::npos);
}

}  // namespace
}  // namespace confidant::service
