// RequestBudget: how many requests an upstream connection may still send, asked by
// RetryingHttpClient before each attempt. The allowance itself (Bitbucket Cloud's 1,000 an hour)
// is counted elsewhere: here in memory for one process (RollingHourBudget, the default), or in the
// store for every process on it (app/shared_request_budget.h).
//
// A budget belongs to one connection's client, which owns it. Implementations are thread-safe:
// every thread of a process that syncs the connection asks the same one.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "common/status.h"

namespace leadline::http {

// The answer to one Take().
struct BudgetAnswer {
  // Zero: one request is taken and may be sent now. Otherwise none was taken: ask again after
  // this long.
  std::chrono::milliseconds wait{0};
  std::string why;  // when waiting: why, for the progress display ("request budget of ...")
};

class RequestBudget {
 public:
  virtual ~RequestBudget() = default;
  // Takes one request, or says how long to wait for one. An error means no request may be sent
  // (the client fails the request with it).
  virtual common::Result<BudgetAnswer> Take() = 0;
};

// `requests_per_hour` requests in any rolling hour, counted in this process: the send time of
// each request of the last hour, so that when the budget is spent the next request waits exactly
// until the oldest is an hour old.
class RollingHourBudget final : public RequestBudget {
 public:
  // 0 allows no request at all (Take fails): the client leaves a budget out instead.
  RollingHourBudget(std::uint32_t requests_per_hour, common::Clock& clock);

  common::Result<BudgetAnswer> Take() override;

 private:
  const std::uint32_t requests_per_hour_;
  common::Clock& clock_;
  std::mutex mutex_;
  std::deque<common::Clock::TimePoint> sent_;  // within the last hour, oldest first
};

}  // namespace leadline::http
