// Pure functions from Bitbucket Data Center / Server REST 1.0 objects (one element of a page's
// `values`) to model values. Times arrive as integers of epoch milliseconds and are floored to
// seconds; users are identified by their slug. Errors name the field by its path inside the
// object; callers add the repository and URL (Status::WithContext). No state: thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/status.h"
#include "model/pipeline.h"
#include "model/pull_request.h"
#include "model/repository.h"

namespace leadline::sources::bitbucket {

// GET /rest/api/1.0/projects/{key}/repos/{slug}/pull-requests?state=ALL.
// A repository of /rest/api/1.0/repos: location "PROJECT_KEY/slug". Data Center lists no default
// branch there, so it is left empty.
common::Result<model::Repository> ParseDcRepository(const nlohmann::json& payload);

common::Result<model::PullRequest> ParseDcPullRequest(const nlohmann::json& payload);

// GET .../pull-requests/{pr_number}/commits: the commit does not name its pull request.
common::Result<model::PullRequestCommit> ParseDcPullRequestCommit(const nlohmann::json& payload,
                                                                  std::int64_t pr_number);

// GET .../pull-requests/{pr_number}/activities. COMMENTED, APPROVED and REVIEWED (a reviewer
// marked it "needs work") become kComment, kApproval and kChangesRequested; OPENED, REOPENED,
// MERGED, DECLINED, UPDATED and RESCOPED become kUpdate. The other documented actions
// (UNAPPROVED, DELETED, REVIEW_COMMENTED, REVIEW_DISCARDED, REVIEW_FINISHED, AUTO_MERGE_REQUESTED,
// AUTO_MERGE_CANCELLED) give nullopt; an undocumented action is an error.
common::Result<std::optional<model::PullRequestActivity>> ParseDcActivity(
    const nlohmann::json& payload, std::int64_t pr_number);

// GET /rest/build-status/1.0/commits/{commit}: one build status of `commit_sha`, as a pipeline
// whose uuid is "<key>@<commit>" (a key names a build plan, the same on every commit).
// INPROGRESS is kInProgress; SUCCESSFUL, FAILED and CANCELLED complete it as kSuccessful, kFailed
// and kStopped; UNKNOWN is kPending. The time is `createdDate` (`dateAdded` on servers
// before 7.14).
common::Result<model::Pipeline> ParseDcBuildStatus(const nlohmann::json& payload,
                                                   const std::string& commit_sha);

}  // namespace leadline::sources::bitbucket
