// Incident tools' services, their mappings to repositories, and each incident connection's
// counted severities and sync cursor: free functions over a connection, written once for every
// engine, so that the store stays a thin dispatcher. Not thread-safe, like the connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/incident_service.h"
#include "store/sql/connection.h"

namespace leadline::store::sql {

// Records the services a listing named (by connection and id), renaming known ones and keeping
// their mappings; services the listing no longer names are kept, so are their mappings.
Status UpsertIncidentServices(Connection& db, std::int64_t connection_id,
                              const std::vector<model::IncidentService>& services);
// The services of one connection, or of every connection when `connection_id` is 0; ordered by
// connection, then name.
Result<std::vector<model::IncidentService>> LoadIncidentServices(Connection& db,
                                                                 std::int64_t connection_id);
// Sets the repositories a service's incidents count against ('' unmaps it); false when the
// connection has no such service.
Result<bool> MapIncidentService(Connection& db, std::int64_t connection_id,
                                const std::string& service_id, const std::string& repos);

// The connection's counted severities and cursor; nullopt before its first connect stored them.
Result<std::optional<model::IncidentConnectionState>> LoadIncidentConnection(
    Connection& db, std::int64_t connection_id);
// Stores the counted severities, keeping the cursor.
Status SaveIncidentCounts(Connection& db, std::int64_t connection_id,
                          const std::vector<std::string>& counts);
// Stores the cursor; the connection's counts must have been saved.
Status SaveIncidentCursor(Connection& db, std::int64_t connection_id, const std::string& cursor);

}  // namespace leadline::store::sql
