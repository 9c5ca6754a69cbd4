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

TEST(ServerMetricsTest, CountsFeedbackPostsByOutcome) {
  ServerMetrics metrics;
  metrics.CountFeedbackPosts("posted", 1);
  metrics.CountFeedbackPosts("posted", 2);
  metrics.CountFeedbackPosts("dropped", 4);
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("# TYPE leadline_feedback_posts_total counter\n"
                      "leadline_feedback_posts_total{outcome=\"dropped\"} 4\n"
                      "leadline_feedback_posts_total{outcome=\"posted\"} 3\n"),
            std::string::npos)
      << text;
}

TEST(ServerMetricsTest, CountsRefusalsByReasonWithABoundedLabelSet) {
  ServerMetrics metrics;
  metrics.CountRefusal("no_token");
  metrics.CountRefusal("no_token");
  metrics.CountRefusal("unknown_path");
  metrics.CountRefusal("bad\"} 1\nfake 2");  // not a word: it must not reach the text as is
  for (int i = 0; i < 100; ++i) {
    metrics.CountRefusal("reason_" + std::string(1, static_cast<char>('a' + i % 26)) +
                         std::string(1, static_cast<char>('a' + i / 26)));
  }
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("# TYPE leadline_http_refusals_total counter\n"), std::string::npos) << text;
  EXPECT_NE(text.find("leadline_http_refusals_total{reason=\"no_token\"} 2\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("leadline_http_refusals_total{reason=\"unknown_path\"} 1\n"),
            std::string::npos);
  EXPECT_EQ(text.find("fake"), std::string::npos) << text;
  std::size_t labels = 0;
  for (auto at = text.find("leadline_http_refusals_total{"); at != std::string::npos;
       at = text.find("leadline_http_refusals_total{", at + 1)) {
    ++labels;
  }
  EXPECT_LE(labels, 33u) << text;  // 32 reasons and "other"
  EXPECT_NE(text.find("leadline_http_refusals_total{reason=\"other\"}"), std::string::npos);
}

}  // namespace
}  // namespace leadline::api
