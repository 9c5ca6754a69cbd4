// Parsers of incident.io API answers (reference: upstream-apis.md section 6): the incident listing
// (`GET /v2/incidents`), severities (`GET /v1/severities`), custom fields (`GET /v2/custom_fields`)
// and catalog entries (`GET /v2/catalog_entries`), and the cursor paging they share
// (`pagination_meta.after`, absent on the last page). Pure functions over JSON; errors name the
// field. Thread-safe.
//
// An incident is read as:
//  - service: the first value of its "affected services" custom field (a custom field whose name
//    holds "service", without case): the catalog entry's id, or the option's id for a select
//    field; "" when it has none (it then counts nowhere);
//  - severity: its severity's name ("SEV1"); "" when it has none;
//  - started: the "Impact started" timestamp, else "Reported at" / "Declared at", else
//    created_at; acknowledged: "Accepted at"; resolved: "Resolved at", else "Closed at", else
//    updated_at, and only while its status is in a closed category (learning, closed): an
//    incident re-opened to live keeps its old "Resolved at" value but is open again;
//  - left out: test and tutorial incidents (mode), and ones declined, merged into another or
//    canceled (they were never incidents).
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/incident.h"
#include "model/incident_service.h"

namespace leadline::sources::incidentio {

inline constexpr char kSource[] = "incidentio";

bool IsServiceField(std::string_view custom_field_name);

struct ParsedIncidents {
  std::vector<model::Incident> incidents;  // in the listing's order, left-out ones removed
  std::size_t left_out = 0;
  std::string after;  // pagination_meta.after: the next page's cursor; "" on the last page
};

// A page of `GET /v2/incidents`.
common::Result<ParsedIncidents> ParseIncidentPage(const nlohmann::json& page);

struct Severity {
  std::string id;
  std::string name;
  std::int64_t rank = 0;  // higher is more severe
};
// `GET /v1/severities`, most severe first.
common::Result<std::vector<Severity>> ParseSeverities(const nlohmann::json& body);
// The names of the two most severe.
std::vector<std::string> DefaultCountsFor(const std::vector<Severity>& severities);

// The catalog types of the service custom fields in `GET /v2/custom_fields`, in its order.
common::Result<std::vector<std::string>> ParseServiceCatalogTypes(const nlohmann::json& body);

struct ParsedServices {
  std::vector<model::IncidentService> services;
  std::string after;  // "" on the last page
};
// A page of `GET /v2/catalog_entries`.
common::Result<ParsedServices> ParseCatalogEntries(const nlohmann::json& page);

}  // namespace leadline::sources::incidentio
