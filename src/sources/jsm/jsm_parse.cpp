#include "sources/jsm/jsm_parse.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/json/json_object.h"
#include "common/text.h"
#include "sources/contract/incident_references.h"
#include "sources/contract/test_incident.h"

namespace leadline::sources::jsm {
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

// The key of the services field among the answer's field names: "affected services" first,
// else the first whose name holds "service"; "" when none.
std::string ServiceFieldKey(const nlohmann::json& page) {
  if (!page.contains("names") || !page["names"].is_object()) return "";
  std::string any;
  for (const auto& [key, name] : page["names"].items()) {
    if (!name.is_string()) continue;
    const std::string lower = Lower(name.get<std::string>());
    if (lower == "affected services") return key;
    if (any.empty() && lower.find("service") != std::string::npos) any = key;
  }
  return any;
}

// The first service a value of the services field names (a list of {"id", "name"?}, or one).
Result<std::optional<model::IncidentService>> FirstService(const JsonObject& fields,
                                                           const std::string& key) {
  if (key.empty()) return std::optional<model::IncidentService>();
  std::vector<JsonObject> values;
  // A single-service field holds one object; a multi-service one a list of them.
  auto one = fields.OptionalObject(key);
  if (one.ok() && one->has_value()) {
    values.push_back(**one);
  } else {
    LEADLINE_ASSIGN_OR_RETURN(values, fields.OptionalObjects(key));
  }
  for (const JsonObject& service : values) {
    model::IncidentService out;
    LEADLINE_ASSIGN_OR_RETURN(out.id, service.String("id"));
    if (out.id.empty()) continue;
    LEADLINE_ASSIGN_OR_RETURN(out.name, service.StringOrEmpty("name"));
    if (out.name.empty()) out.name = out.id;
    return std::optional<model::IncidentService>(std::move(out));
  }
  return std::optional<model::IncidentService>();
}

Result<common::UnixSeconds> JiraTime(const JsonObject& object, std::string_view key) {
  LEADLINE_ASSIGN_OR_RETURN(const std::string text, object.String(key));
  auto at = ParseJiraTime(text);
  if (!at.ok()) return object.Error(key, "expected a Jira time, got '" + text.substr(0, 60) + "'");
  return at;
}

Result<std::optional<common::UnixSeconds>> OptionalJiraTime(const JsonObject& object,
                                                            std::string_view key) {
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::string> text, object.OptionalString(key));
  if (!text) return std::optional<common::UnixSeconds>();
  LEADLINE_ASSIGN_OR_RETURN(const common::UnixSeconds at, JiraTime(object, key));
  return std::optional<common::UnixSeconds>(at);
}

struct ReadItem {
  model::Incident incident;
  std::optional<model::IncidentService> service;
  bool test = false;
};

// What the work item's text fields name of the change that caused it (a "Deployment" or
// "Commit" field, a commit link in the summary or any text field), by the fields' names.
void ReadReferences(const nlohmann::json& fields, const nlohmann::json& names,
                    model::Incident& incident) {
  if (!fields.is_object()) return;
  for (const auto& [key, value] : fields.items()) {
    if (!value.is_string()) continue;
    const bool named = names.is_object() && names.contains(key) && names[key].is_string();
    ReadIncidentReference(named ? names[key].get<std::string>() : key, value.get<std::string>(),
                          incident);
  }
}

Result<ReadItem> ReadWorkItem(const JsonObject& item, const std::string& service_key,
                              const std::string& site, const nlohmann::json& raw,
                              const nlohmann::json& names) {
  ReadItem out;
  model::Incident& incident = out.incident;
  incident.source = kSource;
  LEADLINE_ASSIGN_OR_RETURN(incident.id, item.String("id"));
  if (incident.id.empty()) return item.Error("id", "is empty");
  LEADLINE_ASSIGN_OR_RETURN(const std::string key, item.StringOrEmpty("key"));
  if (!key.empty()) incident.link = site + "/browse/" + key;
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject fields, item.Object("fields"));
  LEADLINE_ASSIGN_OR_RETURN(incident.title, fields.StringOrEmpty("summary"));
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<JsonObject> priority,
                            fields.OptionalObject("priority"));
  if (priority) {
    LEADLINE_ASSIGN_OR_RETURN(incident.severity, priority->StringOrEmpty("name"));
  }
  LEADLINE_ASSIGN_OR_RETURN(out.service, FirstService(fields, service_key));
  if (out.service) incident.service = out.service->id;
  LEADLINE_ASSIGN_OR_RETURN(incident.started_at, JiraTime(fields, "created"));
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject status, fields.Object("status"));
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<JsonObject> category,
                            status.OptionalObject("statusCategory"));
  std::string category_key;
  if (category) {
    LEADLINE_ASSIGN_OR_RETURN(category_key, category->StringOrEmpty("key"));
  }
  if (category_key == "done") {
    LEADLINE_ASSIGN_OR_RETURN(std::optional<common::UnixSeconds> resolved,
                              OptionalJiraTime(fields, "resolutiondate"));
    if (!resolved) {
      LEADLINE_ASSIGN_OR_RETURN(resolved, JiraTime(fields, "updated"));
    }
    incident.resolved_at = std::max(*resolved, incident.started_at);
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<std::string> labels,
                            fields.OptionalStrings("labels"));
  out.test = HasTestLabel(labels) || IsTestTitle(incident.title);
  ReadReferences(raw["fields"], names, incident);
  return out;
}

}  // namespace

Result<common::UnixSeconds> ParseJiraTime(std::string_view text) {
  // "+0000" at the end becomes "+00:00".
  const std::size_t n = text.size();
  if (n >= 5 && (text[n - 5] == '+' || text[n - 5] == '-') &&
      std::all_of(text.end() - 4, text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    std::string fixed(text.substr(0, n - 2));
    fixed += ':';
    fixed += text.substr(n - 2);
    return common::ParseRfc3339(fixed);
  }
  return common::ParseRfc3339(text);
}

Result<ParsedSearch> ParseSearchPage(const nlohmann::json& page, const std::string& site) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject root, JsonObject::Root(page));
  if (!page.contains("issues")) return root.Error("issues", "is missing");
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> items, root.OptionalObjects("issues"));
  const std::string service_key = ServiceFieldKey(page);
  const nlohmann::json no_names;
  const nlohmann::json& names = page.contains("names") ? page["names"] : no_names;
  ParsedSearch out;
  std::size_t index = 0;
  for (const JsonObject& item : items) {
    const nlohmann::json& raw = page["issues"][index++];
    LEADLINE_ASSIGN_OR_RETURN(ReadItem read, ReadWorkItem(item, service_key, site, raw, names));
    if (read.service && std::none_of(out.services.begin(), out.services.end(),
                                     [&](const model::IncidentService& seen) {
                                       return seen.id == read.service->id;
                                     })) {
      out.services.push_back(*read.service);
    }
    if (read.test) {
      ++out.left_out;
    } else {
      out.incidents.push_back(std::move(read.incident));
    }
  }
  LEADLINE_ASSIGN_OR_RETURN(out.next_page_token, root.StringOrEmpty("nextPageToken"));
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<bool> last, root.OptionalBool("isLast"));
  if (last.value_or(false)) out.next_page_token.clear();
  return out;
}

Result<ParsedPriorities> ParsePriorityPage(const nlohmann::json& page) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject root, JsonObject::Root(page));
  if (!page.contains("values")) return root.Error("values", "is missing");
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> values, root.OptionalObjects("values"));
  ParsedPriorities out;
  for (const JsonObject& value : values) {
    LEADLINE_ASSIGN_OR_RETURN(std::string name, value.String("name"));
    out.names.push_back(std::move(name));
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<bool> last, root.OptionalBool("isLast"));
  out.last = last.value_or(true);
  return out;
}

Result<std::string> ParseCloudId(const nlohmann::json& body) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject root, JsonObject::Root(body));
  LEADLINE_ASSIGN_OR_RETURN(std::string id, root.String("cloudId"));
  if (id.empty() || id.size() > 100 ||
      id.find_first_not_of("0123456789abcdefABCDEF-") != std::string::npos) {
    return root.Error("cloudId", "is not a cloud id");
  }
  return id;
}

Result<std::string> ParseMyself(const nlohmann::json& body) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject root, JsonObject::Root(body));
  LEADLINE_ASSIGN_OR_RETURN(const std::string account, root.String("accountId"));
  LEADLINE_ASSIGN_OR_RETURN(std::string name, root.StringOrEmpty("displayName"));
  LEADLINE_ASSIGN_OR_RETURN(const std::string email, root.StringOrEmpty("emailAddress"));
  if (name.empty()) name = "account " + account;
  return email.empty() ? name : name + " <" + email + ">";
}

Result<ParsedSchedules> ParseSchedulePage(const nlohmann::json& page) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject root, JsonObject::Root(page));
  if (!page.contains("values")) return root.Error("values", "is missing");
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> values, root.OptionalObjects("values"));
  ParsedSchedules out;
  for (const JsonObject& schedule : values) {
    ++out.schedules;
    LEADLINE_ASSIGN_OR_RETURN(std::string team, schedule.StringOrEmpty("teamId"));
    if (!team.empty() &&
        std::find(out.team_ids.begin(), out.team_ids.end(), team) == out.team_ids.end()) {
      out.team_ids.push_back(std::move(team));
    }
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<JsonObject> links, root.OptionalObject("links"));
  if (links) {
    LEADLINE_ASSIGN_OR_RETURN(out.next, links->StringOrEmpty("next"));
  }
  return out;
}

}  // namespace leadline::sources::jsm
