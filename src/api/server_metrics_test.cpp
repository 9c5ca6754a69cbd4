#include "api/server_metrics.h"

#include <gtest/gtest.h>

namespace leadline::api {
namespace {

TEST(ServerMetricsTest, RendersCountersAndGaugesInThePrometheusTextFormat) {
  ServerMetrics metrics;
  metrics.CountRequest("/healthz", 200, 1.5);
  metrics.CountRequest("/healthz", 200, 0.5);
  metrics.CountRequest("unmatched", 404, 1);
  metrics.CountDelivery("accepted");
  metrics.SetGauge("leadline_inbox_depth", "Deliveries waiting to be applied.", 3);
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("leadline_http_requests_total{route=\"/healthz\",status=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("leadline_http_requests_total{route=\"unmatched\",status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("leadline_http_request_seconds_sum 0.003000\n"), std::string::npos);
  EXPECT_NE(text.find("leadline_http_request_seconds_count 3\n"), std::string::npos);
  EXPECT_NE(text.find("leadline_webhook_deliveries_total{outcome=\"accepted\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE leadline_inbox_depth gauge\nleadline_inbox_depth 3.000\n"),
            std::string::npos);
}

}  // namespace
}  // namespace leadline::api
