// The SQL of store::Analytics (store/analytics.h) over a connection, written once for every
// engine: the analytics tables' rows written and read by their column descriptions, each scope's
// digest, and the refreshes. Not thread-safe, like the connection.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "store/sql/connection.h"
#include "store/tables/analytics.h"

namespace leadline::store::sql {

Result<std::map<std::string, std::string>> LoadAnalyticsDigests(Connection& db);
// PostgreSQL: a lock on the digests table that refreshes take in turn; its later statements then
// see what an earlier refresh committed. SQLite: nothing (its write transaction is exclusive).
Status LockAnalyticsForRefresh(Connection& db);
Status DeleteAnalyticsScope(Connection& db, const AnalyticsScope& scope);
// Checks every row against the table's columns first: nothing is written when one does not fit.
Status InsertAnalyticsRows(Connection& db, const AnalyticsTable& table,
                           std::span<const AnalyticsRow> rows);
Status SetAnalyticsDigest(Connection& db, const AnalyticsScope& scope, const std::string& digest);
Status RecordAnalyticsRefresh(Connection& db, const AnalyticsRefreshRecord& record);
Result<std::optional<AnalyticsRefreshRecord>> LastAnalyticsRefresh(Connection& db);
Result<std::vector<AnalyticsRow>> ReadAnalyticsRows(Connection& db, const AnalyticsTable& table,
                                                    const AnalyticsFilter& filter);

}  // namespace leadline::store::sql
