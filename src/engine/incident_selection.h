// Which incidents count against a repository, and what their reporters' links point at
// (reference/dora-metrics.md, "Why a deployment failed", rule 4):
//  - an incident that names a repository counts for that repository only (its location or name);
//  - otherwise its service must be one of the repository's services: those settings list, by
//    default the repository's slug and its name;
//  - its severity must be one of the severities that count (default P1, P2, SEV1, SEV2; "*"
//    counts every severity), compared without case.
// A named deployment is found by its ref (release name, tag), its platform uuid or, for one
// pushed by CI, the id CI gave it; a named commit by its hash or a prefix of it.
// Incidents an incident connection read (PagerDuty) follow their connection instead: they count
// against a repository only when their service is mapped to it (an fnmatch pattern over its
// location) and their severity is one the connection counts; an unmapped service's count nowhere.
// Pure functions; thread-safe.
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "engine/failure_evidence.h"
#include "engine/snapshot.h"
#include "model/deployment.h"
#include "model/incident.h"
#include "model/incident_service.h"
#include "model/repository.h"

namespace leadline::engine {

// [services] in leadline.toml: an incident tool's service, by its id or its name (without case),
// -> a pattern over repository locations. It wins over the mapping `services map` stored.
using ConfiguredServices = std::map<std::string, std::string>;

struct IncidentRules {
  std::vector<std::string> severities = {"P1", "P2", "SEV1", "SEV2"};
  std::vector<std::string> services;  // empty: the repository's slug and name
  ConfiguredServices configured_services;
};

// The pattern [services] gives `service` (by id first, then by name without case); null when
// the settings do not name it.
const std::string* ConfiguredPattern(const ConfiguredServices& configured,
                                     const model::IncidentService& service);
// The stored mappings with [services] over them.
void ApplyConfiguredServices(const ConfiguredServices& configured,
                             std::vector<model::IncidentService>& services);

bool CountsEverySeverity(const IncidentRules& rules);

// Whether an incident's `repository` link ("acme/api", "api") names `repository`: its location
// or its name, without case.
bool NamesRepository(const std::string& link, const model::Repository& repository);

struct IncidentSelection {
  std::vector<IncidentPoint> points;  // in the order given
  // Incidents of this repository left out for their severity: severity -> how many.
  std::map<std::string, std::size_t> excluded_severities;
  // Severities of the incidents counted: severity -> how many.
  std::map<std::string, std::size_t> counted_severities;
};

IncidentSelection SelectIncidents(std::span<const model::Incident> incidents,
                                  const model::Repository& repository, const IncidentRules& rules,
                                  const CommitGraph& graph,
                                  std::span<const model::Deployment> deployments);

// SelectIncidents over the incidents imported or pushed (connection 0), and each incident
// connection's incidents under its own rules: the services of `services` mapped to `repository`,
// the severities of its state in `connections` (a connection without one counts nothing). The
// points are ordered by start.
IncidentSelection SelectAllIncidents(std::span<const model::Incident> incidents,
                                     const model::Repository& repository,
                                     const IncidentRules& rules,
                                     std::span<const model::IncidentService> services,
                                     std::span<const model::IncidentConnectionState> connections,
                                     const CommitGraph& graph,
                                     std::span<const model::Deployment> deployments);

}  // namespace leadline::engine
