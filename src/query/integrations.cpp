#include "query/integrations.h"

#include <algorithm>

namespace leadline::query {

common::Result<IntegrationStatus> LoadIntegrationStatus(store::Store& store,
                                                        const auth::Principal& principal) {
  IntegrationStatus status;
  status.every_project = !principal.repositories.has_value();
  LEADLINE_ASSIGN_OR_RETURN(std::vector<model::Connection> connections, store.LoadConnections());
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repositories,
                            store.LoadConnectedRepositories());
  for (model::Connection& connection : connections) {
    std::size_t seen = 0;
    ConnectionStatus item;
    for (const model::Repository& repo : repositories) {
      if (repo.connection_id != connection.id || !principal.MaySee(repo.id)) continue;
      ++seen;
      if (!repo.selected) continue;
      ++item.selected_repositories;
      if (repo.synced_at)
        item.last_sync_at = std::max(item.last_sync_at.value_or(0), *repo.synced_at);
    }
    // A caller limited to some projects learns nothing of a connection it sees none of.
    if (!status.every_project && seen == 0) continue;
    item.connected = connection.check_outcome.starts_with("ok");
    if (status.every_project) {
      LEADLINE_ASSIGN_OR_RETURN(item.last_delivery, store.LastDelivery(connection.id));
    }
    item.connection = std::move(connection);
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
