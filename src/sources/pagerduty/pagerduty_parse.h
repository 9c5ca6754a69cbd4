// Parsers of PagerDuty REST API v2 answers (reference: upstream-apis.md section 4): the incident
// listing (`GET /incidents`), the service listing (`GET /services`) and the classic paging
// envelope both share ({"limit", "offset", "more", "total"}). Pure functions over JSON; errors
// name the field. Thread-safe.
//
// An incident's severity is its priority's name ("P1") where it has a priority, else its urgency
// ("high", "low"): accounts without priorities only have urgencies. Its acknowledgement is the
// earliest of its current acknowledgements (PagerDuty clears them when it resolves). A test
// incident, left out of every count, is one whose title starts with "[test]" or "test:"
// (without case): PagerDuty has no flag for them, and teams mark them so.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/incident.h"
#include "model/incident_service.h"

namespace leadline::sources::pagerduty {

inline constexpr char kSource[] = "pagerduty";

// The classic paging envelope.
struct Paging {
  std::int64_t offset = 0;
  std::int64_t limit = 0;
  bool more = false;
};

struct ParsedIncidents {
  std::vector<model::Incident> incidents;  // in the listing's order, tests left out
  std::size_t tests_left_out = 0;
  Paging paging;
  // created_at of the listing's last incident (tests too); 0 for an empty page.
  std::int64_t last_created_at = 0;
};

bool IsTestIncident(std::string_view title);

// One incident object of the REST API, keyed by source "pagerduty" and its id.
common::Result<model::Incident> ParseIncident(const nlohmann::json& incident);
// A page of `GET /incidents`.
common::Result<ParsedIncidents> ParseIncidentPage(const nlohmann::json& page);

// `GET /incidents/{id}/custom_fields/values`: fills the incident's deployment or commit where a
// field names one (sources/contract/incident_references.h). Values of several kinds (a text,
// a list of texts for multi-value fields) are read as texts; other kinds are passed over.
common::Status ReadCustomFieldValues(const nlohmann::json& body, model::Incident& incident);

// `GET /incidents/custom_fields`: the defined fields' names and display names.
common::Result<std::vector<std::string>> ParseCustomFieldNames(const nlohmann::json& body);

struct ParsedServices {
  std::vector<model::IncidentService> services;
  Paging paging;
};
// A page of `GET /services`.
common::Result<ParsedServices> ParseServicePage(const nlohmann::json& page);

}  // namespace leadline::sources::pagerduty
