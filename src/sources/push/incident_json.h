// Incidents as JSON, the shape `leadline incidents import` reads and `POST /v1/incidents`
// accepts:
//
//   {"id": "INC-42", "service": "api", "severity": "P1", "title": "Checkout fails",
//    "started_at": "2024-03-05T10:40:00Z", "resolved_at": "2024-03-05T11:10:00Z",
//    "repository": "acme/api", "deployment": "#186", "commit": "3f2a9c1e7b04",
//    "acknowledged_at": "2024-03-05T10:45:00Z", "link": "https://status.example.com/INC-42"}
//
// id, severity and started_at are required, and service or repository; resolved_at is null or
// absent while the incident is open; acknowledged_at and link (an http(s) URL) are optional. Text
// fields are at most kMaxIdentifierBytes (the title kMaxTitleBytes) and hold no control characters.
// A document is one incident, an array of at least one and at most `max_items`, or {"incidents":
// [...]}. Every bad field is reported, each with where it is. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/incident.h"
#include "sources/push/field_error.h"
#include "sources/push/push_limits.h"

namespace leadline::sources {

// The incidents of `json`, and every problem found; the incidents are complete only when there
// are no errors.
struct ParsedIncidents {
  std::vector<model::Incident> incidents;
  std::vector<FieldError> errors;
};
ParsedIncidents ReadIncidents(std::string_view json, const std::string& source,
                              std::size_t max_items);

// `source` is recorded on each incident ("import", "api"). On bad input the error's message
// lists every problem, one per line: "incidents[2].started_at: ...".
common::Result<std::vector<model::Incident>> ParseIncidents(std::string_view json,
                                                            const std::string& source,
                                                            std::size_t max_items);

}  // namespace leadline::sources
