#include "http/request_budget.h"

namespace leadline::http {

RollingHourBudget::RollingHourBudget(std::uint32_t requests_per_hour, common::Clock& clock)
    : requests_per_hour_(requests_per_hour), clock_(clock) {}

common::Result<BudgetAnswer> RollingHourBudget::Take() {
  constexpr auto kHour = std::chrono::hours(1);
  if (requests_per_hour_ == 0) {
    return common::Status::InvalidArgument("a request budget of 0 requests an hour allows none");
  }
  std::lock_guard lock(mutex_);
  const auto now = clock_.Now();
  while (!sent_.empty() && now - sent_.front() >= kHour) sent_.pop_front();
  if (sent_.size() < requests_per_hour_) {
    sent_.push_back(now);
    return BudgetAnswer{};
  }
  return BudgetAnswer{
      std::chrono::duration_cast<std::chrono::milliseconds>(sent_.front() + kHour - now) +
          std::chrono::milliseconds(1),
      "request budget of " + std::to_string(requests_per_hour_) + "/hour spent"};
}

}  // namespace leadline::http
