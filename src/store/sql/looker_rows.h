// The SQL of the Looker connection (store::LookerConnection, store/analytics.h) over a
// connection, written once for every engine: the table `looker_connection` holds one row at
// most. Not thread-safe, like the connection.
#pragma once

#include <optional>
#include <string>

#include "store/sql/connection.h"
#include "store/tables/analytics.h"

namespace leadline::store::sql {

Status SaveLookerConnection(Connection& db, const LookerConnection& connection);
Result<std::optional<LookerConnection>> LoadLookerConnection(Connection& db);
Status RecordLookerTrigger(Connection& db, common::UnixSeconds at, const std::string& outcome);

}  // namespace leadline::store::sql
