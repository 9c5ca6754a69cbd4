// A repository's history (store/tables/history.h): commits, refs, deployments and deployment
// changes. Free functions over a connection, written once for every engine.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/deployment.h"
#include "model/repository.h"
#include "store/sql/connection.h"
#include "store/tables/history.h"

namespace leadline::store::sql {

Result<std::int64_t> CountCommits(Connection& db, std::int64_t repo_id);
Result<std::int64_t> InsertCommits(Connection& db, std::int64_t repo_id,
                                   const std::vector<model::Commit>& commits);
Result<std::string> LoadHistoryVersion(Connection& db, std::int64_t repo_id);
Result<std::vector<std::string>> LoadCommitShas(Connection& db, std::int64_t repo_id);
Status ForEachCommit(Connection& db, std::int64_t repo_id,
                     const std::function<void(const CommitView&)>& visit);
Result<std::vector<model::Ref>> LoadRefs(Connection& db, std::int64_t repo_id);
Status ReplaceRefs(Connection& db, std::int64_t repo_id, const std::vector<model::Ref>& refs);
Result<std::vector<model::Deployment>> LoadDeployments(Connection& db, std::int64_t repo_id);
Result<bool> ReplaceDeployments(Connection& db, std::int64_t repo_id,
                                const std::vector<model::Deployment>& deployments);
Status ReplaceDeploymentChanges(Connection& db, std::int64_t repo_id,
                                const std::vector<model::DeploymentChange>& changes,
                                const std::string& basis);
Result<std::string> DeploymentChangesBasis(Connection& db, std::int64_t repo_id);

}  // namespace leadline::store::sql
