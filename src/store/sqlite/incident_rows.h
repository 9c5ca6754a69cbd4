// Incidents in SQLite: free functions over a Database, so that SqliteStore stays a thin
// dispatcher.
#pragma once

#include <cstdint>
#include <vector>

#include "model/incident.h"
#include "store/sqlite/sqlite_db.h"

namespace leadline::store::sqlite {

// Inserts new incidents and updates changed ones (by id); returns how many rows changed.
Result<std::int64_t> UpsertIncidents(Database& db, const std::vector<model::Incident>& incidents);
// All incidents, oldest first.
Result<std::vector<model::Incident>> LoadIncidents(Database& db);

}  // namespace leadline::store::sqlite
