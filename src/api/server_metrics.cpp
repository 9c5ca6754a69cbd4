#include "api/server_metrics.h"

#include <cstdio>

namespace leadline::api {

void ServerMetrics::CountRequest(const std::string& route, int status, double elapsed_ms) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  request_seconds_sum_ += elapsed_ms / 1000.0;
  ++request_count_;
}

void ServerMetrics::CountRefusal(const std::string& reason) {
  constexpr std::size_t kMaxReasons = 32;
  const bool word = !reason.empty() && reason.size() <= 32 &&
                    reason.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos;
  std::lock_guard lock(mutex_);
  const bool known = refusals_.contains(reason) || refusals_.size() < kMaxReasons;
  ++refusals_[word && known ? reason : "other"];
}

void ServerMetrics::CountDelivery(const std::string& outcome) {
  std::lock_guard lock(mutex_);
  ++deliveries_[outcome];
}

void ServerMetrics::CountFeedbackPosts(const std::string& outcome, long long count) {
  std::lock_guard lock(mutex_);
  feedback_posts_[outcome] += count;
}

void ServerMetrics::SetGauge(const std::string& name, const std::string& help, double value) {
  std::lock_guard lock(mutex_);
  gauges_[name] = {help, value};
}

std::string ServerMetrics::Render() const {
  std::lock_guard lock(mutex_);
  std::string out =
      "# HELP leadline_http_requests_total HTTP requests answered, by route and status.\n"
      "# TYPE leadline_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out += "leadline_http_requests_total{route=\"" + key.first + "\",status=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
  }
  char number[64];
  std::snprintf(number, sizeof(number), "%.6f", request_seconds_sum_);
  out +=
      "# HELP leadline_http_request_seconds Time spent answering HTTP requests.\n"
      "# TYPE leadline_http_request_seconds summary\n"
      "leadline_http_request_seconds_sum " +
      std::string(number) + "\nleadline_http_request_seconds_count " +
      std::to_string(request_count_) + "\n";
  out +=
      "# HELP leadline_http_refusals_total Requests refused, by reason.\n"
      "# TYPE leadline_http_refusals_total counter\n";
  for (const auto& [reason, count] : refusals_) {
    out +=
        "leadline_http_refusals_total{reason=\"" + reason + "\"} " + std::to_string(count) + "\n";
  }
  out +=
      "# HELP leadline_webhook_deliveries_total Webhook deliveries, by outcome.\n"
      "# TYPE leadline_webhook_deliveries_total counter\n";
  for (const auto& [outcome, count] : deliveries_) {
    out += "leadline_webhook_deliveries_total{outcome=\"" + outcome + "\"} " +
           std::to_string(count) + "\n";
  }
  out +=
      "# HELP leadline_feedback_posts_total Pull-request feedback posts, by outcome.\n"
      "# TYPE leadline_feedback_posts_total counter\n";
  for (const auto& [outcome, count] : feedback_posts_) {
    out += "leadline_feedback_posts_total{outcome=\"" + outcome + "\"} " + std::to_string(count) +
           "\n";
  }
  for (const auto& [name, gauge] : gauges_) {
    std::snprintf(number, sizeof(number), "%.3f", gauge.second);
    out += "# HELP " + name + " " + gauge.first + "\n# TYPE " + name + " gauge\n" + name + " " +
           number + "\n";
  }
  return out;
}

}  // namespace leadline::api
