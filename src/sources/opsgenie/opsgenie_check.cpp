#include "sources/opsgenie/opsgenie_check.h"

#include <nlohmann/json.hpp>

#include "http/pager.h"
#include "sources/opsgenie/opsgenie_http.h"
#include "sources/opsgenie/opsgenie_parse.h"

namespace leadline::sources::opsgenie {
namespace {

using common::Result;
using common::Status;
using nlohmann::json;

Result<json> GetJson(http::HttpClient& client, const ConnectionSettings& settings,
                     const std::string& path) {
  const http::HttpRequest request = ApiGet(settings, path);
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, client.Send(request));
  return JsonOf(response, request.url);
}

}  // namespace

std::string IncidentsPath(std::int64_t offset, std::int64_t limit) {
  return "/v1/incidents/?query=" + http::EncodeQueryValue(kEveryIncident) +
         "&offset=" + std::to_string(offset) + "&limit=" + std::to_string(limit) +
         "&sort=createdAt&order=desc";
}

Result<std::vector<model::IncidentService>> Teams(http::HttpClient& client,
                                                  const ConnectionSettings& settings) {
  LEADLINE_ASSIGN_OR_RETURN(const json body, GetJson(client, settings, "/v2/teams"));
  auto teams = ParseTeams(body);
  if (!teams.ok()) return teams.status().WithContext(settings.url + "/v2/teams");
  return teams;
}

Result<CheckReport> CheckOpsgenie(http::HttpClient& client, const ConnectionSettings& settings) {
  if (settings.secret.empty()) return Status::InvalidArgument("the Opsgenie API key is empty");
  CheckReport report;
  // The incidents first: a wrong key (or region) is told by its 401 before anything else.
  LEADLINE_ASSIGN_OR_RETURN(const json incidents, GetJson(client, settings, IncidentsPath(0, 1)));
  auto page = ParseIncidentPage(incidents);
  if (!page.ok()) return page.status().WithContext(settings.url + "/v1/incidents/");
  LEADLINE_ASSIGN_OR_RETURN(const json account, GetJson(client, settings, "/v2/account"));
  auto owner = ParseAccount(account);
  if (!owner.ok()) return owner.status().WithContext(settings.url + "/v2/account");
  report.user = *owner;
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::IncidentService> teams,
                            Teams(client, settings));
  report.repositories = static_cast<std::int64_t>(teams.size());
  report.notes.push_back("reads incidents and teams (a team's incidents are those it owns)");
  report.notes.push_back(std::string("warning: ") + kRetirement);
  return report;
}

}  // namespace leadline::sources::opsgenie
