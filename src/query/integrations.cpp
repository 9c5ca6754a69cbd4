#include "query/integrations.h"

#include <fnmatch.h>

#include <algorithm>

#include "sources/registry/registry.h"

namespace leadline::query {
namespace {

// Whether the service's pattern matches a repository the caller may see.
bool MapsOntoVisible(const model::IncidentService& service,
                     const std::vector<model::Repository>& repositories,
                     const auth::Principal& principal) {
  if (service.repos.empty()) return false;
  return std::any_of(repositories.begin(), repositories.end(), [&](const model::Repository& repo) {
    return principal.MaySee(repo.id) &&
           fnmatch(service.repos.c_str(), repo.location.c_str(), 0) == 0;
  });
}

// The incident tool's side of `item`; false when a caller limited to some projects may not see
// the connection (none of its mapped services maps onto a repository it may see).
common::Result<bool> FillIncidentTool(store::Store& store, const auth::Principal& principal,
                                      const engine::ConfiguredServices& configured,
                                      const std::vector<model::Repository>& repositories,
                                      ConnectionStatus& item) {
  const model::Connection& connection = item.connection;
  const bool every_project = !principal.repositories.has_value();
  LEADLINE_ASSIGN_OR_RETURN(std::vector<model::IncidentService> services,
                            store.incidents().LoadIncidentServices(connection.id));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<store::ChangeEventService> sending,
                            store.change_events().LoadChangeEventServices());
  IncidentToolStatus tool;
  for (model::IncidentService& service : services) {
    const std::string* pattern = engine::ConfiguredPattern(configured, service);
    if (pattern) service.repos = *pattern;
    if (!every_project && !MapsOntoVisible(service, repositories, principal)) continue;
    ++tool.services;
    for (const store::ChangeEventService& sends : sending) {
      if (sends.connection_id != connection.id || sends.service_id != service.id) continue;
      if (!tool.change_events) tool.change_events.emplace();
      ChangeEventCounts& counts = *tool.change_events;
      ++counts.services;
      counts.sent += sends.sent;
      counts.pending += sends.queued;
      counts.failed += sends.failed;
    }
    if (service.repos.empty()) continue;
    ++tool.mapped_services;
    if (pattern) ++tool.configured_services;
  }
  if (!every_project && tool.services == 0) return false;

  LEADLINE_ASSIGN_OR_RETURN(const std::optional<model::IncidentConnectionState> state,
                            store.incidents().LoadIncidentConnection(connection.id));
  if (state) {
    tool.counts = state->counts;
    const sources::IncidentConnector* connector =
        sources::FindIncidentConnector(connection.provider);
    if (!state->cursor.empty() && connector) {
      if (connector->InsideWalk(state->cursor)) {
        tool.sync = IncidentSyncState::kInProgress;
      } else if (const auto end = connector->WalkEnd(state->cursor)) {
        tool.sync = IncidentSyncState::kSynced;
        item.last_sync_at = *end;
      }
    }
  }
  item.incident_tool = std::move(tool);
  return true;
}

}  // namespace

const char* IncidentSyncStateName(IncidentSyncState state) {
  switch (state) {
    case IncidentSyncState::kNever:
      return "never";
    case IncidentSyncState::kInProgress:
      return "in_progress";
    case IncidentSyncState::kSynced:
      return "synced";
  }
  return "never";
}

common::Result<IntegrationStatus> LoadIntegrationStatus(
    store::Store& store, const auth::Principal& principal,
    const engine::ConfiguredServices& configured) {
  IntegrationStatus status;
  status.every_project = !principal.repositories.has_value();
  LEADLINE_ASSIGN_OR_RETURN(std::vector<model::Connection> connections,
                            store.connections().LoadConnections());
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repositories,
                            store.repositories().LoadConnectedRepositories());
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<store::FeedbackRepository> feedback,
                            store.feedback().LoadFeedbackRepositories());
  for (model::Connection& connection : connections) {
    ConnectionStatus item;
    item.connected = connection.check_outcome.starts_with("ok");
    item.connection = std::move(connection);
    if (model::IsIncidentTool(item.connection.provider)) {
      LEADLINE_ASSIGN_OR_RETURN(const bool visible,
                                FillIncidentTool(store, principal, configured, repositories, item));
      if (!visible) continue;
    } else {
      std::size_t seen = 0;
      for (const model::Repository& repo : repositories) {
        if (repo.connection_id != item.connection.id || !principal.MaySee(repo.id)) continue;
        ++seen;
        for (const store::FeedbackRepository& refused : feedback) {
          if (refused.repo_id == repo.id && refused.refused_at != 0) {
            item.feedback_refused.push_back(
                {refused.location, refused.refused_at, refused.refused_reason});
          }
        }
        if (!repo.selected) continue;
        ++item.selected_repositories;
        if (repo.synced_at)
          item.last_sync_at = std::max(item.last_sync_at.value_or(0), *repo.synced_at);
      }
      // A caller limited to some projects learns nothing of a connection it sees none of.
      if (!status.every_project && seen == 0) continue;
    }
    if (status.every_project) {
      LEADLINE_ASSIGN_OR_RETURN(item.last_delivery,
                                store.webhook_inbox().LastDelivery(item.connection.id));
    }
    status.connections.push_back(std::move(item));
  }
  return status;
}

DeliveryOutcome OutcomeOf(const model::WebhookDelivery& delivery) {
  DeliveryOutcome out{delivery.applied_at ? delivery.outcome : "pending", ""};
  if (const std::size_t colon = out.outcome.find(": "); colon != std::string::npos) {
    out.detail = out.outcome.substr(colon + 2);
    out.outcome.resize(colon);
  }
  return out;
}

}  // namespace leadline::query
