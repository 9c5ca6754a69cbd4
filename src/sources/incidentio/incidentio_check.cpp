#include "sources/incidentio/incidentio_check.h"

#include <nlohmann/json.hpp>

#include "http/pager.h"
#include "sources/incidentio/incidentio_http.h"

namespace leadline::sources::incidentio {
namespace {

using common::Result;
using common::Status;
using nlohmann::json;

// Catalogs of services are small; a listing longer than this many pages is not followed.
constexpr int kMaxServicePages = 100;
constexpr int kServicePageSize = 250;

Result<json> GetJson(http::HttpClient& client, const ConnectionSettings& settings,
                     const std::string& path) {
  const http::HttpRequest request = ApiGet(settings, path);
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, client.Send(request));
  return JsonOf(response, request.url);
}

// "the API key 'Leadline' (roles viewer)".
Result<std::string> KeyOwner(http::HttpClient& client, const ConnectionSettings& settings) {
  LEADLINE_ASSIGN_OR_RETURN(const json body, GetJson(client, settings, "/v1/identity"));
  const json* identity = body.contains("identity") ? &body["identity"] : nullptr;
  if (identity == nullptr || !identity->is_object() || !identity->contains("name") ||
      !(*identity)["name"].is_string()) {
    return Status::InvalidArgument("incident.io's /v1/identity answer names no key");
  }
  std::string owner = "the API key '" + (*identity)["name"].get<std::string>() + "'";
  if (identity->contains("roles") && (*identity)["roles"].is_array()) {
    std::string roles;
    for (const json& role : (*identity)["roles"]) {
      if (role.is_string()) roles += (roles.empty() ? "" : " ") + role.get<std::string>();
    }
    if (!roles.empty()) owner += " (roles " + roles + ")";
  }
  return owner;
}

}  // namespace

Result<std::vector<Severity>> Severities(http::HttpClient& client,
                                         const ConnectionSettings& settings) {
  const http::HttpRequest request = ApiGet(settings, "/v1/severities");
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, client.Send(request));
  LEADLINE_ASSIGN_OR_RETURN(const json body, JsonOf(response, request.url));
  auto parsed = ParseSeverities(body);
  if (!parsed.ok()) return parsed.status().WithContext(http::RedactUrl(request.url));
  return parsed;
}

Result<std::vector<model::IncidentService>> Services(http::HttpClient& client,
                                                     const ConnectionSettings& settings) {
  const http::HttpRequest fields_request = ApiGet(settings, "/v2/custom_fields");
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse fields_response, client.Send(fields_request));
  LEADLINE_ASSIGN_OR_RETURN(const json fields, JsonOf(fields_response, fields_request.url));
  auto types = ParseServiceCatalogTypes(fields);
  if (!types.ok()) return types.status().WithContext(http::RedactUrl(fields_request.url));
  if (types->empty()) {
    return Status::FailedPrecondition(
        "no incident.io custom field names services: add a catalog-backed custom field such as "
        "\"Affected services\" (Settings > Custom fields), whose entries Leadline maps to "
        "repositories");
  }
  std::vector<model::IncidentService> out;
  for (const std::string& type : *types) {
    std::string after;
    int page = 0;
    for (;; ++page) {
      if (page == kMaxServicePages) {
        return Status::InvalidArgument("incident.io's catalog type " + type + " has more than " +
                                       std::to_string(kMaxServicePages * kServicePageSize) +
                                       " entries; Leadline reads at most that many");
      }
      std::string path = "/v2/catalog_entries?catalog_type_id=" + http::EncodeQueryValue(type) +
                         "&page_size=" + std::to_string(kServicePageSize);
      if (!after.empty()) path += "&after=" + http::EncodeQueryValue(after);
      const http::HttpRequest request = ApiGet(settings, path);
      LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, client.Send(request));
      LEADLINE_ASSIGN_OR_RETURN(const json body, JsonOf(response, request.url));
      auto parsed = ParseCatalogEntries(body);
      if (!parsed.ok()) return parsed.status().WithContext(http::RedactUrl(request.url));
      for (model::IncidentService& service : parsed->services) out.push_back(std::move(service));
      if (parsed->after.empty() || parsed->after == after) break;
      after = parsed->after;
    }
  }
  return out;
}

Result<CheckReport> CheckIncidentIo(http::HttpClient& client, const ConnectionSettings& settings) {
  if (settings.secret.empty()) return Status::InvalidArgument("the incident.io API key is empty");
  CheckReport report;
  // The incidents first: a wrong key is told by its 401 before anything else.
  LEADLINE_ASSIGN_OR_RETURN(const json incidents,
                            GetJson(client, settings, "/v2/incidents?page_size=1"));
  if (!incidents.contains("incidents")) {
    return Status::InvalidArgument("incident.io's /v2/incidents answer has no list of incidents");
  }
  LEADLINE_ASSIGN_OR_RETURN(report.user, KeyOwner(client, settings));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::IncidentService> services,
                            Services(client, settings));
  report.repositories = static_cast<std::int64_t>(services.size());
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<Severity> severities, Severities(client, settings));
  report.notes.push_back("reads incidents, severities, custom fields and the catalog");
  std::string names;
  for (const Severity& severity : severities) names += (names.empty() ? "" : " ") + severity.name;
  report.notes.push_back(names.empty() ? "no severities" : "severities " + names);
  return report;
}

}  // namespace leadline::sources::incidentio
