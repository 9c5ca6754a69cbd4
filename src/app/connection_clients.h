// The HTTP clients of a process's connections: one RetryingHttpClient per connection over one
// transport, each with its connection's request budget (its connector's default: Bitbucket
// Cloud 1,000 an hour, GitLab.com 2,000 a minute, none for self-managed servers), so that one
// connection's backfill never spends another's allowance, and every sync of a connection in the
// process shares its budget. The budgets are counted in this process, or, made by
// SharedThroughStore, in the store, shared with every other process on it
// (shared_request_budgets.h): what `serve` and `sync` use, so that two servers, or a server and a
// sync, never spend one allowance twice. Thread-safe; the clients live as long as this object.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "app/shared_request_budgets.h"
#include "common/clock.h"
#include "common/time.h"
#include "config/paths.h"
#include "http/retrying_http_client.h"
#include "model/connection.h"

namespace leadline::app {

class ConnectionClients {
 public:
  // Budgets counted in this process. `budgets` false: no budgets at all (the demo, whose upstream
  // is a local double).
  explicit ConnectionClients(http::HttpClient& transport, http::RetryPolicy policy = {},
                             common::Clock& clock = common::SystemClock(),
                             std::function<void(const std::string& why)> on_wait = {},
                             bool budgets = true);

  // Budgets shared with every process on the store `paths.store`, counted through a store
  // connection of this object's own. `unix_now` is the time the store counts in.
  static common::Result<std::unique_ptr<ConnectionClients>> SharedThroughStore(
      http::HttpClient& transport, const config::Paths& paths, http::RetryPolicy policy = {},
      common::Clock& clock = common::SystemClock(),
      std::function<void(const std::string& why)> on_wait = {},
      std::function<common::UnixSeconds()> unix_now = common::NowUnixSeconds);

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
  std::unique_ptr<SharedRequestBudgets> shared_;  // null: budgets counted in this process
  mutable std::mutex mutex_;
  // By connection id; their budgets draw on shared_, declared before them.
  std::map<std::int64_t, std::unique_ptr<http::RetryingHttpClient>> clients_;
};

}  // namespace leadline::app
