// The Opsgenie connection check and the listings it shares with the connector: whose key it is
// (`GET /v2/account`: the account's name and plan), whether it may read incidents
// (`GET /v1/incidents/`), and its teams (`GET /v2/teams`), which own incidents and are what
// Leadline maps to repositories. Every check repeats when Opsgenie's API ends. Stateless;
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "http/http_client.h"
#include "model/incident_service.h"
#include "sources/contract/connection_settings.h"
#include "sources/contract/connector.h"

namespace leadline::sources::opsgenie {

inline constexpr std::int64_t kPageSize = 100;  // the most `limit` takes
// The listing's query: every incident, whatever its status (the parameter is required).
inline constexpr char kEveryIncident[] = "status:open OR status:resolved OR status:closed";

common::Result<CheckReport> CheckOpsgenie(http::HttpClient& client,
                                          const ConnectionSettings& settings);

// Every team, with id and name.
common::Result<std::vector<model::IncidentService>> Teams(http::HttpClient& client,
                                                          const ConnectionSettings& settings);

// "/v1/incidents/?query=...": `limit` incidents from `offset`, newest created first.
std::string IncidentsPath(std::int64_t offset, std::int64_t limit);

}  // namespace leadline::sources::opsgenie
