// The composition behind `leadline incidents import|list`, and the incidents each report counts
// against its repository. Incidents are the organisation's: they are stored once, and mapped to
// repositories (by the repository they name, or by service) when metrics are computed.
// Single-threaded; owns what it opens.
#pragma once

#include <string>
#include <vector>

#include "config/paths.h"
#include "engine/incident_selection.h"
#include "model/deployment.h"
#include "model/incident.h"
#include "model/repository.h"
#include "store/store.h"

namespace leadline::app {

struct IncidentImport {
  std::size_t read = 0;     // incidents in the file
  std::size_t changed = 0;  // new, or different from what was stored
};

// Reads the JSON file at `path` (sources/push/incident_json.h) and stores its incidents, all
// or none: a file with any bad field changes nothing and the error lists every problem.
common::Result<IncidentImport> ImportIncidents(const config::Paths& paths, const std::string& path);

// Every stored incident, oldest first.
common::Result<std::vector<model::Incident>> StoredIncidents(const config::Paths& paths);

// The stored incidents that count against `repository`: those imported or pushed under `rules`;
// those an incident connection read when their service is mapped to the repository
// (`leadline services map`) and their severity is one the connection counts. An incident of an
// unmapped service counts nowhere.
common::Result<engine::IncidentSelection> RepositoryIncidents(
    store::Store& store, const model::Repository& repository, const engine::IncidentRules& rules,
    const engine::CommitGraph& graph, const std::vector<model::Deployment>& deployments);

}  // namespace leadline::app
