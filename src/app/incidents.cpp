#include "app/incidents.h"

#include <algorithm>
#include <set>

#include "common/file.h"
#include "sources/push/incident_json.h"

namespace leadline::app {

using common::Result;
using common::Status;

Result<IncidentImport> ImportIncidents(const config::Paths& paths, const std::string& path) {
  LEADLINE_ASSIGN_OR_RETURN(const std::string text, common::ReadTextFile(path, "incidents file"));
  auto incidents = sources::ParseIncidents(text, "import", sources::kNoItemLimit);
  if (!incidents.ok()) {
    return Status::InvalidArgument("incidents file '" + path + "' has mistakes; nothing was " +
                                   "imported:\n" + incidents.status().message());
  }
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store->Begin());
  IncidentImport out;
  out.read = incidents->size();
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t changed,
                            store->incidents().UpsertIncidents(*incidents));
  out.changed = static_cast<std::size_t>(changed);
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  return out;
}

Result<std::vector<model::Incident>> StoredIncidents(const config::Paths& paths) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  return store->incidents().LoadIncidents();
}

Result<engine::IncidentSelection> RepositoryIncidents(
    store::Store& store, const model::Repository& repository, const engine::IncidentRules& rules,
    const engine::CommitGraph& graph, const std::vector<model::Deployment>& deployments) {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Incident> incidents,
                            store.incidents().LoadIncidents());
  std::vector<model::IncidentService> services;
  std::vector<model::IncidentConnectionState> connections;
  const bool any_from_tools =
      std::any_of(incidents.begin(), incidents.end(),
                  [](const model::Incident& i) { return i.connection_id != 0; });
  if (any_from_tools) {
    LEADLINE_ASSIGN_OR_RETURN(services, store.incidents().LoadIncidentServices(0));
    engine::ApplyConfiguredServices(rules.configured_services, services);
    std::set<std::int64_t> ids;
    for (const model::Incident& incident : incidents) ids.insert(incident.connection_id);
    ids.erase(0);
    for (const std::int64_t id : ids) {
      LEADLINE_ASSIGN_OR_RETURN(const std::optional<model::IncidentConnectionState> state,
                                store.incidents().LoadIncidentConnection(id));
      if (state) connections.push_back(*state);
    }
  }
  return engine::SelectAllIncidents(incidents, repository, rules, services, connections, graph,
                                    deployments);
}

}  // namespace leadline::app
