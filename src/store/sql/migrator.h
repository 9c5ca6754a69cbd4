// Applies an engine's migrations (store/migrations.h) over the SQL seam, and reads the schema
// version. Each migration runs in its own transaction; on PostgreSQL the transaction first takes
// an advisory lock, so that servers starting together apply each migration once. Not
// thread-safe, like the connection.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "store/migrations.h"
#include "store/sql/connection.h"

namespace leadline::store::sql {

// The highest version applied; 0 for an empty database.
Result<int> SchemaVersion(Connection& db);

// Applies the migrations newer than the database's version; returns those applied, oldest
// first. A database newer than `migrations` is refused; `where` names it in that error (never a
// secret: the caller redacts URLs).
Result<std::vector<Migration>> Migrate(Connection& db, std::span<const Migration> migrations,
                                       const std::string& where);

}  // namespace leadline::store::sql
