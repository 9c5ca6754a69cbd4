#include "sources/opsgenie/opsgenie_parse.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/json/json_object.h"
#include "sources/contract/incident_references.h"
#include "sources/contract/test_incident.h"

namespace leadline::sources::opsgenie {
namespace {

using common::Result;
using common::json::JsonObject;

struct ReadOne {
  model::Incident incident;
  bool test = false;
};

Result<ReadOne> ReadIncident(const JsonObject& object, const nlohmann::json& raw) {
  ReadOne out;
  model::Incident& incident = out.incident;
  incident.source = kSource;
  LEADLINE_ASSIGN_OR_RETURN(incident.id, object.String("id"));
  if (incident.id.empty()) return object.Error("id", "is empty");
  LEADLINE_ASSIGN_OR_RETURN(incident.title, object.StringOrEmpty("message"));
  LEADLINE_ASSIGN_OR_RETURN(incident.severity, object.StringOrEmpty("priority"));
  LEADLINE_ASSIGN_OR_RETURN(incident.service, object.StringOrEmpty("ownerTeam"));
  LEADLINE_ASSIGN_OR_RETURN(incident.started_at, object.Time("createdAt"));
  LEADLINE_ASSIGN_OR_RETURN(const std::string status, object.String("status"));
  if (status == "resolved" || status == "closed") {
    LEADLINE_ASSIGN_OR_RETURN(const common::UnixSeconds updated, object.Time("updatedAt"));
    incident.resolved_at = std::max(updated, incident.started_at);
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<std::string> tags, object.OptionalStrings("tags"));
  out.test = HasTestLabel(tags) || IsTestTitle(incident.title);
  // The change that caused it: a "Deployment" or "Commit" extra property, or a commit link in
  // its message or an extra property.
  ReadIncidentReference("message", incident.title, incident);
  if (raw.contains("extraProperties") && raw["extraProperties"].is_object()) {
    for (const auto& [key, value] : raw["extraProperties"].items()) {
      if (value.is_string()) ReadIncidentReference(key, value.get<std::string>(), incident);
    }
  }
  return out;
}

}  // namespace

Result<ParsedIncidents> ParseIncidentPage(const nlohmann::json& page) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject root, JsonObject::Root(page));
  if (!page.contains("data")) return root.Error("data", "is missing");
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> incidents, root.OptionalObjects("data"));
  ParsedIncidents out;
  std::size_t index = 0;
  for (const JsonObject& object : incidents) {
    LEADLINE_ASSIGN_OR_RETURN(ReadOne read, ReadIncident(object, page["data"][index++]));
    ++out.read;
    out.oldest_created_at = out.oldest_created_at == 0
                                ? read.incident.started_at
                                : std::min(out.oldest_created_at, read.incident.started_at);
    if (read.test) {
      ++out.left_out;
    } else {
      out.incidents.push_back(std::move(read.incident));
    }
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<JsonObject> paging, root.OptionalObject("paging"));
  if (paging) {
    LEADLINE_ASSIGN_OR_RETURN(const std::string next, paging->StringOrEmpty("next"));
    out.more = !next.empty();
  }
  return out;
}

Result<std::vector<model::IncidentService>> ParseTeams(const nlohmann::json& body) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject root, JsonObject::Root(body));
  if (!body.contains("data")) return root.Error("data", "is missing");
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> teams, root.OptionalObjects("data"));
  std::vector<model::IncidentService> out;
  for (const JsonObject& team : teams) {
    model::IncidentService service;
    LEADLINE_ASSIGN_OR_RETURN(service.id, team.String("id"));
    LEADLINE_ASSIGN_OR_RETURN(service.name, team.String("name"));
    out.push_back(std::move(service));
  }
  return out;
}

Result<std::string> ParseAccount(const nlohmann::json& body) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject root, JsonObject::Root(body));
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject data, root.Object("data"));
  LEADLINE_ASSIGN_OR_RETURN(const std::string name, data.String("name"));
  std::string out = "the API key of account " + name;
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<JsonObject> plan, data.OptionalObject("plan"));
  if (plan) {
    LEADLINE_ASSIGN_OR_RETURN(const std::string plan_name, plan->StringOrEmpty("name"));
    if (!plan_name.empty()) out += " (plan " + plan_name + ")";
  }
  return out;
}

}  // namespace leadline::sources::opsgenie
