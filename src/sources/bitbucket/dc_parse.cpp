#include "sources/bitbucket/dc_parse.h"

#include <string>
#include <utility>
#include <vector>

#include "common/json/json_object.h"
#include "engine/pr_feedback.h"
#include "model/connection.h"
#include "sources/bitbucket/clone_url.h"

namespace leadline::sources::bitbucket {
namespace {

using common::Result;
using common::json::JsonObject;
using common::json::NamedValue;
using model::PullRequestActivity;
using model::PullRequestActivityKind;
using model::PullRequestState;
using nlohmann::json;

constexpr NamedValue<PullRequestState> kPullRequestStates[] = {
    {"OPEN", PullRequestState::kOpen},
    {"MERGED", PullRequestState::kMerged},
    {"DECLINED", PullRequestState::kDeclined},
};

struct BuildState {
  model::PipelineState state;
  std::optional<model::PipelineResult> result;
};

constexpr NamedValue<BuildState> kBuildStates[] = {
    {"INPROGRESS", {model::PipelineState::kInProgress, std::nullopt}},
    {"SUCCESSFUL", {model::PipelineState::kCompleted, model::PipelineResult::kSuccessful}},
    {"FAILED", {model::PipelineState::kCompleted, model::PipelineResult::kFailed}},
    {"CANCELLED", {model::PipelineState::kCompleted, model::PipelineResult::kStopped}},
    {"UNKNOWN", {model::PipelineState::kPending, std::nullopt}},
};

// What an activity's action means to us; no kind for the actions we do not model.
struct ActionMeaning {
  std::optional<PullRequestActivityKind> kind;
  std::optional<PullRequestState> new_state;
};

constexpr ActionMeaning UpdateTo(std::optional<PullRequestState> state) {
  return {PullRequestActivityKind::kUpdate, state};
}

constexpr NamedValue<ActionMeaning> kActions[] = {
    {"COMMENTED", {PullRequestActivityKind::kComment, std::nullopt}},
    {"APPROVED", {PullRequestActivityKind::kApproval, std::nullopt}},
    {"REVIEWED", {PullRequestActivityKind::kChangesRequested, std::nullopt}},
    {"OPENED", UpdateTo(PullRequestState::kOpen)},
    {"REOPENED", UpdateTo(PullRequestState::kOpen)},
    {"MERGED", UpdateTo(PullRequestState::kMerged)},
    {"DECLINED", UpdateTo(PullRequestState::kDeclined)},
    {"UPDATED", UpdateTo(std::nullopt)},
    {"RESCOPED", UpdateTo(std::nullopt)},
    {"UNAPPROVED", {}},
    {"DELETED", {}},
    {"REVIEW_COMMENTED", {}},
    {"REVIEW_DISCARDED", {}},
    {"REVIEW_FINISHED", {}},
    {"AUTO_MERGE_REQUESTED", {}},
    {"AUTO_MERGE_CANCELLED", {}},
};

Result<std::string> Slug(const JsonObject& user) { return user.String("slug"); }

Result<std::string> SlugAt(const JsonObject& parent, std::string_view key) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject user, parent.Object(key));
  return Slug(user);
}

// A pull request participant: {user{slug, displayName, ...}, role, approved, status}.
Result<model::PlatformUser> ParticipantAt(const JsonObject& pull_request, std::string_view key) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject participant, pull_request.Object(key));
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject user, participant.Object("user"));
  model::PlatformUser out;
  LEADLINE_ASSIGN_OR_RETURN(out.id, Slug(user));
  LEADLINE_ASSIGN_OR_RETURN(out.name, user.StringOrEmpty("displayName"));
  return out;
}

// A pull request's fromRef or toRef: {id: "refs/heads/x", displayId: "x", latestCommit}.
struct Ref {
  std::string branch;
  std::string latest_commit;
};

Result<Ref> RefAt(const JsonObject& pull_request, std::string_view key) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject ref, pull_request.Object(key));
  Ref out;
  LEADLINE_ASSIGN_OR_RETURN(out.branch, ref.String("displayId"));
  LEADLINE_ASSIGN_OR_RETURN(out.latest_commit, ref.String("latestCommit"));
  return out;
}

// The `properties` a pull request carries unless asked not to (withProperties=false).
struct Properties {
  int comment_count = 0;
  std::optional<std::string> merge_commit;
};

Result<Properties> PropertiesOf(const JsonObject& properties) {
  Properties out;
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::int64_t> comments,
                            properties.OptionalInteger("commentCount"));
  out.comment_count = static_cast<int>(comments.value_or(0));
  LEADLINE_ASSIGN_OR_RETURN(out.merge_commit, properties.IfObject<std::string>(
                                                  "mergeCommit", [](const JsonObject& commit) {
                                                    return commit.String("id");
                                                  }));
  return out;
}

Result<model::Person> PersonAt(const JsonObject& commit, std::string_view key) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject person, commit.Object(key));
  model::Person out;
  LEADLINE_ASSIGN_OR_RETURN(out.name, person.String("name"));
  LEADLINE_ASSIGN_OR_RETURN(out.email, person.StringOrEmpty("emailAddress"));
  return out;
}

}  // namespace

Result<model::Repository> ParseDcRepository(const json& payload) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject repository, JsonObject::Root(payload));
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject project, repository.Object("project"));
  LEADLINE_ASSIGN_OR_RETURN(const std::string key, project.String("key"));
  LEADLINE_ASSIGN_OR_RETURN(const std::string slug, repository.String("slug"));
  model::Repository out;
  out.source = model::ProviderName(model::Provider::kBitbucketDataCenter);
  out.location = key + "/" + slug;
  LEADLINE_ASSIGN_OR_RETURN(out.name, repository.String("name"));
  LEADLINE_ASSIGN_OR_RETURN(out.clone_url, CloneUrl(repository, "http"));
  return out;
}

Result<model::PullRequest> ParseDcPullRequest(const json& payload) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject pull_request, JsonObject::Root(payload));
  model::PullRequest out;
  LEADLINE_ASSIGN_OR_RETURN(out.number, pull_request.Integer("id"));
  LEADLINE_ASSIGN_OR_RETURN(out.title, pull_request.String("title"));
  LEADLINE_ASSIGN_OR_RETURN(out.state,
                            pull_request.Word("state", "pull request state", kPullRequestStates));
  LEADLINE_ASSIGN_OR_RETURN(out.author, ParticipantAt(pull_request, "author"));
  LEADLINE_ASSIGN_OR_RETURN(const Ref from, RefAt(pull_request, "fromRef"));
  LEADLINE_ASSIGN_OR_RETURN(const Ref to, RefAt(pull_request, "toRef"));
  out.source_branch = from.branch;
  out.source_commit = from.latest_commit;
  out.target_branch = to.branch;
  out.target_commit = to.latest_commit;
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<Properties> properties,
                            pull_request.IfObject<Properties>("properties", PropertiesOf));
  if (properties) {
    out.comment_count = properties->comment_count;
    out.merge_commit = properties->merge_commit;
  }
  LEADLINE_ASSIGN_OR_RETURN(out.created_at, pull_request.EpochMillis("createdDate"));
  LEADLINE_ASSIGN_OR_RETURN(out.updated_at, pull_request.EpochMillis("updatedDate"));
  LEADLINE_ASSIGN_OR_RETURN(out.closed_at, pull_request.OptionalEpochMillis("closedDate"));
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<bool> draft, pull_request.OptionalBool("draft"));
  out.draft = draft.value_or(false);
  return out;
}

Result<model::PullRequestCommit> ParseDcPullRequestCommit(const json& payload,
                                                          std::int64_t pr_number) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject commit, JsonObject::Root(payload));
  model::PullRequestCommit out;
  out.pr_number = pr_number;
  LEADLINE_ASSIGN_OR_RETURN(out.sha, commit.String("id"));
  LEADLINE_ASSIGN_OR_RETURN(out.author, PersonAt(commit, "author"));
  LEADLINE_ASSIGN_OR_RETURN(out.author_time, commit.EpochMillis("authorTimestamp"));
  LEADLINE_ASSIGN_OR_RETURN(out.committer_time, commit.OptionalEpochMillis("committerTimestamp"));
  LEADLINE_ASSIGN_OR_RETURN(out.message, commit.String("message"));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<JsonObject> parents,
                            commit.OptionalObjects("parents"));
  for (const JsonObject& parent : parents) {
    LEADLINE_ASSIGN_OR_RETURN(std::string id, parent.String("id"));
    out.parents.push_back(std::move(id));
  }
  return out;
}

Result<std::optional<PullRequestActivity>> ParseDcActivity(const json& payload,
                                                           std::int64_t pr_number) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject activity, JsonObject::Root(payload));
  LEADLINE_ASSIGN_OR_RETURN(const ActionMeaning meaning,
                            activity.Word("action", "pull request action", kActions));
  if (!meaning.kind) return std::optional<PullRequestActivity>();
  if (*meaning.kind == PullRequestActivityKind::kComment) {
    LEADLINE_ASSIGN_OR_RETURN(const std::optional<JsonObject> comment,
                              activity.OptionalObject("comment"));
    if (comment) {
      LEADLINE_ASSIGN_OR_RETURN(const std::string text, comment->StringOrEmpty("text"));
      if (engine::IsFeedbackComment(text)) return std::optional<PullRequestActivity>();
    }
  }
  PullRequestActivity out;
  out.pr_number = pr_number;
  out.kind = *meaning.kind;
  out.new_state = meaning.new_state;
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t id, activity.Integer("id"));
  out.upstream_id = std::to_string(id);
  LEADLINE_ASSIGN_OR_RETURN(out.actor_id, SlugAt(activity, "user"));
  LEADLINE_ASSIGN_OR_RETURN(out.at, activity.EpochMillis("createdDate"));
  return std::optional<PullRequestActivity>(std::move(out));
}

Result<model::Pipeline> ParseDcBuildStatus(const json& payload, const std::string& commit_sha) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject build, JsonObject::Root(payload));
  model::Pipeline out;
  LEADLINE_ASSIGN_OR_RETURN(const std::string key, build.String("key"));
  out.uuid = key + "@" + commit_sha;
  out.commit_sha = commit_sha;
  LEADLINE_ASSIGN_OR_RETURN(const BuildState state,
                            build.Word("state", "build state", kBuildStates));
  out.state = state.state;
  out.result = state.result;
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::string> number,
                            build.OptionalString("buildNumber"));
  if (number && !number->empty() && number->find_first_not_of("0123456789") == std::string::npos &&
      number->size() < 18) {
    out.build_number = std::stoll(*number);
  }
  LEADLINE_ASSIGN_OR_RETURN(std::string ref, build.StringOrEmpty("ref"));
  for (const char* prefix : {"refs/heads/", "refs/tags/"}) {
    if (ref.starts_with(prefix)) ref.erase(0, std::string_view(prefix).size());
  }
  out.ref_name = ref;
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<common::UnixSeconds> created,
                            build.OptionalEpochMillis("createdDate"));
  if (created) {
    out.created_at = *created;
  } else {
    LEADLINE_ASSIGN_OR_RETURN(out.created_at, build.EpochMillis("dateAdded"));
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<common::UnixSeconds> updated,
                            build.OptionalEpochMillis("updatedDate"));
  if (out.state == model::PipelineState::kCompleted)
    out.completed_at = updated.value_or(out.created_at);
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::int64_t> duration_ms,
                            build.OptionalInteger("duration"));
  if (duration_ms) out.duration_s = *duration_ms / 1000;
  return out;
}

}  // namespace leadline::sources::bitbucket
