// The pull requests table (store/tables/pull_requests.h): pull requests with their sizes and
// branch commits. Free functions over a connection, written once for every engine; their
// activity is in platform_rows.h.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "model/pull_request.h"
#include "store/sql/connection.h"

namespace leadline::store::sql {

Result<std::int64_t> UpsertPullRequests(Connection& db, std::int64_t repo_id,
                                        const std::vector<model::PullRequest>& prs);
Result<std::vector<model::PullRequest>> LoadPullRequests(Connection& db, std::int64_t repo_id);
Status SetPullRequestSizes(Connection& db, std::int64_t repo_id,
                           const std::vector<std::pair<std::int64_t, model::DiffStats>>& sizes);
Status SetPullRequestBranchCommits(
    Connection& db, std::int64_t repo_id,
    const std::vector<std::pair<std::int64_t, model::BranchCommits>>& commits);

}  // namespace leadline::store::sql
