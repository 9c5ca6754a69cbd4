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

http::HttpClient& ConnectionClients::For(const model::Connection& connection,
                                         std::uint32_t requests_per_hour) {
  std::lock_guard lock(mutex_);
  std::unique_ptr<http::RetryingHttpClient>& client = clients_[connection.id];
  if (!client) {
    client = std::make_unique<http::RetryingHttpClient>(
        transport_, policy_, budgets_ ? requests_per_hour : 0, clock_, on_wait_);
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
