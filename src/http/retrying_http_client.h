// RetryingHttpClient: wraps another HttpClient with what every upstream API needs:
//  - retries with exponential backoff and full jitter on 429, 5xx and transport failures,
//    waiting at least as long as `Retry-After`, `X-RateLimit-Reset` or `RateLimit-Reset` ask
//    when they are present;
//  - a request budget (request_budget.h; Bitbucket Cloud allows 1,000 requests an hour on small
//    workspaces), asked before every attempt: when it is spent, the request waits as long as the
//    budget says, in this process (a rolling hour, by default) or shared by every process on the
//    store;
//  - request counts, for the figures and the end-of-sync summary.
// Thread-safe when the wrapped client is.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <random>

#include "common/clock.h"
#include "http/http_client.h"
#include "http/request_budget.h"

namespace leadline::http {

struct RetryPolicy {
  int max_attempts = 6;  // the first try included
  std::chrono::milliseconds base_delay{1'000};
  std::chrono::milliseconds max_delay{60'000};
  // Longest single wait accepted from Retry-After or the budget; beyond it the request fails.
  std::chrono::milliseconds max_wait{15 * 60'000};
};

// For calls a person waits on (connecting, checking): fewer and shorter retries than a backfill.
inline RetryPolicy InteractiveRetryPolicy() {
  RetryPolicy policy;
  policy.max_attempts = 3;
  policy.base_delay = std::chrono::milliseconds(500);
  policy.max_wait = std::chrono::seconds(30);
  return policy;
}

struct RequestCounts {
  std::uint64_t requests = 0;  // every attempt sent
  std::uint64_t retries = 0;
  std::uint64_t rate_limited = 0;   // 429 answers
  std::uint64_t server_errors = 0;  // 5xx answers
  std::uint64_t transport_errors = 0;
  std::chrono::milliseconds waited{0};
};

class RetryingHttpClient final : public HttpClient {
 public:
  // `requests_per_hour` 0 means no budget. `on_wait` (may be empty) is told about each wait, so
  // a progress display can say why nothing moves.
  RetryingHttpClient(HttpClient& inner, RetryPolicy policy, std::uint32_t requests_per_hour,
                     common::Clock& clock = common::SystemClock(),
                     std::function<void(const std::string& why)> on_wait = {});
  // With `budget` (null: none), which the client owns.
  RetryingHttpClient(HttpClient& inner, RetryPolicy policy, std::unique_ptr<RequestBudget> budget,
                     common::Clock& clock = common::SystemClock(),
                     std::function<void(const std::string& why)> on_wait = {});

  common::Result<HttpResponse> Send(const HttpRequest& request) override;
  RequestCounts counts() const;

  // The backoff before retry number `retry` (1-based), before jitter: base * 2^(retry-1), capped.
  std::chrono::milliseconds BackoffCeiling(int retry) const;

 private:
  // Waits until the budget allows one more request and records it.
  common::Status TakeBudget();
  void Wait(std::chrono::milliseconds duration, const std::string& why);
  std::chrono::milliseconds Jittered(std::chrono::milliseconds ceiling);

  HttpClient& inner_;
  RetryPolicy policy_;
  const std::unique_ptr<RequestBudget> budget_;
  common::Clock& clock_;
  std::function<void(const std::string&)> on_wait_;
  mutable std::mutex mutex_;
  RequestCounts counts_;
  std::mt19937_64 random_{std::random_device{}()};
};

// Seconds to wait from a `Retry-After` (delta seconds), `X-RateLimit-Reset` (Unix time) or
// `RateLimit-Reset` (GitLab: Unix time; the IETF draft: delta seconds) header, given the current
// Unix time; empty when none says.
std::optional<std::chrono::milliseconds> ServerRequestedWait(const HttpResponse& response,
                                                             std::int64_t now_unix);

}  // namespace leadline::http
