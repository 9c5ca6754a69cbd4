#include "app/served_connection_admin.h"

#include "app/connections.h"
#include "app/incident_connections.h"
#include "app/repositories.h"
#include "app/webhooks.h"
#include "http/retrying_http_client.h"

namespace leadline::app {
namespace {

api::ServiceMapping MappingOf(ListedService listed) {
  return {std::move(listed.connection), std::move(listed.service), listed.incidents,
          listed.configured};
}

}  // namespace

common::Result<api::CheckedConnection> ServedConnectionAdmin::Connect(
    const api::NewConnection& connection) {
  LEADLINE_ASSIGN_OR_RETURN(const sources::ConnectionSettings settings,
                            sources::SettingsFrom(connection.request, sources::kJsonNames));
  http::RetryingHttpClient client(transport_, http::InteractiveRetryPolicy(), 0);
  api::CheckedConnection out;
  if (model::IsIncidentTool(settings.provider)) {
    LEADLINE_ASSIGN_OR_RETURN(IncidentConnectOutcome connected,
                              ConnectIncidentTool(paths_, settings, connection.counts, client,
                                                  connection.webhook_secret));
    out.connection = std::move(connected.connected.connection);
    out.described = DescribeCheck(settings.provider, connected.connected.check);
    out.services = connected.services;
    out.counts = std::move(connected.counts);
  } else {
    if (!connection.counts.empty() || !connection.webhook_secret.empty()) {
      return common::Status::InvalidArgument(
          "'counts' and 'webhook_secret' are for incident tools; a code host's webhook secret is "
          "made by `leadline webhooks secret`");
    }
    LEADLINE_ASSIGN_OR_RETURN(ConnectOutcome connected, app::Connect(paths_, settings, client));
    out.connection = std::move(connected.connection);
    out.described = DescribeCheck(settings.provider, connected.check);
  }
  return out;
}

common::Result<std::vector<api::CheckedConnection>> ServedConnectionAdmin::CheckAll() {
  http::RetryingHttpClient client(transport_, http::InteractiveRetryPolicy(), 0);
  LEADLINE_ASSIGN_OR_RETURN(std::vector<CheckOutcome> outcomes, app::CheckAll(paths_, client));
  std::vector<api::CheckedConnection> out;
  for (CheckOutcome& outcome : outcomes) {
    api::CheckedConnection checked;
    checked.status = outcome.status;
    if (outcome.check)
      checked.described = DescribeCheck(outcome.connection.provider, *outcome.check);
    checked.warning = std::move(outcome.warning);
    checked.connection = std::move(outcome.connection);
    out.push_back(std::move(checked));
  }
  return out;
}

common::Result<std::vector<model::Repository>> ServedConnectionAdmin::Repositories(bool refresh) {
  if (!refresh) return StoredRepositories(paths_);
  http::RetryingHttpClient client(transport_, http::InteractiveRetryPolicy(), 0);
  return RefreshRepositories(paths_, client);
}

common::Result<std::vector<api::SelectionChange>> ServedConnectionAdmin::Select(
    const std::vector<std::string>& patterns, bool selected) {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> changed,
                            SetSelection(paths_, patterns, selected));
  std::vector<api::SelectionChange> out;
  for (const model::Repository& repository : changed) {
    out.push_back({repository, common::Status::Ok(), ""});
  }
  if (changed.empty() || public_url_.empty()) return out;
  // The selection stands whatever becomes of the webhooks: each change says how it went.
  http::RetryingHttpClient client(transport_, http::InteractiveRetryPolicy(), 0);
  auto hooks = UpdateHooks(paths_, changed, selected, public_url_, client);
  for (api::SelectionChange& change : out) {
    if (!hooks.ok()) {
      change.webhook = hooks.status();
      continue;
    }
    for (const HookChange& hook : *hooks) {
      if (hook.location != change.repository.location) continue;
      change.webhook = hook.status;
      change.hook_url = hook.url;
    }
  }
  return out;
}

common::Result<std::vector<api::ServiceMapping>> ServedConnectionAdmin::Services(bool refresh) {
  http::RetryingHttpClient client(transport_, http::InteractiveRetryPolicy(), 0);
  LEADLINE_ASSIGN_OR_RETURN(std::vector<ListedService> listed,
                            ListServices(paths_, client, refresh, configured_));
  std::vector<api::ServiceMapping> out;
  for (ListedService& service : listed) out.push_back(MappingOf(std::move(service)));
  return out;
}

common::Result<api::ServiceMapping> ServedConnectionAdmin::MapService(
    const std::string& service, const std::string& repositories) {
  LEADLINE_ASSIGN_OR_RETURN(ListedService mapped,
                            app::MapService(paths_, service, repositories, configured_));
  return MappingOf(std::move(mapped));
}

}  // namespace leadline::app
