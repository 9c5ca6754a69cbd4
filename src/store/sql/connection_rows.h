// The connections table (store/tables/connections.h): connections with their sealed secrets,
// the last check's outcome and the webhook secret. Free functions over a connection, written once
// for every engine; the request budget is in request_budget_rows.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/connection.h"
#include "store/sql/connection.h"

namespace leadline::store::sql {

Result<std::int64_t> UpsertConnection(Connection& db, const model::Connection& c);
Result<std::vector<model::Connection>> LoadConnections(Connection& db);
Status RecordConnectionCheck(Connection& db, std::int64_t connection_id, common::UnixSeconds at,
                             const std::string& outcome);
Status SetWebhookSecret(Connection& db, std::int64_t connection_id, const std::string& sealed);
Result<std::string> LoadWebhookSecret(Connection& db, std::int64_t connection_id);

}  // namespace leadline::store::sql
