#include "sources/bitbucket/cloud_parse.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/json/json_object.h"
#include "engine/pr_feedback.h"
#include "model/connection.h"
#include "sources/bitbucket/clone_url.h"

namespace leadline::sources::bitbucket {
namespace {

using common::Result;
using common::UnixSeconds;
using common::json::JsonObject;
using common::json::NamedValue;
using model::EnvironmentType;
using model::PipelineResult;
using model::PipelineState;
using model::PlatformDeploymentState;
using model::PlatformDeploymentStatus;
using model::PullRequestActivity;
using model::PullRequestActivityKind;
using model::PullRequestState;
using nlohmann::json;

constexpr NamedValue<PullRequestState> kPullRequestStates[] = {
    {"OPEN", PullRequestState::kOpen},
    {"MERGED", PullRequestState::kMerged},
    {"DECLINED", PullRequestState::kDeclined},
    {"SUPERSEDED", PullRequestState::kSuperseded},
};

// What one word of the pipeline vocabulary says about a pipeline. The API documents state names
// and result names apart, but its filter vocabulary (PASSED, ...) and recorded payloads use the
// words interchangeably in both places.
struct PipelineWord {
  PipelineState state;
  std::optional<PipelineResult> result;
};

constexpr NamedValue<PipelineWord> kPipelineWords[] = {
    {"PENDING", {PipelineState::kPending, std::nullopt}},
    {"IN_PROGRESS", {PipelineState::kInProgress, std::nullopt}},
    {"RUNNING", {PipelineState::kInProgress, std::nullopt}},
    {"PAUSED", {PipelineState::kPaused, std::nullopt}},
    {"HALTED", {PipelineState::kPaused, std::nullopt}},
    {"COMPLETED", {PipelineState::kCompleted, std::nullopt}},
    {"SUCCESSFUL", {PipelineState::kCompleted, PipelineResult::kSuccessful}},
    {"PASSED", {PipelineState::kCompleted, PipelineResult::kSuccessful}},
    {"FAILED", {PipelineState::kCompleted, PipelineResult::kFailed}},
    {"ERROR", {PipelineState::kCompleted, PipelineResult::kError}},
    {"STOPPED", {PipelineState::kCompleted, PipelineResult::kStopped}},
    {"EXPIRED", {PipelineState::kCompleted, PipelineResult::kExpired}},
};

constexpr NamedValue<EnvironmentType> kEnvironmentTypes[] = {
    {"Test", EnvironmentType::kTest},
    {"Staging", EnvironmentType::kStaging},
    {"Production", EnvironmentType::kProduction},
};

constexpr NamedValue<PlatformDeploymentState> kDeploymentStates[] = {
    {"PENDING", PlatformDeploymentState::kPending},
    {"IN_PROGRESS", PlatformDeploymentState::kInProgress},
    {"COMPLETED", PlatformDeploymentState::kCompleted},
    {"UNDEPLOYED", PlatformDeploymentState::kUndeployed},
    {"SUCCESSFUL", PlatformDeploymentState::kSuccessful},
    {"FAILED", PlatformDeploymentState::kFailed},
    {"STOPPED", PlatformDeploymentState::kStopped},
    {"CANCELLED", PlatformDeploymentState::kCancelled},
    {"ROLLED_BACK", PlatformDeploymentState::kRolledBack},
    {"UNKNOWN", PlatformDeploymentState::kUnknown},
};

constexpr NamedValue<PlatformDeploymentStatus> kDeploymentStatuses[] = {
    {"SUCCESSFUL", PlatformDeploymentStatus::kSuccessful},
    {"FAILED", PlatformDeploymentStatus::kFailed},
    {"STOPPED", PlatformDeploymentStatus::kStopped},
};

Result<std::string> UserId(const JsonObject& user) { return user.String("uuid"); }

Result<std::string> UserIdAt(const JsonObject& parent, std::string_view key) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject user, parent.Object(key));
  return UserId(user);
}

Result<model::PlatformUser> UserAt(const JsonObject& parent, std::string_view key) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject user, parent.Object(key));
  model::PlatformUser out;
  LEADLINE_ASSIGN_OR_RETURN(out.id, UserId(user));
  LEADLINE_ASSIGN_OR_RETURN(out.name, user.StringOrEmpty("display_name"));
  return out;
}

Result<std::string> Hash(const JsonObject& commit) { return commit.String("hash"); }

Result<std::string> Name(const JsonObject& named) { return named.String("name"); }

Result<std::string> HashAt(const JsonObject& parent, std::string_view key) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject commit, parent.Object(key));
  return Hash(commit);
}

// A pull request's source or destination: {branch{name}, commit{hash}, repository}.
struct Endpoint {
  std::string branch;
  std::string commit;  // empty when the commit is null (the source fork was deleted)
};

Result<Endpoint> EndpointAt(const JsonObject& pull_request, std::string_view key) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject endpoint, pull_request.Object(key));
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject branch, endpoint.Object("branch"));
  Endpoint out;
  LEADLINE_ASSIGN_OR_RETURN(out.branch, Name(branch));
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::string> commit,
                            endpoint.IfObject<std::string>("commit", Hash));
  out.commit = commit.value_or("");
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// git's "Name <email>" as Cloud's author.raw gives it; no "<...>" means a name only.
model::Person PersonFromRaw(std::string_view raw) {
  const std::size_t open = raw.rfind('<');
  if (open == std::string_view::npos || raw.back() != '>') return {std::string(Trim(raw)), ""};
  return {std::string(Trim(raw.substr(0, open))),
          std::string(raw.substr(open + 1, raw.size() - open - 2))};
}

PullRequestActivity Activity(std::int64_t pr_number, PullRequestActivityKind kind) {
  PullRequestActivity activity;
  activity.pr_number = pr_number;
  activity.kind = kind;
  return activity;
}

// A comment; nullopt for Leadline's own feedback, which is no review.
Result<std::optional<PullRequestActivity>> CommentActivity(const JsonObject& comment,
                                                           std::int64_t pr_number) {
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<JsonObject> content,
                            comment.OptionalObject("content"));
  if (content) {
    LEADLINE_ASSIGN_OR_RETURN(const std::string raw, content->StringOrEmpty("raw"));
    if (engine::IsFeedbackComment(raw)) return std::optional<PullRequestActivity>();
  }
  PullRequestActivity out = Activity(pr_number, PullRequestActivityKind::kComment);
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t id, comment.Integer("id"));
  out.upstream_id = std::to_string(id);
  LEADLINE_ASSIGN_OR_RETURN(out.actor_id, UserIdAt(comment, "user"));
  LEADLINE_ASSIGN_OR_RETURN(out.at, comment.Time("created_on"));
  return std::optional<PullRequestActivity>(std::move(out));
}

Result<PullRequestActivity> UpdateActivity(const JsonObject& update, std::int64_t pr_number) {
  PullRequestActivity out = Activity(pr_number, PullRequestActivityKind::kUpdate);
  LEADLINE_ASSIGN_OR_RETURN(out.actor_id, UserIdAt(update, "author"));
  LEADLINE_ASSIGN_OR_RETURN(out.at, update.Time("date"));
  LEADLINE_ASSIGN_OR_RETURN(out.new_state,
                            update.Word("state", "pull request state", kPullRequestStates));
  return out;
}

// An approval or a request for changes: {date, user, pullrequest}.
Result<PullRequestActivity> ReviewActivity(const JsonObject& review, std::int64_t pr_number,
                                           PullRequestActivityKind kind) {
  PullRequestActivity out = Activity(pr_number, kind);
  LEADLINE_ASSIGN_OR_RETURN(out.actor_id, UserIdAt(review, "user"));
  LEADLINE_ASSIGN_OR_RETURN(out.at, review.Time("date"));
  return out;
}

// The key an activity entry holds its one body under, and the kind that body is.
constexpr NamedValue<PullRequestActivityKind> kActivityKeys[] = {
    {"comment", PullRequestActivityKind::kComment},
    {"update", PullRequestActivityKind::kUpdate},
    {"approval", PullRequestActivityKind::kApproval},
    {"changes_requested", PullRequestActivityKind::kChangesRequested},
};

Result<std::optional<PullRequestActivity>> ActivityOfKind(PullRequestActivityKind kind,
                                                          const JsonObject& body,
                                                          std::int64_t pr_number) {
  switch (kind) {
    case PullRequestActivityKind::kComment:
      return CommentActivity(body, pr_number);
    case PullRequestActivityKind::kUpdate: {
      LEADLINE_ASSIGN_OR_RETURN(PullRequestActivity update, UpdateActivity(body, pr_number));
      return std::optional<PullRequestActivity>(std::move(update));
    }
    case PullRequestActivityKind::kApproval:
    case PullRequestActivityKind::kChangesRequested: {
      LEADLINE_ASSIGN_OR_RETURN(PullRequestActivity review, ReviewActivity(body, pr_number, kind));
      return std::optional<PullRequestActivity>(std::move(review));
    }
  }
  return common::Status::Internal("unhandled pull request activity kind");
}

// Deployment states carry their times under the names the API returns or those its spec gives.
Result<std::optional<UnixSeconds>> TimeUnderEither(const JsonObject& state,
                                                   std::string_view returned,
                                                   std::string_view documented) {
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<UnixSeconds> time, state.OptionalTime(returned));
  if (time) return time;
  return state.OptionalTime(documented);
}

Result<EnvironmentType> EnvironmentTypeOf(const JsonObject& type) {
  return type.Word("name", "environment type", kEnvironmentTypes);
}

Result<PlatformDeploymentStatus> DeploymentStatusOf(const JsonObject& status) {
  return status.Word("name", "deployment status", kDeploymentStatuses);
}

Result<PipelineWord> PipelineWordOf(const JsonObject& state_or_result,
                                    std::string_view vocabulary) {
  return state_or_result.Word("name", vocabulary, kPipelineWords);
}

// The state's name, refined by its result's name when that names a result (a result implies that
// the pipeline completed) and by its stage's when that says it waits for a person.
Result<PipelineWord> ReadPipelineState(const JsonObject& state) {
  LEADLINE_ASSIGN_OR_RETURN(PipelineWord word, PipelineWordOf(state, "pipeline state"));
  // Other stage names (RUNNING, any added later) leave the state as it is.
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<JsonObject> stage, state.OptionalObject("stage"));
  if (stage && word.state == PipelineState::kInProgress) {
    LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::string> name, stage->OptionalString("name"));
    if (name == "PAUSED" || name == "HALTED") word.state = PipelineState::kPaused;
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<PipelineWord> result,
                            state.IfObject<PipelineWord>("result", [](const JsonObject& object) {
                              return PipelineWordOf(object, "pipeline result");
                            }));
  if (result && result->result) word.result = result->result;
  if (word.result) word.state = PipelineState::kCompleted;
  return word;
}

}  // namespace

Result<model::Repository> ParseCloudRepository(const json& payload) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject repository, JsonObject::Root(payload));
  model::Repository out;
  out.source = model::ProviderName(model::Provider::kBitbucketCloud);
  LEADLINE_ASSIGN_OR_RETURN(out.location, repository.String("full_name"));
  LEADLINE_ASSIGN_OR_RETURN(out.name, repository.String("name"));
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::string> main_branch,
                            repository.IfObject<std::string>("mainbranch", Name));
  out.default_branch = main_branch.value_or("");
  LEADLINE_ASSIGN_OR_RETURN(out.clone_url, CloneUrl(repository, "https"));
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::string> uuid,
                            repository.OptionalString("uuid"));
  out.upstream_id = uuid.value_or("");
  return out;
}

Result<model::PullRequest> ParseCloudPullRequest(const json& payload) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject pull_request, JsonObject::Root(payload));
  model::PullRequest out;
  LEADLINE_ASSIGN_OR_RETURN(out.number, pull_request.Integer("id"));
  LEADLINE_ASSIGN_OR_RETURN(out.title, pull_request.String("title"));
  LEADLINE_ASSIGN_OR_RETURN(out.state,
                            pull_request.Word("state", "pull request state", kPullRequestStates));
  LEADLINE_ASSIGN_OR_RETURN(out.author, UserAt(pull_request, "author"));
  LEADLINE_ASSIGN_OR_RETURN(const Endpoint source, EndpointAt(pull_request, "source"));
  LEADLINE_ASSIGN_OR_RETURN(const Endpoint destination, EndpointAt(pull_request, "destination"));
  out.source_branch = source.branch;
  out.source_commit = source.commit;
  out.target_branch = destination.branch;
  out.target_commit = destination.commit;
  LEADLINE_ASSIGN_OR_RETURN(out.merge_commit,
                            pull_request.IfObject<std::string>("merge_commit", Hash));
  LEADLINE_ASSIGN_OR_RETURN(out.created_at, pull_request.Time("created_on"));
  LEADLINE_ASSIGN_OR_RETURN(out.updated_at, pull_request.Time("updated_on"));
  LEADLINE_ASSIGN_OR_RETURN(out.closed_at, pull_request.OptionalTime("closed_on"));
  LEADLINE_ASSIGN_OR_RETURN(out.closed_by, pull_request.IfObject<std::string>("closed_by", UserId));
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::int64_t> comments,
                            pull_request.OptionalInteger("comment_count"));
  out.comment_count = static_cast<int>(comments.value_or(0));
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<bool> draft, pull_request.OptionalBool("draft"));
  out.draft = draft.value_or(false);
  return out;
}

Result<model::PullRequestCommit> ParseCloudPullRequestCommit(const json& payload,
                                                             std::int64_t pr_number) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject commit, JsonObject::Root(payload));
  model::PullRequestCommit out;
  out.pr_number = pr_number;
  LEADLINE_ASSIGN_OR_RETURN(out.sha, commit.String("hash"));
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject author, commit.Object("author"));
  LEADLINE_ASSIGN_OR_RETURN(const std::string raw_author, author.String("raw"));
  out.author = PersonFromRaw(raw_author);
  LEADLINE_ASSIGN_OR_RETURN(out.author_time, commit.Time("date"));
  LEADLINE_ASSIGN_OR_RETURN(out.message, commit.String("message"));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> parents,
                            commit.OptionalObjects("parents"));
  for (const JsonObject& parent : parents) {
    LEADLINE_ASSIGN_OR_RETURN(std::string hash, parent.String("hash"));
    out.parents.push_back(std::move(hash));
  }
  return out;
}

Result<std::optional<PullRequestActivity>> ParseCloudActivity(const json& payload) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject entry, JsonObject::Root(payload));
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject pull_request, entry.Object("pull_request"));
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t pr_number, pull_request.Integer("id"));
  for (const auto& [key, kind] : kActivityKeys) {
    LEADLINE_ASSIGN_OR_RETURN(const std::optional<JsonObject> body, entry.OptionalObject(key));
    if (body) return ActivityOfKind(kind, *body, pr_number);
  }
  return common::Status::InvalidArgument(
      "activity entry holds none of 'comment', 'update', 'approval', 'changes_requested'");
}

Result<std::optional<PullRequestActivity>> ParseCloudPullRequestComment(const json& payload) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject comment, JsonObject::Root(payload));
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject pull_request, comment.Object("pullrequest"));
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t pr_number, pull_request.Integer("id"));
  return CommentActivity(comment, pr_number);
}

Result<model::Pipeline> ParseCloudPipeline(const json& payload) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject pipeline, JsonObject::Root(payload));
  model::Pipeline out;
  LEADLINE_ASSIGN_OR_RETURN(out.uuid, pipeline.String("uuid"));
  LEADLINE_ASSIGN_OR_RETURN(out.build_number, pipeline.OptionalInteger("build_number"));
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject target, pipeline.Object("target"));
  LEADLINE_ASSIGN_OR_RETURN(out.ref_name, target.StringOrEmpty("ref_name"));
  LEADLINE_ASSIGN_OR_RETURN(out.ref_type, target.StringOrEmpty("ref_type"));
  LEADLINE_ASSIGN_OR_RETURN(out.commit_sha, HashAt(target, "commit"));
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject state, pipeline.Object("state"));
  LEADLINE_ASSIGN_OR_RETURN(const PipelineWord word, ReadPipelineState(state));
  out.state = word.state;
  out.result = word.result;
  LEADLINE_ASSIGN_OR_RETURN(out.created_at, pipeline.Time("created_on"));
  LEADLINE_ASSIGN_OR_RETURN(out.completed_at, pipeline.OptionalTime("completed_on"));
  LEADLINE_ASSIGN_OR_RETURN(out.duration_s, pipeline.OptionalInteger("duration_in_seconds"));
  return out;
}

Result<model::Environment> ParseCloudEnvironment(const json& payload) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject environment, JsonObject::Root(payload));
  model::Environment out;
  LEADLINE_ASSIGN_OR_RETURN(out.uuid, environment.String("uuid"));
  LEADLINE_ASSIGN_OR_RETURN(out.name, environment.String("name"));
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject type, environment.Object("environment_type"));
  LEADLINE_ASSIGN_OR_RETURN(out.type, EnvironmentTypeOf(type));
  return out;
}

Result<model::PlatformDeployment> ParseCloudDeployment(const json& payload) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject deployment, JsonObject::Root(payload));
  model::PlatformDeployment out;
  out.provider = model::Provider::kBitbucketCloud;
  LEADLINE_ASSIGN_OR_RETURN(out.uuid, deployment.String("uuid"));
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject environment, deployment.Object("environment"));
  LEADLINE_ASSIGN_OR_RETURN(out.environment_uuid, environment.OptionalString("uuid"));
  LEADLINE_ASSIGN_OR_RETURN(out.environment_name, environment.OptionalString("name"));
  if (!out.environment_uuid && !out.environment_name) {
    return deployment.Error("environment", "expected a 'uuid' or a 'name', got neither");
  }
  LEADLINE_ASSIGN_OR_RETURN(out.environment_type, environment.IfObject<EnvironmentType>(
                                                      "environment_type", EnvironmentTypeOf));
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject state, deployment.Object("state"));
  LEADLINE_ASSIGN_OR_RETURN(out.state, state.Word("name", "deployment state", kDeploymentStates));
  LEADLINE_ASSIGN_OR_RETURN(out.status,
                            state.IfObject<PlatformDeploymentStatus>("status", DeploymentStatusOf));
  LEADLINE_ASSIGN_OR_RETURN(out.started_at, TimeUnderEither(state, "started_on", "start_date"));
  LEADLINE_ASSIGN_OR_RETURN(out.completed_at,
                            TimeUnderEither(state, "completed_on", "completion_date"));
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject release, deployment.Object("release"));
  LEADLINE_ASSIGN_OR_RETURN(out.release_name, release.String("name"));
  LEADLINE_ASSIGN_OR_RETURN(out.commit_sha, HashAt(release, "commit"));
  LEADLINE_ASSIGN_OR_RETURN(
      out.pipeline_uuid, release.IfObject<std::string>("pipeline", [](const JsonObject& pipeline) {
        return pipeline.String("uuid");
      }));
  return out;
}

}  // namespace leadline::sources::bitbucket
