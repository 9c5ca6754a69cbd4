// The repositories table and the sync cursors kept per repository (store/tables/repositories.h,
// store/tables/sync_cursors.h): free functions over a connection, written once for every engine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/repository.h"
#include "store/sql/connection.h"

namespace leadline::store::sql {

Result<std::optional<model::Repository>> FindRepository(Connection& db, const std::string& source,
                                                        const std::string& location);
Result<std::int64_t> UpsertRepository(Connection& db, const model::Repository& repo);
Result<std::vector<model::Repository>> LoadConnectedRepositories(Connection& db);
Status SetVisible(Connection& db, std::int64_t repo_id, bool visible);
Status SetSyncedAt(Connection& db, std::int64_t repo_id, common::UnixSeconds at);
Status SetWebhookId(Connection& db, std::int64_t repo_id, const std::string& webhook_id);
Status SetSelected(Connection& db, std::int64_t repo_id, bool selected);
Result<std::string> LoadCursor(Connection& db, std::int64_t repo_id, const std::string& entity);
Status SaveCursor(Connection& db, std::int64_t repo_id, const std::string& entity,
                  const std::string& cursor);

}  // namespace leadline::store::sql
