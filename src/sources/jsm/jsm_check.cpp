#include "sources/jsm/jsm_check.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "http/pager.h"
#include "sources/jsm/jsm_http.h"
#include "sources/jsm/jsm_parse.h"

namespace leadline::sources::jsm {
namespace {

using common::Result;
using common::Status;
using nlohmann::json;

// Priority schemes and Operations schedules are short; listings longer than this are not
// followed further.
constexpr int kMaxListPages = 20;

Result<json> Get(http::HttpClient& client, const http::HttpRequest& request) {
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, client.Send(request));
  return JsonOf(response, request.url);
}

template <typename Parsed>
Result<Parsed> WithUrl(Result<Parsed> parsed, const std::string& url) {
  if (!parsed.ok()) return parsed.status().WithContext(http::RedactUrl(url));
  return parsed;
}

Result<std::string> CloudId(http::HttpClient& client, const ConnectionSettings& settings) {
  const http::HttpRequest request = SiteGet(settings, "/_edge/tenant_info");
  auto body = Get(client, request);
  if (!body.ok()) {
    return Status::InvalidArgument(
        "'" + settings.url +
        "' does not say its cloud id at /_edge/tenant_info, as every "
        "Atlassian Cloud site does (" +
        body.status().message() +
        "); --site must be the site's address, https://<site>.atlassian.net");
  }
  return WithUrl(ParseCloudId(*body), request.url);
}

// "Operations: 4 teams on call (6 schedules)", or why the Operations API may not be read.
Result<std::string> OperationsTeams(http::HttpClient& client, const ConnectionSettings& settings,
                                    const std::string& cloud_id) {
  std::vector<std::string> teams;
  std::size_t schedules = 0;
  std::int64_t offset = 0;
  for (int page = 0; page < kMaxListPages; ++page) {
    const http::HttpRequest request =
        OpsGet(settings, cloud_id, "/v1/schedules?size=100&offset=" + std::to_string(offset));
    LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, client.Send(request));
    if (response.status == 401 || response.status == 403) {
      return std::string(
          "no access to the Operations API (schedules, alerts): incidents are still read; give "
          "the account a Jira Service Management agent licence to see its teams");
    }
    LEADLINE_ASSIGN_OR_RETURN(const json body, JsonOf(response, request.url));
    LEADLINE_ASSIGN_OR_RETURN(const ParsedSchedules parsed,
                              WithUrl(ParseSchedulePage(body), request.url));
    schedules += parsed.schedules;
    for (const std::string& team : parsed.team_ids) {
      if (std::find(teams.begin(), teams.end(), team) == teams.end()) teams.push_back(team);
    }
    if (parsed.next.empty() || parsed.schedules == 0) break;
    offset += static_cast<std::int64_t>(parsed.schedules);
  }
  return "Operations: " + std::to_string(teams.size()) + " teams on call (" +
         std::to_string(schedules) + " schedules)";
}

}  // namespace

std::string SearchPath(const std::string& jql, int max_results,
                       const std::string& next_page_token) {
  std::string path = "/rest/api/3/search/jql?jql=" + http::EncodeQueryValue(jql) +
                     "&fields=" + http::EncodeQueryValue("*navigable") +
                     "&expand=names&maxResults=" + std::to_string(max_results);
  if (!next_page_token.empty()) {
    path += "&nextPageToken=" + http::EncodeQueryValue(next_page_token);
  }
  return path;
}

Result<std::vector<model::IncidentService>> Services(http::HttpClient& client,
                                                     const ConnectionSettings& settings) {
  std::vector<model::IncidentService> out;
  std::string token;
  for (int page = 0; page < kServicePages; ++page) {
    const http::HttpRequest request =
        SiteGet(settings,
                SearchPath(std::string(kIncidentJql) + " ORDER BY updated DESC", kPageSize, token));
    LEADLINE_ASSIGN_OR_RETURN(const json body, Get(client, request));
    LEADLINE_ASSIGN_OR_RETURN(ParsedSearch parsed,
                              WithUrl(ParseSearchPage(body, settings.url), request.url));
    for (model::IncidentService& service : parsed.services) {
      if (std::none_of(out.begin(), out.end(),
                       [&](const model::IncidentService& seen) { return seen.id == service.id; })) {
        out.push_back(std::move(service));
      }
    }
    if (parsed.next_page_token.empty() || parsed.next_page_token == token) break;
    token = parsed.next_page_token;
  }
  return out;
}

Result<std::vector<std::string>> Priorities(http::HttpClient& client,
                                            const ConnectionSettings& settings) {
  std::vector<std::string> out;
  for (int page = 0; page < kMaxListPages; ++page) {
    const http::HttpRequest request =
        SiteGet(settings,
                "/rest/api/3/priority/search?maxResults=50&startAt=" + std::to_string(out.size()));
    LEADLINE_ASSIGN_OR_RETURN(const json body, Get(client, request));
    LEADLINE_ASSIGN_OR_RETURN(ParsedPriorities parsed,
                              WithUrl(ParsePriorityPage(body), request.url));
    for (std::string& name : parsed.names) out.push_back(std::move(name));
    if (parsed.last || parsed.names.empty()) break;
  }
  return out;
}

Result<CheckReport> CheckJsm(http::HttpClient& client, const ConnectionSettings& settings) {
  if (settings.secret.empty()) return Status::InvalidArgument("the Atlassian API token is empty");
  LEADLINE_ASSIGN_OR_RETURN(const std::string cloud_id, CloudId(client, settings));
  CheckReport report;
  const http::HttpRequest myself = SiteGet(settings, "/rest/api/3/myself");
  LEADLINE_ASSIGN_OR_RETURN(const json me, Get(client, myself));
  LEADLINE_ASSIGN_OR_RETURN(report.user, WithUrl(ParseMyself(me), myself.url));
  const http::HttpRequest search = SiteGet(settings, SearchPath(kIncidentJql, 1, ""));
  LEADLINE_ASSIGN_OR_RETURN(const json found, Get(client, search));
  LEADLINE_RETURN_IF_ERROR(WithUrl(ParseSearchPage(found, settings.url), search.url).status());
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::IncidentService> services,
                            Services(client, settings));
  report.repositories = static_cast<std::int64_t>(services.size());
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<std::string> priorities,
                            Priorities(client, settings));
  report.notes.push_back("reads incidents (work items of type Incident) and priorities");
  LEADLINE_ASSIGN_OR_RETURN(std::string operations, OperationsTeams(client, settings, cloud_id));
  report.notes.push_back(std::move(operations));
  std::string names;
  for (const std::string& name : priorities) names += (names.empty() ? "" : " ") + name;
  report.notes.push_back(names.empty() ? "no priorities" : "priorities " + names);
  return report;
}

}  // namespace leadline::sources::jsm
