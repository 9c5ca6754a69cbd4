// Incidents in SQLite: free functions over a Database, so that SqliteStore stays a thin
// dispatcher.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/incident.h"
#include "store/sqlite/sqlite_db.h"

namespace leadline::store::sqlite {

// Inserts new incidents and updates changed ones (by source and id); returns how many rows
// changed.
Result<std::int64_t> UpsertIncidents(Database& db, const std::vector<model::Incident>& incidents);
// The incident `source` reported as `id`, if stored.
Result<std::optional<model::Incident>> FindIncident(Database& db, const std::string& source,
                                                    const std::string& id);
// All incidents, oldest first.
Result<std::vector<model::Incident>> LoadIncidents(Database& db);

}  // namespace leadline::store::sqlite
