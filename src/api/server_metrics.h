// The server's own figures in the Prometheus text format (`GET /metrics`): requests by route and
// status, request time, refusals by reason, webhook deliveries by outcome, pull-request feedback
// posts by outcome, and gauges other parts set (inbox depth, sync lag). Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace leadline::api {

class ServerMetrics {
 public:
  void CountRequest(const std::string& route, int status, double elapsed_ms);
  // `reason` is a word the code chose (api/refusal_counts.h); anything else, which would make
  // the label set unbounded or break the format, is counted as "other".
  void CountRefusal(const std::string& reason);
  void CountDelivery(const std::string& outcome);  // accepted, duplicate, rejected, ignored
  // posted, skipped, failed, refused, dropped (app/feedback_worker.h)
  void CountFeedbackPosts(const std::string& outcome, long long count);
  void SetGauge(const std::string& name, const std::string& help, double value);
  std::string Render() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, long long> requests_;
  double request_seconds_sum_ = 0;
  long long request_count_ = 0;
  std::map<std::string, long long> refusals_;
  std::map<std::string, long long> deliveries_;
  std::map<std::string, long long> feedback_posts_;
  std::map<std::string, std::pair<std::string, double>> gauges_;  // name -> (help, value)
};

}  // namespace leadline::api
