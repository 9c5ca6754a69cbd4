#include "app/incidents.h"

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
  store::Transaction transaction(*store);
  LEADLINE_RETURN_IF_ERROR(transaction.Begin());
  IncidentImport out;
  out.read = incidents->size();
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t changed, store->UpsertIncidents(*incidents));
  out.changed = static_cast<std::size_t>(changed);
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  return out;
}

Result<std::vector<model::Incident>> StoredIncidents(const config::Paths& paths) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  return store->LoadIncidents();
}

Result<engine::IncidentSelection> RepositoryIncidents(
    store::Store& store, const model::Repository& repository, const engine::IncidentRules& rules,
    const engine::CommitGraph& graph, const std::vector<model::Deployment>& deployments) {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Incident> incidents, store.LoadIncidents());
  return engine::SelectIncidents(incidents, repository, rules, graph, deployments);
}

}  // namespace leadline::app
