// Incidents: free functions over a connection, written once for every engine, so that the store
// stays a thin dispatcher.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/incident.h"
#include "store/sql/connection.h"

namespace leadline::store::sql {

// Inserts new incidents and updates changed ones (by source and id); returns how many rows
// changed.
Result<std::int64_t> UpsertIncidents(Connection& db, const std::vector<model::Incident>& incidents);
// The incident `source` reported as `id`, if stored.
Result<std::optional<model::Incident>> FindIncident(Connection& db, const std::string& source,
                                                    const std::string& id);
// All incidents, oldest first.
Result<std::vector<model::Incident>> LoadIncidents(Connection& db);

}  // namespace leadline::store::sql
