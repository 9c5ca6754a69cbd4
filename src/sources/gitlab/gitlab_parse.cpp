#include "sources/gitlab/gitlab_parse.h"

#include <cctype>
#include <nlohmann/json.hpp>
#include <string_view>
#include <utility>

#include "common/json/json_object.h"
#include "engine/pr_feedback.h"
#include "http/pager.h"
#include "sources/gitlab/gitlab_time.h"

namespace leadline::sources::gitlab {
namespace {

using common::Result;
using common::UnixSeconds;
using common::json::JsonObject;
using common::json::NamedValue;
using model::EnvironmentType;
using model::PipelineResult;
using model::PipelineState;
using model::PlatformDeploymentState;
using model::PullRequestActivity;
using model::PullRequestActivityKind;
using model::PullRequestState;

constexpr NamedValue<PullRequestState> kMergeRequestStates[] = {
    {"opened", PullRequestState::kOpen},
    {"locked", PullRequestState::kOpen},  // briefly, while GitLab merges it
    {"merged", PullRequestState::kMerged},
    {"closed", PullRequestState::kDeclined},
};

struct PipelineStatus {
  PipelineState state;
  std::optional<PipelineResult> result;
};

// GitLab's pipeline statuses. `canceling` (GitLab 16.x and later: cancelation requested, jobs
// still stopping) is not in older documentation's list; it is still running.
constexpr NamedValue<PipelineStatus> kPipelineStatuses[] = {
    {"created", {PipelineState::kPending, std::nullopt}},
    {"waiting_for_resource", {PipelineState::kPending, std::nullopt}},
    {"preparing", {PipelineState::kPending, std::nullopt}},
    {"pending", {PipelineState::kPending, std::nullopt}},
    {"scheduled", {PipelineState::kPending, std::nullopt}},
    {"running", {PipelineState::kInProgress, std::nullopt}},
    {"canceling", {PipelineState::kInProgress, std::nullopt}},
    {"manual", {PipelineState::kPaused, std::nullopt}},
    {"success", {PipelineState::kCompleted, PipelineResult::kSuccessful}},
    {"failed", {PipelineState::kCompleted, PipelineResult::kFailed}},
    {"canceled", {PipelineState::kCompleted, PipelineResult::kStopped}},
    {"skipped", {PipelineState::kCompleted, PipelineResult::kStopped}},
};

constexpr NamedValue<EnvironmentType> kTiers[] = {
    {"production", EnvironmentType::kProduction},
    {"staging", EnvironmentType::kStaging},
    {"testing", EnvironmentType::kTest},
    {"development", EnvironmentType::kTest},
    {"other", EnvironmentType::kTest},
};

// A finished deployment is COMPLETED with its outcome, as Bitbucket Cloud's are, so that the
// production rule reads every code host's records alike.
struct DeploymentStatus {
  PlatformDeploymentState state;
  std::optional<model::PlatformDeploymentStatus> outcome;
  bool finished;  // GitLab will not change it again: its updated_at is when it ended
};

constexpr NamedValue<DeploymentStatus> kDeploymentStatuses[] = {
    {"created", {PlatformDeploymentState::kPending, std::nullopt, false}},
    {"blocked", {PlatformDeploymentState::kPending, std::nullopt, false}},
    {"running", {PlatformDeploymentState::kInProgress, std::nullopt, false}},
    {"success",
     {PlatformDeploymentState::kCompleted, model::PlatformDeploymentStatus::kSuccessful, true}},
    {"failed",
     {PlatformDeploymentState::kCompleted, model::PlatformDeploymentStatus::kFailed, true}},
    {"canceled",
     {PlatformDeploymentState::kCompleted, model::PlatformDeploymentStatus::kStopped, true}},
    // Never ran: stopped, with no time it ended.
    {"skipped",
     {PlatformDeploymentState::kCompleted, model::PlatformDeploymentStatus::kStopped, false}},
};

// The bodies of the system notes that are review activity; every other system note is not.
struct SystemNote {
  PullRequestActivityKind kind;
  std::optional<PullRequestState> new_state;
};

constexpr NamedValue<SystemNote> kReviewSystemNotes[] = {
    {"approved this merge request", {PullRequestActivityKind::kApproval, std::nullopt}},
    {"requested changes", {PullRequestActivityKind::kChangesRequested, std::nullopt}},
    {"merged", {PullRequestActivityKind::kUpdate, PullRequestState::kMerged}},
    {"closed", {PullRequestActivityKind::kUpdate, PullRequestState::kDeclined}},
    {"reopened", {PullRequestActivityKind::kUpdate, PullRequestState::kOpen}},
};

// A numeric id at `key` as the model's decimal string.
Result<std::string> IdAt(const JsonObject& object, std::string_view key) {
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t id, object.Integer(key));
  return std::to_string(id);
}

// The id of the user object at `key` ("merge_user"), nullopt when it is absent or null.
Result<std::optional<std::string>> UserIdAt(const JsonObject& object, std::string_view key) {
  return object.IfObject<std::string>(key, [](const JsonObject& user) { return IdAt(user, "id"); });
}

Result<model::PlatformUser> UserAt(const JsonObject& object, std::string_view key) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject user, object.Object(key));
  model::PlatformUser out;
  LEADLINE_ASSIGN_OR_RETURN(out.id, IdAt(user, "id"));
  LEADLINE_ASSIGN_OR_RETURN(out.name, user.StringOrEmpty("name"));
  return out;
}

// The first of `keys` that is present and not null, as a bool; false when none is.
Result<bool> FirstBool(const JsonObject& object, std::initializer_list<std::string_view> keys) {
  for (const std::string_view key : keys) {
    LEADLINE_ASSIGN_OR_RETURN(const std::optional<bool> value, object.OptionalBool(key));
    if (value) return *value;
  }
  return false;
}

bool Contains(const std::string& lower_name, std::initializer_list<std::string_view> words) {
  for (const std::string_view word : words) {
    if (lower_name.find(word) != std::string::npos) return true;
  }
  return false;
}

// GitLab's own guess for an environment created without a tier (Environment#guess_tier), in its
// order: development (dev, review, trunk), testing (test, tst, int, accept, acpt, qa, qc,
// control, quality), staging (stag, stg, model, modl, pre, demo, non), production (prod, prd,
// live), else other. Development, testing and other are all test environments to Leadline.
EnvironmentType GuessTier(const std::string& name) {
  std::string lower;
  for (const unsigned char c : name) lower += static_cast<char>(std::tolower(c));
  if (Contains(lower, {"dev", "review", "trunk"})) return EnvironmentType::kTest;
  if (Contains(lower, {"test", "tst", "int", "accept", "acpt", "qa", "qc", "control", "quality"})) {
    return EnvironmentType::kTest;
  }
  if (Contains(lower, {"stag", "stg", "model", "modl", "pre", "demo", "non"})) {
    return EnvironmentType::kStaging;
  }
  if (Contains(lower, {"prod", "prd", "live"})) return EnvironmentType::kProduction;
  return EnvironmentType::kTest;
}

// The `Link` header's target for rel="next": `<url>; rel="next", <url>; rel="last"`.
std::optional<std::string> LinkNext(const std::string& link) {
  std::size_t pos = 0;
  while ((pos = link.find('<', pos)) != std::string::npos) {
    const std::size_t close = link.find('>', pos);
    if (close == std::string::npos) return std::nullopt;
    const std::string target = link.substr(pos + 1, close - pos - 1);
    std::size_t params_end = link.find('<', close);
    if (params_end == std::string::npos) params_end = link.size();
    const std::string params = link.substr(close + 1, params_end - close - 1);
    // rel="next", rel=next, or among several relations: rel="next last".
    const std::size_t rel = params.find("rel=");
    if (rel != std::string::npos) {
      std::size_t start = rel + 4;
      const bool quoted = start < params.size() && params[start] == '"';
      if (quoted) ++start;
      std::size_t end = params.find_first_of(quoted ? "\"" : ";, ", start);
      if (end == std::string::npos) end = params.size();
      const std::string relations = params.substr(start, end - start);
      std::size_t word = 0;
      while (word < relations.size()) {
        std::size_t word_end = relations.find(' ', word);
        if (word_end == std::string::npos) word_end = relations.size();
        if (relations.compare(word, word_end - word, "next") == 0) return target;
        word = word_end + 1;
      }
    }
    pos = close + 1;
  }
  return std::nullopt;
}

std::string Trimmed(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") + 1 - first);
}

}  // namespace

Result<std::string> ParseVersion(const nlohmann::json& payload) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject root, JsonObject::Root(payload));
  return root.String("version");
}

Result<TokenUser> ParseUser(const nlohmann::json& payload) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject user, JsonObject::Root(payload));
  TokenUser out;
  LEADLINE_ASSIGN_OR_RETURN(out.id, user.Integer("id"));
  LEADLINE_ASSIGN_OR_RETURN(out.username, user.String("username"));
  LEADLINE_ASSIGN_OR_RETURN(out.name, user.StringOrEmpty("name"));
  LEADLINE_ASSIGN_OR_RETURN(out.bot, FirstBool(user, {"bot"}));
  return out;
}

Result<TokenInfo> ParseTokenInfo(const nlohmann::json& payload) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject token, JsonObject::Root(payload));
  TokenInfo out;
  LEADLINE_ASSIGN_OR_RETURN(out.name, token.String("name"));
  LEADLINE_ASSIGN_OR_RETURN(out.scopes, token.OptionalStrings("scopes"));
  LEADLINE_ASSIGN_OR_RETURN(out.expires_at, token.StringOrEmpty("expires_at"));
  if (!out.expires_at.empty() && !common::ParseRfc3339(out.expires_at).ok()) {
    return token.Error("expires_at", "'" + out.expires_at + "' is not a date");
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<bool> active, token.OptionalBool("active"));
  out.active = active.value_or(true);
  LEADLINE_ASSIGN_OR_RETURN(out.revoked, FirstBool(token, {"revoked"}));
  return out;
}

Result<Project> ParseProject(const nlohmann::json& payload) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject project, JsonObject::Root(payload));
  Project out;
  LEADLINE_ASSIGN_OR_RETURN(out.id, project.Integer("id"));
  model::Repository& repository = out.repository;
  repository.source = "gitlab";
  LEADLINE_ASSIGN_OR_RETURN(repository.location, project.String("path_with_namespace"));
  LEADLINE_ASSIGN_OR_RETURN(repository.name, project.String("path"));
  LEADLINE_ASSIGN_OR_RETURN(repository.clone_url, project.String("http_url_to_repo"));
  LEADLINE_ASSIGN_OR_RETURN(repository.default_branch, project.StringOrEmpty("default_branch"));
  LEADLINE_ASSIGN_OR_RETURN(out.archived, FirstBool(project, {"archived"}));
  return out;
}

Result<model::PullRequest> ParseMergeRequest(const nlohmann::json& payload) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject merge_request, JsonObject::Root(payload));
  model::PullRequest out;
  LEADLINE_ASSIGN_OR_RETURN(out.number, merge_request.Integer("iid"));
  LEADLINE_ASSIGN_OR_RETURN(out.title, merge_request.String("title"));
  LEADLINE_ASSIGN_OR_RETURN(
      out.state, merge_request.Word("state", "merge request state", kMergeRequestStates));
  LEADLINE_ASSIGN_OR_RETURN(out.author, UserAt(merge_request, "author"));
  LEADLINE_ASSIGN_OR_RETURN(out.source_branch, merge_request.String("source_branch"));
  LEADLINE_ASSIGN_OR_RETURN(out.target_branch, merge_request.String("target_branch"));
  LEADLINE_ASSIGN_OR_RETURN(out.source_commit, merge_request.StringOrEmpty("sha"));
  // Only a merge request's own GET has diff_refs; its base is the target branch's commit the
  // changes were made on, which a fast-forward's commits are counted from.
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<JsonObject> diff_refs,
                            merge_request.OptionalObject("diff_refs"));
  if (diff_refs) {
    LEADLINE_ASSIGN_OR_RETURN(out.target_commit, diff_refs->StringOrEmpty("base_sha"));
  }
  LEADLINE_ASSIGN_OR_RETURN(out.created_at, TimeAt(merge_request, "created_at"));
  LEADLINE_ASSIGN_OR_RETURN(out.updated_at, TimeAt(merge_request, "updated_at"));

  LEADLINE_ASSIGN_OR_RETURN(const std::optional<UnixSeconds> merged_at,
                            OptionalTimeAt(merge_request, "merged_at"));
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<UnixSeconds> closed_at,
                            OptionalTimeAt(merge_request, "closed_at"));
  out.closed_at = merged_at ? merged_at : closed_at;

  if (out.state == PullRequestState::kMerged) {
    LEADLINE_ASSIGN_OR_RETURN(const bool squash, FirstBool(merge_request, {"squash"}));
    LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::string> squash_commit,
                              merge_request.OptionalString("squash_commit_sha"));
    LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::string> merge_commit,
                              merge_request.OptionalString("merge_commit_sha"));
    if (squash && squash_commit) {
      out.merge_commit = squash_commit;
    } else if (merge_commit) {
      out.merge_commit = merge_commit;
    } else if (!out.source_commit.empty()) {
      out.merge_commit = out.source_commit;  // fast-forward or rebase merge: the head landed as is
    }
    LEADLINE_ASSIGN_OR_RETURN(out.closed_by, UserIdAt(merge_request, "merge_user"));
    if (!out.closed_by) {
      LEADLINE_ASSIGN_OR_RETURN(out.closed_by, UserIdAt(merge_request, "merged_by"));
    }
  } else if (out.state == PullRequestState::kDeclined) {
    LEADLINE_ASSIGN_OR_RETURN(out.closed_by, UserIdAt(merge_request, "closed_by"));
  }

  LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::int64_t> notes,
                            merge_request.OptionalInteger("user_notes_count"));
  out.comment_count = static_cast<int>(notes.value_or(0));
  LEADLINE_ASSIGN_OR_RETURN(out.draft, FirstBool(merge_request, {"draft", "work_in_progress"}));
  return out;
}

Result<std::optional<PullRequestActivity>> ParseNote(const nlohmann::json& payload,
                                                     std::int64_t mr_iid) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject note, JsonObject::Root(payload));
  PullRequestActivity out;
  out.pr_number = mr_iid;
  LEADLINE_ASSIGN_OR_RETURN(out.upstream_id, IdAt(note, "id"));
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<bool> system, note.OptionalBool("system"));
  if (!system) return note.Error("system", "missing, expected a boolean");
  if (*system) {
    LEADLINE_ASSIGN_OR_RETURN(const std::string body, note.String("body"));
    const SystemNote* meaning = nullptr;
    for (const NamedValue<SystemNote>& known : kReviewSystemNotes) {
      if (known.name == body) meaning = &known.value;
    }
    if (meaning == nullptr) return std::optional<PullRequestActivity>();
    out.kind = meaning->kind;
    out.new_state = meaning->new_state;
  } else {
    LEADLINE_ASSIGN_OR_RETURN(const std::string body, note.StringOrEmpty("body"));
    if (engine::IsFeedbackComment(body)) return std::optional<PullRequestActivity>();
  }
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject author, note.Object("author"));
  LEADLINE_ASSIGN_OR_RETURN(out.actor_id, IdAt(author, "id"));
  LEADLINE_ASSIGN_OR_RETURN(out.at, TimeAt(note, "created_at"));
  return std::optional<PullRequestActivity>(std::move(out));
}

Result<model::Pipeline> ParsePipeline(const nlohmann::json& payload) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject pipeline, JsonObject::Root(payload));
  model::Pipeline out;
  LEADLINE_ASSIGN_OR_RETURN(out.uuid, IdAt(pipeline, "id"));
  LEADLINE_ASSIGN_OR_RETURN(out.build_number, pipeline.OptionalInteger("iid"));
  LEADLINE_ASSIGN_OR_RETURN(out.ref_name, pipeline.StringOrEmpty("ref"));
  LEADLINE_ASSIGN_OR_RETURN(out.commit_sha, pipeline.String("sha"));
  LEADLINE_ASSIGN_OR_RETURN(const PipelineStatus status,
                            pipeline.Word("status", "pipeline status", kPipelineStatuses));
  out.state = status.state;
  out.result = status.result;
  LEADLINE_ASSIGN_OR_RETURN(out.created_at, TimeAt(pipeline, "created_at"));
  LEADLINE_ASSIGN_OR_RETURN(out.completed_at, OptionalTimeAt(pipeline, "finished_at"));
  if (!out.completed_at && out.state == PipelineState::kCompleted) {
    LEADLINE_ASSIGN_OR_RETURN(out.completed_at, OptionalTimeAt(pipeline, "updated_at"));
  }
  LEADLINE_ASSIGN_OR_RETURN(out.duration_s, pipeline.OptionalInteger("duration"));
  return out;
}

Result<ParsedEnvironment> ParseEnvironment(const nlohmann::json& payload) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject environment, JsonObject::Root(payload));
  ParsedEnvironment out;
  LEADLINE_ASSIGN_OR_RETURN(out.environment.uuid, IdAt(environment, "id"));
  LEADLINE_ASSIGN_OR_RETURN(out.environment.name, environment.String("name"));
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::string> tier,
                            environment.OptionalString("tier"));
  if (tier) {
    LEADLINE_ASSIGN_OR_RETURN(out.environment.type,
                              environment.Word("tier", "environment tier", kTiers));
  } else {
    out.environment.type = GuessTier(out.environment.name);
    out.tier_missing = true;
  }
  return out;
}

Result<model::PlatformDeployment> ParseDeployment(const nlohmann::json& payload) {
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject deployment, JsonObject::Root(payload));
  model::PlatformDeployment out;
  LEADLINE_ASSIGN_OR_RETURN(out.uuid, IdAt(deployment, "id"));
  LEADLINE_ASSIGN_OR_RETURN(const JsonObject environment, deployment.Object("environment"));
  LEADLINE_ASSIGN_OR_RETURN(out.environment_uuid, IdAt(environment, "id"));
  LEADLINE_ASSIGN_OR_RETURN(out.environment_name, environment.String("name"));
  LEADLINE_ASSIGN_OR_RETURN(const DeploymentStatus status,
                            deployment.Word("status", "deployment status", kDeploymentStatuses));
  out.provider = model::Provider::kGitLab;
  out.state = status.state;
  out.status = status.outcome;
  LEADLINE_ASSIGN_OR_RETURN(out.commit_sha, deployment.String("sha"));

  LEADLINE_ASSIGN_OR_RETURN(const std::optional<JsonObject> job,
                            deployment.OptionalObject("deployable"));
  bool tag = false;
  if (job) {
    LEADLINE_ASSIGN_OR_RETURN(out.started_at, OptionalTimeAt(*job, "started_at"));
    LEADLINE_ASSIGN_OR_RETURN(out.completed_at, OptionalTimeAt(*job, "finished_at"));
    LEADLINE_ASSIGN_OR_RETURN(const std::optional<bool> job_tag, job->OptionalBool("tag"));
    tag = job_tag.value_or(false);
  }
  // The ref deployed is a branch unless its job ran for a tag.
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<std::string> ref, deployment.OptionalString("ref"));
  if (ref && !ref->empty() && !tag) out.branch = *ref;
  if (!out.started_at) {
    LEADLINE_ASSIGN_OR_RETURN(out.started_at, OptionalTimeAt(deployment, "created_at"));
  }
  if (!out.completed_at && status.finished) {
    LEADLINE_ASSIGN_OR_RETURN(out.completed_at, OptionalTimeAt(deployment, "updated_at"));
  }
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t iid, deployment.Integer("iid"));
  out.release_name = "#" + std::to_string(iid);
  return out;
}

std::optional<std::string> NextPageUrl(const http::HttpResponse& response, const std::string& url) {
  if (const std::optional<std::string> link = response.Header("Link")) {
    if (std::optional<std::string> next = LinkNext(*link)) return next;
  }
  const std::optional<std::string> next_page = response.Header("x-next-page");
  if (!next_page) return std::nullopt;
  const std::string page = Trimmed(*next_page);
  if (page.empty()) return std::nullopt;  // the last page
  for (const char c : page) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return http::WithQueryParameter(url, "page", page);
}

}  // namespace leadline::sources::gitlab
