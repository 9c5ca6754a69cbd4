#include "app/connection_clients.h"

namespace leadline::app {

ConnectionClients::ConnectionClients(http::HttpClient& transport, http::RetryPolicy policy,
                                     common::Clock& clock,
                                     std::function<void(const std::string&)> on_wait, bool budgets)
    : transport_(transport),
      policy_(policy),
      clock_(clock),
      on_wait_(std::move(on_wait)),
      budgets_(budgets) {}

common::Result<std::unique_ptr<ConnectionClients>> ConnectionClients::SharedThroughStore(
    http::HttpClient& transport, const config::Paths& paths, http::RetryPolicy policy,
    common::Clock& clock, std::function<void(const std::string&)> on_wait,
    std::function<common::UnixSeconds()> unix_now) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<SharedRequestBudgets> shared,
                            SharedRequestBudgets::Open(paths.store, clock, std::move(unix_now)));
  auto clients = std::make_unique<ConnectionClients>(transport, policy, clock, std::move(on_wait));
  clients->shared_ = std::move(shared);
  return clients;
}

http::HttpClient& ConnectionClients::For(const model::Connection& connection,
                                         std::uint32_t requests_per_hour) {
  std::lock_guard lock(mutex_);
  std::unique_ptr<http::RetryingHttpClient>& client = clients_[connection.id];
  if (!client) {
    std::unique_ptr<http::RequestBudget> budget;
    if (budgets_ && requests_per_hour > 0) {
      budget = shared_ ? shared_->For(connection.id, requests_per_hour)
                       : std::make_unique<http::RollingHourBudget>(requests_per_hour, clock_);
    }
    client = std::make_unique<http::RetryingHttpClient>(transport_, policy_, std::move(budget),
                                                        clock_, on_wait_);
  }
  return *client;
}

http::RequestCounts ConnectionClients::Counts() const {
  std::lock_guard lock(mutex_);
  http::RequestCounts total;
  for (const auto& [id, client] : clients_) {
    const http::RequestCounts counts = client->counts();
    total.requests += counts.requests;
    total.retries += counts.retries;
    total.rate_limited += counts.rate_limited;
    total.server_errors += counts.server_errors;
    total.transport_errors += counts.transport_errors;
    total.waited += counts.waited;
  }
  return total;
}

}  // namespace leadline::app
