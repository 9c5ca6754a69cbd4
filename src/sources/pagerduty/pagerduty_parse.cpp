#include "sources/pagerduty/pagerduty_parse.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/json/json_object.h"
#include "sources/contract/incident_references.h"

namespace leadline::sources::pagerduty {
namespace {

using common::Result;
using common::json::JsonObject;

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char c = text[i];
    const char lower = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower != prefix[i]) return false;
  }
  return true;
}

Result<Paging> ReadPaging(const JsonObject& page) {
  Paging paging;
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::int64_t> offset,
                            page.OptionalInteger("offset"));
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::int64_t> limit, page.OptionalInteger("limit"));
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<bool> more, page.OptionalBool("more"));
  paging.offset = offset.value_or(0);
  paging.limit = limit.value_or(0);
  paging.more = more.value_or(false);
  if (paging.offset < 0 || paging.limit < 0) {
    return page.Error("offset", "offset and limit must not be negative");
  }
  return paging;
}

Result<model::Incident> ReadIncident(const JsonObject& object) {
  model::Incident incident;
  incident.source = kSource;
  LEADLINE_ASSIGN_OR_RETURN(incident.id, object.String("id"));
  if (incident.id.empty()) return object.Error("id", "is empty");
  LEADLINE_ASSIGN_OR_RETURN(incident.title, object.StringOrEmpty("title"));
  LEADLINE_ASSIGN_OR_RETURN(incident.started_at, object.Time("created_at"));
  LEADLINE_ASSIGN_OR_RETURN(incident.link, object.StringOrEmpty("html_url"));
  incident.commit = CommitInLinks(incident.title);
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject service, object.Object("service"));
  LEADLINE_ASSIGN_OR_RETURN(incident.service, service.String("id"));

  LEADLINE_ASSIGN_OR_RETURN(const std::optional<JsonObject> priority,
                            object.OptionalObject("priority"));
  if (priority) {
    LEADLINE_ASSIGN_OR_RETURN(incident.severity, priority->StringOrEmpty("summary"));
    if (incident.severity.empty()) {
      LEADLINE_ASSIGN_OR_RETURN(incident.severity, priority->StringOrEmpty("name"));
    }
  }
  if (incident.severity.empty()) {
    LEADLINE_ASSIGN_OR_RETURN(incident.severity, object.String("urgency"));
  }

  LEADLINE_ASSIGN_OR_RETURN(const std::string status, object.String("status"));
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<common::UnixSeconds> last_change,
                            object.OptionalTime("last_status_change_at"));
  LEADLINE_ASSIGN_OR_RETURN(incident.resolved_at, object.OptionalTime("resolved_at"));
  if (status == "resolved" && !incident.resolved_at) incident.resolved_at = last_change;
  if (status != "resolved") incident.resolved_at.reset();  // re-opened

  LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> acknowledgements,
                            object.OptionalObjects("acknowledgements"));
  for (const JsonObject& acknowledgement : acknowledgements) {
    LEADLINE_ASSIGN_OR_RETURN(const common::UnixSeconds at, acknowledgement.Time("at"));
    if (!incident.acknowledged_at || at < *incident.acknowledged_at) incident.acknowledged_at = at;
  }
  if (!incident.acknowledged_at && status == "acknowledged") incident.acknowledged_at = last_change;
  // A clock skew between PagerDuty's records never puts a response before the incident.
  if (incident.acknowledged_at && *incident.acknowledged_at < incident.started_at) {
    incident.acknowledged_at = incident.started_at;
  }
  if (incident.resolved_at && *incident.resolved_at < incident.started_at) {
    incident.resolved_at = incident.started_at;
  }
  return incident;
}

}  // namespace

bool IsTestIncident(std::string_view title) {
  const std::size_t first = title.find_first_not_of(" \t");
  if (first == std::string_view::npos) return false;
  title.remove_prefix(first);
  return StartsWithIgnoringCase(title, "[test]") || StartsWithIgnoringCase(title, "test:");
}

Result<model::Incident> ParseIncident(const nlohmann::json& incident) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject object, JsonObject::Root(incident));
  return ReadIncident(object);
}

Result<ParsedIncidents> ParseIncidentPage(const nlohmann::json& page) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject root, JsonObject::Root(page));
  ParsedIncidents out;
  LEADLINE_ASSIGN_OR_RETURN(out.paging, ReadPaging(root));
  if (!page.contains("incidents") || !page["incidents"].is_array()) {
    return root.Error("incidents", "expected a list of incidents");
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> incidents,
                            root.OptionalObjects("incidents"));
  for (const JsonObject& object : incidents) {
    LEADLINE_ASSIGN_OR_RETURN(model::Incident incident, ReadIncident(object));
    out.last_created_at = std::max<std::int64_t>(out.last_created_at, incident.started_at);
    if (IsTestIncident(incident.title)) {
      ++out.tests_left_out;
      continue;
    }
    out.incidents.push_back(std::move(incident));
  }
  return out;
}

common::Status ReadCustomFieldValues(const nlohmann::json& body, model::Incident& incident) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject root, JsonObject::Root(body));
  if (!body.contains("custom_fields") || !body["custom_fields"].is_array()) {
    return root.Error("custom_fields", "expected a list of field values");
  }
  for (const nlohmann::json& field : body["custom_fields"]) {
    if (!field.is_object()) return root.Error("custom_fields", "expected objects");
    // People see display names; the API's own name is the fallback.
    std::string name;
    for (const char* key : {"display_name", "name"}) {
      const auto it = field.find(key);
      if (name.empty() && it != field.end() && it->is_string()) name = it->get<std::string>();
    }
    const auto value = field.find("value");
    if (value == field.end()) continue;
    if (value->is_string()) ReadIncidentReference(name, value->get<std::string>(), incident);
    if (!value->is_array()) continue;
    for (const nlohmann::json& item : *value) {
      if (item.is_string()) ReadIncidentReference(name, item.get<std::string>(), incident);
    }
  }
  return common::Status::Ok();
}

Result<std::vector<std::string>> ParseCustomFieldNames(const nlohmann::json& body) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject root, JsonObject::Root(body));
  if (!body.contains("fields") || !body["fields"].is_array()) {
    return root.Error("fields", "expected a list of fields");
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> fields, root.OptionalObjects("fields"));
  std::vector<std::string> names;
  for (const JsonObject& field : fields) {
    for (const char* key : {"name", "display_name"}) {
      LEADLINE_ASSIGN_OR_RETURN(std::string name, field.StringOrEmpty(key));
      if (!name.empty()) names.push_back(std::move(name));
    }
  }
  return names;
}

Result<ParsedServices> ParseServicePage(const nlohmann::json& page) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject root, JsonObject::Root(page));
  ParsedServices out;
  LEADLINE_ASSIGN_OR_RETURN(out.paging, ReadPaging(root));
  if (!page.contains("services") || !page["services"].is_array()) {
    return root.Error("services", "expected a list of services");
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> services,
                            root.OptionalObjects("services"));
  for (const JsonObject& object : services) {
    model::IncidentService service;
    LEADLINE_ASSIGN_OR_RETURN(service.id, object.String("id"));
    LEADLINE_ASSIGN_OR_RETURN(service.name, object.StringOrEmpty("name"));
    if (service.name.empty()) {
      LEADLINE_ASSIGN_OR_RETURN(service.name, object.String("summary"));
    }
    out.services.push_back(std::move(service));
  }
  return out;
}

}  // namespace leadline::sources::pagerduty
