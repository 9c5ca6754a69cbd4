#include "ingest/pushed_incidents.h"

#include "engine/incident_selection.h"

namespace leadline::ingest {
namespace {

using common::Result;
using common::Status;

// Whether `link` names at least one of `repositories`, and `scope` may write all it names.
bool MayWriteLink(const std::string& link, const std::vector<model::Repository>& repositories,
                  const WriteScope& scope) {
  bool named = false;
  for (const model::Repository& repo : repositories) {
    if (!engine::NamesRepository(link, repo)) continue;
    if (!scope.MayWrite(repo.id)) return false;
    named = true;
  }
  return named;
}

// Whether `scope` may write `incident` as sent, and change what is stored under its key.
Status CheckIncident(store::Store& store, const model::Incident& incident,
                     const std::vector<model::Repository>& repositories, const WriteScope& scope) {
  if (incident.repository.empty()) {
    if (!scope.Everything()) {
      return Status::PermissionDenied(
          "a token scoped to projects must name the incident's repository (incident '" +
          incident.id + "')");
    }
  } else if (!MayWriteLink(incident.repository, repositories, scope)) {
    return Status::NotFound("no repository '" + incident.repository + "'");
  }
  if (scope.Everything()) return Status::Ok();
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<model::Incident> stored,
                            store.incidents().FindIncident(incident.source, incident.id));
  // Worded as if there were none: what is outside the scope stays unseen.
  if (stored &&
      (stored->repository.empty() || !MayWriteLink(stored->repository, repositories, scope))) {
    return Status::NotFound("no incident '" + incident.id + "' in the token's projects");
  }
  return Status::Ok();
}

}  // namespace

Result<IncidentPush> StorePushedIncidents(store::Store& store,
                                          const std::vector<model::Incident>& incidents,
                                          const WriteScope& scope) {
  LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store.Begin());
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repositories,
                            store.repositories().LoadConnectedRepositories());
  for (const model::Incident& incident : incidents) {
    LEADLINE_RETURN_IF_ERROR(CheckIncident(store, incident, repositories, scope));
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t changed,
                            store.incidents().UpsertIncidents(incidents));
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  return IncidentPush{incidents.size(), static_cast<std::size_t>(changed)};
}

}  // namespace leadline::ingest
