// The HTTP clients of a process's connections: one RetryingHttpClient per connection over one
// transport, each with its connection's request budget (its connector's default: Bitbucket
// Cloud 1,000 an hour, GitLab.com 2,000 a minute, none for self-managed servers), so that one
// connection's backfill never spends another's allowance, and every sync of a connection in the
// process shares its budget. Thread-safe; the clients live as long as this object.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/clock.h"
#include "http/retrying_http_client.h"
#include "model/connection.h"

namespace leadline::app {

class ConnectionClients {
 public:
  // `budgets` false: no budgets at all (the demo, whose upstream is a local double).
  explicit ConnectionClients(http::HttpClient& transport, http::RetryPolicy policy = {},
                             common::Clock& clock = common::SystemClock(),
                             std::function<void(const std::string& why)> on_wait = {},
                             bool budgets = true);

  // The client of `connection`, made on first use with `requests_per_hour` (0: no budget).
  http::HttpClient& For(const model::Connection& connection, std::uint32_t requests_per_hour);

  // Every connection's requests so far, summed.
  http::RequestCounts Counts() const;

 private:
  http::HttpClient& transport_;
  http::RetryPolicy policy_;
  common::Clock& clock_;
  std::function<void(const std::string&)> on_wait_;
  bool budgets_;
  mutable std::mutex mutex_;
  std::map<std::int64_t, std::unique_ptr<http::RetryingHttpClient>> clients_;  // by connection id
};

}  // namespace leadline::app
