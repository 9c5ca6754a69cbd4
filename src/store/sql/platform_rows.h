// Rows the code host reports beside pull requests: their activity, pipelines, environments and
// deployments. Free functions over a connection, written once for every engine.
#pragma once

#include <cstdint>
#include <vector>

#include "model/pipeline.h"
#include "model/pull_request.h"
#include "store/sql/connection.h"

namespace leadline::store::sql {

Result<std::int64_t> InsertPullRequestActivity(
    Connection& db, std::int64_t repo_id, const std::vector<model::PullRequestActivity>& activity);
Result<std::vector<model::PullRequestActivity>> LoadPullRequestActivity(Connection& db,
                                                                        std::int64_t repo_id);

Result<std::int64_t> UpsertPipelines(Connection& db, std::int64_t repo_id,
                                     const std::vector<model::Pipeline>& pipelines);
Result<std::vector<model::Pipeline>> LoadPipelines(Connection& db, std::int64_t repo_id);

Status UpsertEnvironments(Connection& db, std::int64_t repo_id,
                          const std::vector<model::Environment>& environments);
Result<std::vector<model::Environment>> LoadEnvironments(Connection& db, std::int64_t repo_id);

Result<std::int64_t> UpsertPlatformDeployments(
    Connection& db, std::int64_t repo_id,
    const std::vector<model::PlatformDeployment>& deployments);
Result<std::vector<model::PlatformDeployment>> LoadPlatformDeployments(Connection& db,
                                                                       std::int64_t repo_id);

}  // namespace leadline::store::sql
