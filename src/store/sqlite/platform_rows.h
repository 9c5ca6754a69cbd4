// Rows the code host reports beside pull requests: their activity, pipelines, environments and
// deployments. Free functions over a Database, so that SqliteStore stays a thin dispatcher.
#pragma once

#include <cstdint>
#include <vector>

#include "model/pipeline.h"
#include "model/pull_request.h"
#include "store/sqlite/sqlite_db.h"

namespace leadline::store::sqlite {

Result<std::int64_t> InsertPullRequestActivity(
    Database& db, std::int64_t repo_id, const std::vector<model::PullRequestActivity>& activity);
Result<std::vector<model::PullRequestActivity>> LoadPullRequestActivity(Database& db,
                                                                        std::int64_t repo_id);

Result<std::int64_t> UpsertPipelines(Database& db, std::int64_t repo_id,
                                     const std::vector<model::Pipeline>& pipelines);
Result<std::vector<model::Pipeline>> LoadPipelines(Database& db, std::int64_t repo_id);

Status UpsertEnvironments(Database& db, std::int64_t repo_id,
                          const std::vector<model::Environment>& environments);
Result<std::vector<model::Environment>> LoadEnvironments(Database& db, std::int64_t repo_id);

Result<std::int64_t> UpsertPlatformDeployments(
    Database& db, std::int64_t repo_id, const std::vector<model::PlatformDeployment>& deployments);
Result<std::vector<model::PlatformDeployment>> LoadPlatformDeployments(Database& db,
                                                                       std::int64_t repo_id);

}  // namespace leadline::store::sqlite
