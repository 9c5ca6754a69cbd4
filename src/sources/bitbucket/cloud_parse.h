// Pure functions from Bitbucket Cloud REST 2.0 objects (one element of a page's `values`, or the
// object a webhook embeds) to model values. They accept what real payloads do: null and missing
// optional fields, 12-character commit hashes, braced uuids (kept as given), non-ASCII text,
// fractional seconds with offsets. Errors name the field by its path inside the object; callers
// add the repository and URL (Status::WithContext). No state: thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>

#include "common/status.h"
#include "model/pipeline.h"
#include "model/pull_request.h"
#include "model/repository.h"

namespace leadline::sources::bitbucket {

// GET /repositories/{workspace}/{slug}: location is the full name "workspace/slug".
common::Result<model::Repository> ParseCloudRepository(const nlohmann::json& payload);

// GET .../pullrequests (any state).
common::Result<model::PullRequest> ParseCloudPullRequest(const nlohmann::json& payload);

// GET .../pullrequests/{pr_number}/commits: the commit does not name its pull request.
common::Result<model::PullRequestCommit> ParseCloudPullRequestCommit(const nlohmann::json& payload,
                                                                     std::int64_t pr_number);

// GET .../pullrequests/{id}/activity: an entry holding a comment, an update, an approval or a
// request for changes; nullopt for Leadline's own feedback comment (engine::IsFeedbackComment),
// which is no review.
common::Result<std::optional<model::PullRequestActivity>> ParseCloudActivity(
    const nlohmann::json& payload);

// GET .../pullrequests/{id}/comments: a comment, as a kComment activity (nullopt as above).
common::Result<std::optional<model::PullRequestActivity>> ParseCloudPullRequestComment(
    const nlohmann::json& payload);

// GET .../pipelines. Besides the documented state names (PENDING, IN_PROGRESS, COMPLETED) and
// result names (SUCCESSFUL, FAILED, ERROR, STOPPED, EXPIRED), both the state and the result may
// carry any word of Bitbucket's flat pipeline vocabulary (PASSED, RUNNING, PAUSED, HALTED, ...);
// a word that names a result implies kCompleted.
common::Result<model::Pipeline> ParseCloudPipeline(const nlohmann::json& payload);

// GET .../environments.
common::Result<model::Environment> ParseCloudEnvironment(const nlohmann::json& payload);

// GET .../deployments. The state's times are read from started_on/completed_on (what the API
// returns) or start_date/completion_date (what its spec documents).
common::Result<model::PlatformDeployment> ParseCloudDeployment(const nlohmann::json& payload);

}  // namespace leadline::sources::bitbucket
