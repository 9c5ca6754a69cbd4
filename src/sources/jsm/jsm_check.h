// The Jira Service Management connection check and the listings it shares with the connector:
// the site's cloud id (`/_edge/tenant_info`; a site that has none is not an Atlassian Cloud
// site), who the token is (`/rest/api/3/myself`), whether it may search incidents
// (`/rest/api/3/search/jql`), its services (the "Affected services" the newest incidents name:
// Jira lists no services of its own), the priorities (`/rest/api/3/priority/search`, which decide
// what counts by default) and the Operations teams it sees (the owner teams of the Operations
// API's schedules; an account without Operations access is told so, not refused: incidents are
// read from Jira). Stateless; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "http/http_client.h"
#include "model/incident_service.h"
#include "sources/contract/connection_settings.h"
#include "sources/contract/connector.h"

namespace leadline::sources::jsm {

// Incidents are the work items of this type.
inline constexpr char kIncidentJql[] = "issuetype = Incident";
inline constexpr int kPageSize = 100;
// Services are read from the newest this many pages of incidents.
inline constexpr int kServicePages = 5;

common::Result<CheckReport> CheckJsm(http::HttpClient& client, const ConnectionSettings& settings);

// The services the newest incidents name, each once.
common::Result<std::vector<model::IncidentService>> Services(http::HttpClient& client,
                                                             const ConnectionSettings& settings);

// The priorities, most severe first.
common::Result<std::vector<std::string>> Priorities(http::HttpClient& client,
                                                    const ConnectionSettings& settings);

// The search path of one page: `jql` with every navigable field and their names, from
// `next_page_token` ("" for the first page).
std::string SearchPath(const std::string& jql, int max_results, const std::string& next_page_token);

}  // namespace leadline::sources::jsm
