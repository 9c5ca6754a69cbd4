// An incident tool's service (a PagerDuty service) as Leadline keeps it: which connection listed
// it, its id and name there, and the repositories its incidents count against. Plain values;
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace leadline::model {

struct IncidentService {
  std::int64_t connection_id = 0;
  std::string id;    // the tool's id ("PSVC1"); incidents name their service by it
  std::string name;  // as the tool's last listing named it
  // An fnmatch pattern over repository locations ("acme/api", "acme/platform/*"); empty while the
  // service is unmapped, when its incidents count against no repository.
  std::string repos;

  bool operator==(const IncidentService&) const = default;
};

// How an incident connection decides what counts, and where its sync stands.
struct IncidentConnectionState {
  std::int64_t connection_id = 0;
  // Severities that count, compared without case: priorities ("P1") or urgencies ("high").
  std::vector<std::string> counts;
  std::string cursor;  // the sync's cursor (ingest/incident_sync.h); empty before the first

  bool operator==(const IncidentConnectionState&) const = default;
};

}  // namespace leadline::model
