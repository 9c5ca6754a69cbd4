#include "http/retrying_http_client.h"

#include <algorithm>
#include <charconv>

#include "common/time.h"

namespace leadline::http {
namespace {

using std::chrono::milliseconds;

bool IsRetryableStatus(int status) {
  return status == 429 || status == 502 || status == 503 || status == 504 || status == 500;
}

std::optional<std::int64_t> ParseInteger(const std::string& text) {
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<milliseconds> ServerRequestedWait(const HttpResponse& response,
                                                std::int64_t now_unix) {
  if (auto retry_after = response.Header("Retry-After")) {
    if (auto seconds = ParseInteger(*retry_after); seconds && *seconds >= 0) {
      return milliseconds(*seconds * 1000);
    }
  }
  if (auto reset = response.Header("X-RateLimit-Reset")) {
    if (auto at = ParseInteger(*reset); at && *at > now_unix) {
      return milliseconds((*at - now_unix) * 1000);
    }
  }
  // GitLab's RateLimit-Reset is a Unix time; the IETF draft's is seconds from now.
  if (auto reset = response.Header("RateLimit-Reset")) {
    if (auto value = ParseInteger(*reset); value && *value >= 0) {
      constexpr std::int64_t kSurelyUnixTime = 1'000'000'000;
      if (*value < kSurelyUnixTime) return milliseconds(*value * 1000);
      if (*value > now_unix) return milliseconds((*value - now_unix) * 1000);
    }
  }
  return std::nullopt;
}

RetryingHttpClient::RetryingHttpClient(HttpClient& inner, RetryPolicy policy,
                                       std::uint32_t requests_per_hour, common::Clock& clock,
                                       std::function<void(const std::string&)> on_wait)
    : RetryingHttpClient(inner, policy,
                         requests_per_hour == 0
                             ? nullptr
                             : std::make_unique<RollingHourBudget>(requests_per_hour, clock),
                         clock, std::move(on_wait)) {}

RetryingHttpClient::RetryingHttpClient(HttpClient& inner, RetryPolicy policy,
                                       std::unique_ptr<RequestBudget> budget, common::Clock& clock,
                                       std::function<void(const std::string&)> on_wait)
    : inner_(inner),
      policy_(policy),
      budget_(std::move(budget)),
      clock_(clock),
      on_wait_(std::move(on_wait)) {}

RequestCounts RetryingHttpClient::counts() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

milliseconds RetryingHttpClient::BackoffCeiling(int retry) const {
  const int doublings = std::clamp(retry - 1, 0, 30);
  const auto ceiling = policy_.base_delay * (std::int64_t{1} << doublings);
  return std::min<milliseconds>(ceiling, policy_.max_delay);
}

milliseconds RetryingHttpClient::Jittered(milliseconds ceiling) {
  // "Full jitter": uniform in [ceiling/2, ceiling], so that many clients do not retry in step.
  std::lock_guard lock(mutex_);
  const auto half = ceiling.count() / 2;
  return milliseconds(half +
                      static_cast<std::int64_t>(
                          random_() % static_cast<std::uint64_t>(ceiling.count() - half + 1)));
}

void RetryingHttpClient::Wait(milliseconds duration, const std::string& why) {
  if (duration <= milliseconds(0)) return;
  if (on_wait_) on_wait_(why);
  {
    std::lock_guard lock(mutex_);
    counts_.waited += duration;
  }
  clock_.SleepFor(duration);
}

common::Status RetryingHttpClient::TakeBudget() {
  while (budget_ != nullptr) {
    LEADLINE_ASSIGN_OR_RETURN(const BudgetAnswer answer, budget_->Take());
    if (answer.wait <= milliseconds(0)) break;
    if (answer.wait > policy_.max_wait) {
      return common::Status::Unavailable(answer.why + " for " +
                                         std::to_string(answer.wait.count() / 1000) +
                                         " s more, longer than the longest accepted wait");
    }
    Wait(answer.wait,
         answer.why + ": waiting " + std::to_string(answer.wait.count() / 1000) + " s");
  }
  std::lock_guard lock(mutex_);
  ++counts_.requests;
  return common::Status::Ok();
}

common::Result<HttpResponse> RetryingHttpClient::Send(const HttpRequest& request) {
  common::Result<HttpResponse> last = common::Status::Internal("no attempt was made");
  for (int attempt = 1; attempt <= policy_.max_attempts; ++attempt) {
    LEADLINE_RETURN_IF_ERROR(TakeBudget());
    last = inner_.Send(request);
    std::optional<milliseconds> requested;
    std::string why;
    {
      std::lock_guard lock(mutex_);
      if (!last.ok()) {
        if (last.status().code() != common::StatusCode::kUnavailable) return last;
        ++counts_.transport_errors;
        why = last.status().message();
      } else if (IsRetryableStatus(last->status)) {
        ++(last->status == 429 ? counts_.rate_limited : counts_.server_errors);
        why = "HTTP " + std::to_string(last->status) + " from " + RedactUrl(request.url);
      } else {
        return last;
      }
      if (attempt == policy_.max_attempts) break;
      ++counts_.retries;
    }
    if (last.ok()) requested = ServerRequestedWait(*last, common::NowUnixSeconds());
    const milliseconds backoff = Jittered(BackoffCeiling(attempt));
    const milliseconds wait = std::max(backoff, requested.value_or(milliseconds(0)));
    if (wait > policy_.max_wait) {
      return common::Status::Unavailable(why + "; the server asks to wait " +
                                         std::to_string(wait.count() / 1000) +
                                         " s, longer than the longest accepted wait");
    }
    Wait(wait, why + ": retrying in " + std::to_string(wait.count()) + " ms");
  }
  if (!last.ok()) {
    return last.status().WithContext("gave up after " + std::to_string(policy_.max_attempts) +
                                     " attempts");
  }
  return last;  // the last 429/5xx answer: the caller explains it
}

}  // namespace leadline::http
