// Pure functions from GitLab REST v4 objects (one element of a listing, or a single object) to
// model values. GitLab's REST timestamps are ISO 8601 UTC with milliseconds
// ("2017-04-29T08:46:00.000Z"); webhook payloads use "2025-01-02 03:04:05 UTC" instead. Ids are
// numbers in the API and become decimal strings in the model (PlatformUser::id, Pipeline::uuid,
// Environment::uuid, PlatformDeployment::uuid). Errors name the field by its path inside the
// object ("author.id"); callers add the project and URL. No state: thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "http/http_client.h"
#include "model/pipeline.h"
#include "model/pull_request.h"
#include "model/repository.h"

namespace leadline::sources::gitlab {

// GET /version: {"version": "17.4.1-ee", "revision": "..."}.
common::Result<std::string> ParseVersion(const nlohmann::json& payload);

// GET /user: who the token is ("ann" for people; project and group access tokens are bot users,
// "project_15_bot_..." with "bot": true).
struct TokenUser {
  std::int64_t id = 0;
  std::string username;
  std::string name;
  bool bot = false;
};
common::Result<TokenUser> ParseUser(const nlohmann::json& payload);

// GET /personal_access_tokens/self (any token kind): its name, scopes ("read_api", "api", ...)
// and expiry (a date, "2027-01-31"; empty when it never expires), and whether it is active.
struct TokenInfo {
  std::string name;
  std::vector<std::string> scopes;
  std::string expires_at;  // as given, a date
  bool active = true;
  bool revoked = false;
};
common::Result<TokenInfo> ParseTokenInfo(const nlohmann::json& payload);

// GET /projects and GET /projects/:id: source "gitlab", location the path_with_namespace
// ("group/subgroup/project"), name the project's `path`, clone_url `http_url_to_repo`,
// default_branch (empty for an empty project). `archived` projects still parse.
struct Project {
  std::int64_t id = 0;  // GitLab's project id: what API paths use
  model::Repository repository;
  bool archived = false;
};
common::Result<Project> ParseProject(const nlohmann::json& payload);

// GET /projects/:id/merge_requests (state=all). number = iid; state: opened and locked -> kOpen,
// merged -> kMerged, closed -> kDeclined; author = author.{id,name}; source_commit = sha;
// target_commit empty (GitLab's list has no target head); merge_commit: squash_commit_sha when the
// merge request was squashed and GitLab names it, else merge_commit_sha, else (a fast-forward or
// rebase merge) sha; target_commit = diff_refs.base_sha, which only a merge request's own GET
// (GET /projects/:id/merge_requests/:iid) has, else empty; closed_at = merged_at or closed_at;
// closed_by = merge_user (or the older merged_by) id for merged ones, closed_by id for closed ones;
// comment_count = user_notes_count; draft = draft (or the older work_in_progress). A merge request
// from a fork (source_project_id != target_project_id) parses like any other.
common::Result<model::PullRequest> ParseMergeRequest(const nlohmann::json& payload);

// GET /projects/:id/merge_requests/:iid/notes, one note, as the review activity it is:
//  - a person's note (system false) -> kComment;
//  - system notes that record review: "approved this merge request" -> kApproval,
//    "requested changes" -> kChangesRequested; "merged" -> kUpdate with new_state kMerged,
//    "closed" -> kUpdate kDeclined, "reopened" -> kUpdate kOpen;
//  - every other system note (pushes, label changes, "unapproved this merge request", ...) is not
//    review activity: nullopt.
// upstream_id = the note's id; actor_id = author.id; at = created_at.
common::Result<std::optional<model::PullRequestActivity>> ParseNote(const nlohmann::json& payload,
                                                                    std::int64_t mr_iid);

// GET /projects/:id/pipelines. uuid = id; build_number = iid; ref_name = ref; commit_sha = sha;
// status: created, waiting_for_resource, preparing, pending, scheduled -> kPending; running,
// canceling (GitLab 16.x and later, while jobs stop) -> kInProgress; manual -> kPaused (waits for
// a person); success -> kCompleted/kSuccessful; failed -> kCompleted/kFailed; canceled, skipped ->
// kCompleted/kStopped. created_at; completed_at = finished_at when given, else updated_at of a
// completed pipeline; duration_s = duration when given.
common::Result<model::Pipeline> ParsePipeline(const nlohmann::json& payload);

// GET /projects/:id/environments. uuid = id; type from `tier`: production -> kProduction,
// staging -> kStaging, testing, development, other -> kTest; an environment without a tier (before
// GitLab 13.10) is typed from its name as GitLab guesses it (production/prod/live -> kProduction,
// staging/stage/pre/model -> kStaging, else kTest), and `tier_missing` says so (a doctor finding).
struct ParsedEnvironment {
  model::Environment environment;
  bool tier_missing = false;
};
common::Result<ParsedEnvironment> ParseEnvironment(const nlohmann::json& payload);

// GET /projects/:id/deployments. uuid = id; environment_uuid and environment_name from
// environment.{id,name} (the listing has no tier: environment_type stays empty, the environments
// listing supplies it); provider kGitLab; status: created, blocked -> kPending; running ->
// kInProgress; success, failed, canceled, skipped -> kCompleted with the outcome kSuccessful,
// kFailed, kStopped, kStopped (as Bitbucket Cloud's records). commit_sha = sha; started_at =
// deployable.started_at, else created_at; completed_at = deployable.finished_at, else updated_at
// for a finished one (success, failed, canceled); release_name = "#<iid>".
common::Result<model::PlatformDeployment> ParseDeployment(const nlohmann::json& payload);

// Offset and keyset paging: the next page's URL from the `Link` header's rel="next", else from
// `x-next-page` (a page number put into `url`); nullopt on the last page. Never from x-total,
// which GitLab leaves out beyond 10,000 rows.
std::optional<std::string> NextPageUrl(const http::HttpResponse& response, const std::string& url);

}  // namespace leadline::sources::gitlab
