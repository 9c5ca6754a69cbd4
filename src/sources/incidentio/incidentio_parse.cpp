#include "sources/incidentio/incidentio_parse.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/json/json_object.h"
#include "sources/contract/incident_references.h"

namespace leadline::sources::incidentio {
namespace {

using common::Result;
using common::json::JsonObject;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Result<std::string> ReadAfter(const JsonObject& page) {
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<JsonObject> meta,
                            page.OptionalObject("pagination_meta"));
  if (!meta) return std::string();
  return meta->StringOrEmpty("after");
}

// The incident's timestamp values by lowercased name; those without a value are left out.
Result<std::vector<std::pair<std::string, common::UnixSeconds>>> Timestamps(
    const JsonObject& incident) {
  std::vector<std::pair<std::string, common::UnixSeconds>> out;
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> values,
                            incident.OptionalObjects("incident_timestamp_values"));
  for (const JsonObject& value : values) {
    LEADLINE_ASSIGN_OR_RETURN(const JsonObject timestamp, value.Object("incident_timestamp"));
    LEADLINE_ASSIGN_OR_RETURN(const std::string name, timestamp.String("name"));
    LEADLINE_ASSIGN_OR_RETURN(const std::optional<JsonObject> at, value.OptionalObject("value"));
    if (!at) continue;
    LEADLINE_ASSIGN_OR_RETURN(const std::optional<common::UnixSeconds> when,
                              at->OptionalTime("value"));
    if (when) out.emplace_back(Lower(name), *when);
  }
  return out;
}

std::optional<common::UnixSeconds> Named(
    const std::vector<std::pair<std::string, common::UnixSeconds>>& timestamps,
    std::initializer_list<std::string_view> names) {
  for (const std::string_view name : names) {
    for (const auto& [have, when] : timestamps) {
      if (have == name) return when;
    }
  }
  return std::nullopt;
}

// The first value of the incident's service custom field, or "".
Result<std::string> ServiceOf(const JsonObject& incident) {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> entries,
                            incident.OptionalObjects("custom_field_entries"));
  for (const JsonObject& entry : entries) {
    LEADLINE_ASSIGN_OR_RETURN(const JsonObject field, entry.Object("custom_field"));
    LEADLINE_ASSIGN_OR_RETURN(const std::string name, field.StringOrEmpty("name"));
    if (!IsServiceField(name)) continue;
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> values,
                              entry.OptionalObjects("values"));
    for (const JsonObject& value : values) {
      for (const char* kind : {"value_catalog_entry", "value_option"}) {
        LEADLINE_ASSIGN_OR_RETURN(const std::optional<JsonObject> chosen,
                                  value.OptionalObject(kind));
        if (!chosen) continue;
        LEADLINE_ASSIGN_OR_RETURN(std::string id, chosen->String("id"));
        if (!id.empty()) return id;
      }
    }
  }
  return std::string();
}

// What the incident's custom fields and summary name of the change that caused it
// (sources/contract/incident_references.h): each value as text, whatever the field's kind.
common::Status ReadReferences(const JsonObject& object, model::Incident& incident) {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> entries,
                            object.OptionalObjects("custom_field_entries"));
  for (const JsonObject& entry : entries) {
    LEADLINE_ASSIGN_OR_RETURN(const JsonObject field, entry.Object("custom_field"));
    LEADLINE_ASSIGN_OR_RETURN(const std::string name, field.StringOrEmpty("name"));
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> values,
                              entry.OptionalObjects("values"));
    for (const JsonObject& value : values) {
      for (const char* kind : {"value_text", "value_link"}) {
        LEADLINE_ASSIGN_OR_RETURN(const std::string text, value.StringOrEmpty(kind));
        ReadIncidentReference(name, text, incident);
      }
      for (const char* kind : {"value_option", "value_catalog_entry"}) {
        LEADLINE_ASSIGN_OR_RETURN(const std::optional<JsonObject> chosen,
                                  value.OptionalObject(kind));
        if (!chosen) continue;
        LEADLINE_ASSIGN_OR_RETURN(
            const std::string text,
            chosen->StringOrEmpty(kind == std::string_view("value_option") ? "value" : "name"));
        ReadIncidentReference(name, text, incident);
      }
    }
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::string summary, object.StringOrEmpty("summary"));
  if (incident.commit.empty()) incident.commit = CommitInLinks(summary);
  return common::Status::Ok();
}

// nullopt for an incident left out of every count.
Result<std::optional<model::Incident>> ReadIncident(const JsonObject& object) {
  LEADLINE_ASSIGN_OR_RETURN(const std::string mode, object.StringOrEmpty("mode"));
  if (mode == "test" || mode == "tutorial") return std::optional<model::Incident>();
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject status, object.Object("incident_status"));
  LEADLINE_ASSIGN_OR_RETURN(const std::string category, status.String("category"));
  if (category == "declined" || category == "merged" || category == "canceled") {
    return std::optional<model::Incident>();
  }
  model::Incident incident;
  incident.source = kSource;
  LEADLINE_ASSIGN_OR_RETURN(incident.id, object.String("id"));
  if (incident.id.empty()) return object.Error("id", "is empty");
  LEADLINE_ASSIGN_OR_RETURN(incident.title, object.StringOrEmpty("name"));
  LEADLINE_ASSIGN_OR_RETURN(incident.link, object.StringOrEmpty("permalink"));
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<JsonObject> severity,
                            object.OptionalObject("severity"));
  if (severity) {
    LEADLINE_ASSIGN_OR_RETURN(incident.severity, severity->StringOrEmpty("name"));
  }
  LEADLINE_ASSIGN_OR_RETURN(incident.service, ServiceOf(object));
  LEADLINE_RETURN_IF_ERROR(ReadReferences(object, incident));
  LEADLINE_ASSIGN_OR_RETURN(const common::UnixSeconds created_at, object.Time("created_at"));
  LEADLINE_ASSIGN_OR_RETURN(const auto timestamps, Timestamps(object));
  incident.started_at =
      Named(timestamps, {"impact started", "reported at", "declared at"}).value_or(created_at);
  incident.acknowledged_at = Named(timestamps, {"accepted at"});
  if (category == "learning" || category == "closed") {
    std::optional<common::UnixSeconds> resolved = Named(timestamps, {"resolved at", "closed at"});
    if (!resolved) {
      LEADLINE_ASSIGN_OR_RETURN(resolved, object.Time("updated_at"));
    }
    incident.resolved_at = std::max(*resolved, incident.started_at);
  }
  return std::optional<model::Incident>(std::move(incident));
}

}  // namespace

bool IsServiceField(std::string_view custom_field_name) {
  return Lower(custom_field_name).find("service") != std::string::npos;
}

Result<ParsedIncidents> ParseIncidentPage(const nlohmann::json& page) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject root, JsonObject::Root(page));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> incidents,
                            root.OptionalObjects("incidents"));
  if (!page.contains("incidents")) return root.Error("incidents", "is missing");
  ParsedIncidents out;
  for (const JsonObject& object : incidents) {
    LEADLINE_ASSIGN_OR_RETURN(std::optional<model::Incident> incident, ReadIncident(object));
    if (incident) {
      out.incidents.push_back(std::move(*incident));
    } else {
      ++out.left_out;
    }
  }
  LEADLINE_ASSIGN_OR_RETURN(out.after, ReadAfter(root));
  return out;
}

Result<std::vector<Severity>> ParseSeverities(const nlohmann::json& body) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject root, JsonObject::Root(body));
  if (!body.contains("severities")) return root.Error("severities", "is missing");
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> objects,
                            root.OptionalObjects("severities"));
  std::vector<Severity> out;
  for (const JsonObject& object : objects) {
    Severity severity;
    LEADLINE_ASSIGN_OR_RETURN(severity.id, object.String("id"));
    LEADLINE_ASSIGN_OR_RETURN(severity.name, object.String("name"));
    LEADLINE_ASSIGN_OR_RETURN(severity.rank, object.Integer("rank"));
    out.push_back(std::move(severity));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Severity& a, const Severity& b) { return a.rank > b.rank; });
  return out;
}

std::vector<std::string> DefaultCountsFor(const std::vector<Severity>& severities) {
  std::vector<std::string> out;
  for (const Severity& severity : severities) {
    if (out.size() == 2) break;
    out.push_back(severity.name);
  }
  return out;
}

Result<std::vector<std::string>> ParseServiceCatalogTypes(const nlohmann::json& body) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject root, JsonObject::Root(body));
  if (!body.contains("custom_fields")) return root.Error("custom_fields", "is missing");
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> fields,
                            root.OptionalObjects("custom_fields"));
  std::vector<std::string> out;
  for (const JsonObject& field : fields) {
    LEADLINE_ASSIGN_OR_RETURN(const std::string name, field.StringOrEmpty("name"));
    LEADLINE_ASSIGN_OR_RETURN(const std::string type, field.StringOrEmpty("catalog_type_id"));
    if (IsServiceField(name) && !type.empty() &&
        std::find(out.begin(), out.end(), type) == out.end()) {
      out.push_back(type);
    }
  }
  return out;
}

Result<ParsedServices> ParseCatalogEntries(const nlohmann::json& page) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject root, JsonObject::Root(page));
  if (!page.contains("catalog_entries")) return root.Error("catalog_entries", "is missing");
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> entries,
                            root.OptionalObjects("catalog_entries"));
  ParsedServices out;
  for (const JsonObject& entry : entries) {
    model::IncidentService service;
    LEADLINE_ASSIGN_OR_RETURN(service.id, entry.String("id"));
    LEADLINE_ASSIGN_OR_RETURN(service.name, entry.String("name"));
    out.services.push_back(std::move(service));
  }
  LEADLINE_ASSIGN_OR_RETURN(out.after, ReadAfter(root));
  return out;
}

}  // namespace leadline::sources::incidentio
