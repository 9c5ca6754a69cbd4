// Parsers of Opsgenie answers (reference: upstream-apis.md section 5 and the Opsgenie OpenAPI
// spec): the incident listing (`GET /v1/incidents/`: BaseIncident in a {"data", "paging"}
// envelope), the teams (`GET /v2/teams`) and the account (`GET /v2/account`). Pure functions
// over JSON; errors name the field. Thread-safe.
//
// An incident is read as:
//  - service: its owner team (`ownerTeam`), the team's id; "" when it has none (it then counts
//    nowhere);
//  - severity: its priority ("P1".."P5");
//  - started: createdAt; resolved: updatedAt while its status is resolved or closed (Opsgenie's
//    incident carries no resolution time of its own); a re-opened incident is open again;
//  - left out: a test incident, tagged "test" or titled "[TEST] ..." / "test: ...";
//  - the change that caused it: a "Deployment" or "Commit" extra property, or a commit link in
//    its message or an extra property (sources/contract/incident_references.h).
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "model/incident.h"
#include "model/incident_service.h"

namespace leadline::sources::opsgenie {

inline constexpr char kSource[] = "opsgenie";

struct ParsedIncidents {
  std::vector<model::Incident> incidents;  // in the listing's order, tests left out
  std::size_t left_out = 0;
  std::size_t read = 0;  // every incident of the page, tests too
  // createdAt of the page's oldest incident (tests too); 0 for an empty page.
  common::UnixSeconds oldest_created_at = 0;
  bool more = false;  // paging.next is given
};
// A page of `GET /v1/incidents/`.
common::Result<ParsedIncidents> ParseIncidentPage(const nlohmann::json& page);

// `GET /v2/teams`: every team, with id and name.
common::Result<std::vector<model::IncidentService>> ParseTeams(const nlohmann::json& body);

// `GET /v2/account`: "the API key of account acme (plan Standard)".
common::Result<std::string> ParseAccount(const nlohmann::json& body);

}  // namespace leadline::sources::opsgenie
