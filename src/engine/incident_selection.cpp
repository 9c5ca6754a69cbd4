#include "engine/incident_selection.h"

#include <fnmatch.h>

#include <algorithm>
#include <map>

#include "common/text.h"

namespace leadline::engine {
namespace {

using common::EqualsIgnoringCase;

bool AnyEquals(const std::vector<std::string>& words, const std::string& value) {
  return std::any_of(words.begin(), words.end(),
                     [&](const std::string& word) { return EqualsIgnoringCase(word, value); });
}

std::string Slug(const std::string& location) {
  const std::size_t slash = location.rfind('/');
  return slash == std::string::npos ? location : location.substr(slash + 1);
}

bool BelongsTo(const model::Incident& incident, const model::Repository& repository,
               const IncidentRules& rules) {
  if (!incident.repository.empty()) return NamesRepository(incident.repository, repository);
  if (!rules.services.empty()) return AnyEquals(rules.services, incident.service);
  return EqualsIgnoringCase(incident.service, Slug(repository.location)) ||
         EqualsIgnoringCase(incident.service, repository.name);
}

std::optional<std::uint32_t> FindDeployment(std::span<const model::Deployment> deployments,
                                            const std::string& name) {
  if (name.empty()) return std::nullopt;
  for (std::size_t i = 0; i < deployments.size(); ++i) {
    const model::Deployment& d = deployments[i];
    // A platform deployment is named by its provider's id ("{2b5c...}", "4711"), its key
    // ("gitlab:4711") or its release ("#186").
    if (d.ref == name || d.natural_key == name || d.natural_key == d.source + ":" + name) {
      return static_cast<std::uint32_t>(i);
    }
  }
  return std::nullopt;
}

}  // namespace

bool NamesRepository(const std::string& link, const model::Repository& repository) {
  return EqualsIgnoringCase(link, repository.location) || EqualsIgnoringCase(link, repository.name);
}

bool CountsEverySeverity(const IncidentRules& rules) {
  return std::find(rules.severities.begin(), rules.severities.end(), "*") != rules.severities.end();
}

IncidentSelection SelectIncidents(std::span<const model::Incident> incidents,
                                  const model::Repository& repository, const IncidentRules& rules,
                                  const CommitGraph& graph,
                                  std::span<const model::Deployment> deployments) {
  IncidentSelection out;
  const bool every_severity = CountsEverySeverity(rules);
  for (const model::Incident& incident : incidents) {
    if (!BelongsTo(incident, repository, rules)) continue;
    if (!every_severity && !AnyEquals(rules.severities, incident.severity)) {
      ++out.excluded_severities[incident.severity];
      continue;
    }
    ++out.counted_severities[incident.severity];
    IncidentPoint point;
    point.id = incident.id;
    point.source = incident.source;
    point.service = incident.service;
    point.severity = incident.severity;
    point.title = incident.title;
    point.acknowledged_at = incident.acknowledged_at;
    point.link = incident.link;
    point.started_at = incident.started_at;
    point.resolved_at = incident.resolved_at;
    point.deployment = FindDeployment(deployments, incident.deployment);
    if (!incident.commit.empty()) point.commit = graph.FindByPrefix(incident.commit);
    point.by_change_event = incident.named_by == model::kNamedByChangeEvent;
    out.points.push_back(std::move(point));
  }
  return out;
}

namespace {

void Merge(IncidentSelection& into, IncidentSelection&& more) {
  for (IncidentPoint& point : more.points) into.points.push_back(std::move(point));
  for (const auto& [severity, count] : more.excluded_severities) {
    into.excluded_severities[severity] += count;
  }
  for (const auto& [severity, count] : more.counted_severities) {
    into.counted_severities[severity] += count;
  }
}

}  // namespace

const std::string* ConfiguredPattern(const ConfiguredServices& configured,
                                     const model::IncidentService& service) {
  if (const auto by_id = configured.find(service.id); by_id != configured.end()) {
    return &by_id->second;
  }
  for (const auto& [name, pattern] : configured) {
    if (common::EqualsIgnoringCase(name, service.name)) return &pattern;
  }
  return nullptr;
}

void ApplyConfiguredServices(const ConfiguredServices& configured,
                             std::vector<model::IncidentService>& services) {
  for (model::IncidentService& service : services) {
    if (const std::string* pattern = ConfiguredPattern(configured, service))
      service.repos = *pattern;
  }
}

IncidentSelection SelectAllIncidents(std::span<const model::Incident> incidents,
                                     const model::Repository& repository,
                                     const IncidentRules& rules,
                                     std::span<const model::IncidentService> services,
                                     std::span<const model::IncidentConnectionState> connections,
                                     const CommitGraph& graph,
                                     std::span<const model::Deployment> deployments) {
  // By connection: 0 for incidents imported or pushed.
  std::map<std::int64_t, std::vector<model::Incident>> by_connection;
  for (const model::Incident& incident : incidents) {
    by_connection[incident.connection_id].push_back(incident);
  }
  IncidentSelection out = SelectIncidents(by_connection[0], repository, rules, graph, deployments);
  by_connection.erase(0);
  for (const auto& [connection_id, tool_incidents] : by_connection) {
    const std::int64_t id = connection_id;  // a structured binding cannot be captured (clang 14)
    const auto state = std::find_if(
        connections.begin(), connections.end(),
        [&](const model::IncidentConnectionState& s) { return s.connection_id == id; });
    if (state == connections.end()) continue;  // a connection removed: its incidents count nowhere
    IncidentRules mapped;
    mapped.severities = state->counts;
    for (const model::IncidentService& service : services) {
      if (service.connection_id == connection_id && !service.repos.empty() &&
          fnmatch(service.repos.c_str(), repository.location.c_str(), 0) == 0) {
        mapped.services.push_back(service.id);
      }
    }
    if (mapped.services.empty()) continue;  // no service of this connection counts here
    Merge(out, SelectIncidents(tool_incidents, repository, mapped, graph, deployments));
  }
  std::stable_sort(
      out.points.begin(), out.points.end(),
      [](const IncidentPoint& a, const IncidentPoint& b) { return a.started_at < b.started_at; });
  return out;
}

}  // namespace leadline::engine
