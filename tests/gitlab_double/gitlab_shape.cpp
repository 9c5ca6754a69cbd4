#include "gitlab_shape.h"

#include <algorithm>

#include "common/time.h"

namespace leadline::testing {
namespace {

using nlohmann::json;

constexpr int kDeveloper = 1;
constexpr int kReviewer = 2;

std::string Branch(int iid) { return "feature/" + std::to_string(iid); }
std::string Title(int iid) {
  return (MergeRequestDraft(iid) ? "Draft: Change " : "Change ") + std::to_string(iid);
}

std::int64_t ClosedAt(const GitLabShape& shape, int iid) {
  return MergeRequestCreatedAt(shape, iid) + shape.pace / 2;
}

std::string StateOf(int iid) {
  switch (MergeRequestLanding(iid)) {
    case Landing::kOpen:
      return "opened";
    case Landing::kClosed:
      return "closed";
    default:
      return "merged";
  }
}

std::string ProjectUrl(const GitLabShape& shape, const GitLabProject& project) {
  return shape.base_url + "/" + project.path;
}

std::int64_t PipelineCreatedAt(const GitLabShape& shape, int j) {
  return shape.start + j * 2 * shape.pace + 60;
}

json PipelineBasic(const GitLabShape& shape, const GitHistory& history,
                   const GitLabProject& project, int j) {
  const std::int64_t created = PipelineCreatedAt(shape, j);
  const bool running = j == shape.pipelines;
  const std::string status = running ? "running" : j % 6 == 0 ? "failed" : "success";
  return {{"id", project.id * 10000 + j},
          {"iid", j},
          {"project_id", project.id},
          {"sha", history.MainTipAt(created)},
          {"ref", "main"},
          {"status", status},
          {"source", "push"},
          {"created_at", GitLabTime(created)},
          {"updated_at", GitLabTime(created + (running ? 30 : 300))},
          {"web_url",
           ProjectUrl(shape, project) + "/-/pipelines/" + std::to_string(project.id * 10000 + j)}};
}

}  // namespace

std::string GitLabTime(std::int64_t t) {
  std::string text = common::FormatRfc3339(t);
  return text.insert(text.size() - 1, ".000");
}

std::vector<GitLabProject> Projects(const GitLabShape& shape) {
  std::vector<GitLabProject> out;
  for (std::size_t i = 0; i < shape.projects.size(); ++i) {
    const std::string& path = shape.projects[i];
    const std::size_t slash = path.rfind('/');
    out.push_back({101 + static_cast<int>(i), path,
                   slash == std::string::npos ? "" : path.substr(0, slash),
                   path.substr(slash == std::string::npos ? 0 : slash + 1)});
  }
  return out;
}

std::vector<GitLabGroup> Groups(const GitLabShape& shape) {
  std::vector<GitLabGroup> out;
  auto id_of = [&out](const std::string& path) {
    for (const GitLabGroup& group : out) {
      if (group.full_path == path) return group.id;
    }
    return 0;
  };
  for (const GitLabProject& project : Projects(shape)) {
    // Each namespace from its top-level group down.
    for (std::size_t end = 0; end != std::string::npos && !project.namespace_path.empty();) {
      end = project.namespace_path.find('/', end + 1);
      const std::string path = project.namespace_path.substr(0, end);
      if (id_of(path) != 0) continue;
      const std::size_t slash = path.rfind('/');
      out.push_back({11 + static_cast<int>(out.size()), path,
                     slash == std::string::npos ? 0 : id_of(path.substr(0, slash))});
    }
  }
  return out;
}

int ForkProjectId(int project_id) { return 5000 + project_id; }

Landing MergeRequestLanding(int iid) {
  if (iid % 6 == 0) return Landing::kSquash;
  if (iid % 9 == 0) return Landing::kFastForward;
  if (iid % 3 == 0) return Landing::kMergeCommit;
  if (iid % 5 == 0) return Landing::kClosed;
  return Landing::kOpen;
}

bool MergeRequestDraft(int iid) {
  return iid % 7 == 0 && MergeRequestLanding(iid) == Landing::kOpen;
}

bool MergeRequestFromFork(int iid) { return iid % 11 == 0; }

std::int64_t MergeRequestCreatedAt(const GitLabShape& shape, int iid) {
  return shape.start + iid * shape.pace;
}

std::int64_t MergeRequestUpdatedAt(const GitLabShape& shape, int iid) {
  // Open ones were last touched by their approval.
  return MergeRequestLanding(iid) == Landing::kOpen
             ? MergeRequestCreatedAt(shape, iid) + shape.pace / 3
             : ClosedAt(shape, iid);
}

void GrowGitLabHistory(GitHistory& history, const GitLabShape& shape) {
  history.GrowTo(shape.merge_requests, [&shape](int iid) {
    HistoryChange change;
    change.landing = MergeRequestLanding(iid);
    change.committed = MergeRequestCreatedAt(shape, iid) - shape.pace / 6;
    change.landed = ClosedAt(shape, iid);
    change.branch = Branch(iid);
    change.author = {kDeveloper, "Dev Eloper", "devnick", "dev@example.com"};
    change.message = "Change " + std::to_string(iid);
    // GitLab's default templates; the history is every project's, so the reference is short.
    change.landing_message = change.landing == Landing::kSquash
                                 ? change.message
                                 : "Merge branch '" + Branch(iid) + "' into 'main'\n\n" +
                                       change.message + "\n\nSee merge request !" +
                                       std::to_string(iid) + "\n";
    return change;
  });
}

json UserJson(const GitLabShape& shape, int id) {
  const bool developer = id == kDeveloper;
  const std::string username = developer ? "devnick" : "rita";
  return {{"id", id},
          {"username", username},
          {"name", developer ? "Dev Eloper" : "Rita Reviewer"},
          {"state", "active"},
          {"locked", false},
          {"avatar_url", nullptr},
          {"web_url", shape.base_url + "/" + username}};
}

json ProjectJson(const GitLabShape& shape, const GitLabProject& project, bool simple) {
  json namespace_json = {
      {"id", 0},
      {"name", project.namespace_path.substr(project.namespace_path.rfind('/') + 1)},
      {"path", project.namespace_path.substr(project.namespace_path.rfind('/') + 1)},
      {"kind", "group"},
      {"full_path", project.namespace_path},
      {"parent_id", nullptr},
      {"avatar_url", nullptr},
      {"web_url", shape.base_url + "/groups/" + project.namespace_path}};
  for (const GitLabGroup& group : Groups(shape)) {
    if (group.full_path != project.namespace_path) continue;
    namespace_json["id"] = group.id;
    if (group.parent_id != 0) namespace_json["parent_id"] = group.parent_id;
  }
  std::string name_with_namespace = project.path;
  for (std::size_t at = 0; (at = name_with_namespace.find('/', at)) != std::string::npos; at += 3) {
    name_with_namespace.replace(at, 1, " / ");
  }
  const std::int64_t created = shape.start - 30 * common::kDay + project.id * common::kMinute;
  json out = {{"id", project.id},
              {"description", nullptr},
              {"name", project.name},
              {"name_with_namespace", name_with_namespace},
              {"path", project.name},
              {"path_with_namespace", project.path},
              {"created_at", GitLabTime(created)},
              {"default_branch", "main"},
              {"tag_list", json::array()},
              {"topics", json::array()},
              {"ssh_url_to_repo", "git@127.0.0.1:" + project.path + ".git"},
              {"http_url_to_repo", ProjectUrl(shape, project) + ".git"},
              {"web_url", ProjectUrl(shape, project)},
              {"readme_url", nullptr},
              {"forks_count", 1},
              {"avatar_url", nullptr},
              {"star_count", 0},
              {"last_activity_at", GitLabTime(MergeRequestUpdatedAt(shape, shape.merge_requests))},
              {"namespace", namespace_json}};
  if (!simple) {
    out["visibility"] = "private";
    out["archived"] = false;
    out["empty_repo"] = false;
    out["merge_method"] = "merge";
    out["squash_option"] = "default_off";
    out["creator_id"] = kDeveloper;
    out["open_issues_count"] = 0;
  }
  return out;
}

Row MergeRequestKey(const GitLabShape& shape, const GitLabProject& project, int iid) {
  return {nullptr, project.id * 100000 + iid, MergeRequestCreatedAt(shape, iid),
          MergeRequestUpdatedAt(shape, iid)};
}

int MergeRequestIidOf(const GitLabProject& project, std::int64_t id) {
  return static_cast<int>(id - project.id * 100000);
}

std::string MergeRequestState(int iid) { return StateOf(iid); }

Row MergeRequest(const GitLabShape& shape, const GitHistory& history, const GitLabProject& project,
                 int iid) {
  const Landing landing = MergeRequestLanding(iid);
  const std::string state = StateOf(iid);
  const std::int64_t created = MergeRequestCreatedAt(shape, iid);
  const std::int64_t updated = MergeRequestUpdatedAt(shape, iid);
  const bool merged = state == "merged";
  const bool closed = state == "closed";
  const json author = UserJson(shape, kDeveloper);
  const json reviewer = UserJson(shape, kReviewer);
  const std::string reference = "!" + std::to_string(iid);
  const bool draft = MergeRequestDraft(iid);
  const int id = project.id * 100000 + iid;
  json labels = json::array();
  if (iid % 4 == 0) labels.push_back("backend");
  json out = {
      {"id", id},
      {"iid", iid},
      {"project_id", project.id},
      {"title", Title(iid)},
      {"description", ""},
      {"state", state},
      {"created_at", GitLabTime(created)},
      {"updated_at", GitLabTime(updated)},
      {"merged_by", merged ? reviewer : json(nullptr)},
      {"merge_user", merged ? reviewer : json(nullptr)},
      {"merged_at", merged ? json(GitLabTime(ClosedAt(shape, iid))) : json(nullptr)},
      {"closed_by", closed ? author : json(nullptr)},
      {"closed_at", closed ? json(GitLabTime(ClosedAt(shape, iid))) : json(nullptr)},
      {"target_branch", "main"},
      {"source_branch", Branch(iid)},
      {"user_notes_count", iid % 2 == 0 ? 1 : 0},
      {"upvotes", 0},
      {"downvotes", 0},
      {"author", author},
      {"assignees", json::array({author})},
      {"assignee", author},
      {"reviewers", json::array({reviewer})},
      {"source_project_id", MergeRequestFromFork(iid) ? ForkProjectId(project.id) : project.id},
      {"target_project_id", project.id},
      {"labels", labels},
      {"draft", draft},
      {"work_in_progress", draft},
      {"milestone", nullptr},
      {"merge_when_pipeline_succeeds", false},
      {"merge_status", "can_be_merged"},
      {"detailed_merge_status", state != "opened" ? "not_open"
                                : draft           ? "draft_status"
                                                  : "mergeable"},
      {"sha", history.SourceCommit(iid)},
      // A fast-forward makes no commit of its own: GitLab leaves both null, and `sha` is on main.
      {"merge_commit_sha",
       landing == Landing::kMergeCommit ? json(history.MergeCommit(iid)) : json(nullptr)},
      {"squash_commit_sha",
       landing == Landing::kSquash ? json(history.MergeCommit(iid)) : json(nullptr)},
      {"discussion_locked", nullptr},
      {"should_remove_source_branch", nullptr},
      {"force_remove_source_branch", true},
      {"prepared_at", GitLabTime(created)},
      {"reference", reference},
      {"references",
       {{"short", reference}, {"relative", reference}, {"full", project.path + reference}}},
      {"web_url", ProjectUrl(shape, project) + "/-/merge_requests/" + std::to_string(iid)},
      {"time_stats",
       {{"time_estimate", 0},
        {"total_time_spent", 0},
        {"human_time_estimate", nullptr},
        {"human_total_time_spent", nullptr}}},
      {"squash", landing == Landing::kSquash},
      {"squash_on_merge", landing == Landing::kSquash},
      {"task_completion_status", {{"count", 0}, {"completed_count", 0}}},
      {"has_conflicts", false},
      {"blocking_discussions_resolved", true}};
  return {std::move(out), id, created, updated};
}

std::vector<Row> MergeRequestNotes(const GitLabShape& shape, const GitLabProject& project,
                                   int iid) {
  const std::int64_t created = MergeRequestCreatedAt(shape, iid);
  const Landing landing = MergeRequestLanding(iid);
  std::vector<Row> out;
  auto add = [&](int k, std::int64_t at, int author, bool system, const std::string& body) {
    const int id = project.id * 1000000 + iid * 10 + k;
    out.push_back({{{"id", id},
                    {"type", nullptr},
                    {"body", body},
                    {"attachment", nullptr},
                    {"author", UserJson(shape, author)},
                    {"created_at", GitLabTime(at)},
                    {"updated_at", GitLabTime(at)},
                    {"system", system},
                    {"noteable_id", project.id * 100000 + iid},
                    {"noteable_type", "MergeRequest"},
                    {"project_id", project.id},
                    {"resolvable", false},
                    {"confidential", false},
                    {"internal", false},
                    {"imported", false},
                    {"imported_from", "none"},
                    {"noteable_iid", iid},
                    {"commands_changes", json::object()}},
                   id,
                   at,
                   at});
  };
  if (iid % 4 == 0) add(1, created + shape.pace / 12, kDeveloper, true, "added ~1 label");
  if (iid % 2 == 0) add(2, created + shape.pace / 6, kReviewer, false, "Looks fine");
  if (landing != Landing::kClosed) {
    add(3, created + shape.pace / 3, kReviewer, true, "approved this merge request");
  }
  if (landing == Landing::kClosed) add(4, ClosedAt(shape, iid), kDeveloper, true, "closed");
  if (landing != Landing::kOpen && landing != Landing::kClosed) {
    add(4, ClosedAt(shape, iid), kReviewer, true, "merged");
  }
  return out;
}

json MergeRequestApprovals(const GitLabShape& shape, const GitLabProject& project, int iid) {
  const bool approved = MergeRequestLanding(iid) != Landing::kClosed;
  json approved_by = json::array();
  if (approved) approved_by.push_back({{"user", UserJson(shape, kReviewer)}});
  return {{"id", project.id * 100000 + iid},
          {"iid", iid},
          {"project_id", project.id},
          {"title", Title(iid)},
          {"description", ""},
          {"state", StateOf(iid)},
          {"created_at", GitLabTime(MergeRequestCreatedAt(shape, iid))},
          {"updated_at", GitLabTime(MergeRequestUpdatedAt(shape, iid))},
          {"merge_status", "can_be_merged"},
          {"approved", approved},
          {"approvals_required", 1},
          {"approvals_left", approved ? 0 : 1},
          {"require_password_to_approve", false},
          {"approved_by", approved_by},
          {"suggested_approvers", json::array()},
          {"approvers", json::array()},
          {"approver_groups", json::array()},
          {"user_has_approved", false},
          {"user_can_approve", true},
          {"approval_rules_left", json::array()},
          {"has_approval_rules", false},
          {"merge_request_approvers_available", false},
          {"multiple_approval_rules_available", false},
          {"invalid_approvers_rules", json::array()}};
}

Row Pipeline(const GitLabShape& shape, const GitHistory& history, const GitLabProject& project,
             int j) {
  json out = PipelineBasic(shape, history, project, j);
  const std::int64_t created = PipelineCreatedAt(shape, j);
  const std::int64_t id = out["id"];
  out["name"] = nullptr;
  return {std::move(out), id, created, created + (j == shape.pipelines ? 30 : 300)};
}

std::vector<Row> Environments(const GitLabShape& shape, const GitLabProject& project) {
  std::vector<Row> out;
  const std::int64_t created = shape.start - common::kDay;
  for (int rank = 1; rank <= 2; ++rank) {
    const bool production = rank == 1;
    const std::string name = production ? shape.production_environment : "staging";
    const int id = project.id * 10 + rank;
    json environment = {{"id", id},
                        {"name", name},
                        {"slug", name},
                        {"external_url", "https://" + name + "." + project.name + ".example.com"},
                        {"created_at", GitLabTime(created)},
                        {"updated_at", GitLabTime(created)},
                        {"state", "available"},
                        {"auto_stop_at", nullptr},
                        {"description", nullptr}};
    const std::string tier = production ? shape.production_tier : "staging";
    if (!tier.empty()) environment["tier"] = tier;
    out.push_back({std::move(environment), id, created, created});
  }
  return out;
}

Row Deployment(const GitLabShape& shape, const GitHistory& history, const GitLabProject& project,
               int k) {
  const std::int64_t created = shape.start + k * 2 * shape.pace + 400;
  const std::int64_t finished = created + 120;
  const bool production = k % 2 == 0;
  const std::string status = k % 5 == 0 ? "failed" : "success";
  json pipeline = PipelineBasic(shape, history, project, k);
  if (k > shape.pipelines) pipeline["status"] = "success";  // a pipeline listed no more
  const std::string sha = pipeline["sha"];
  json environment = Environments(shape, project)[production ? 0 : 1].object;
  for (const char* detail : {"state", "auto_stop_at", "description", "tier"}) {
    environment.erase(detail);
  }
  const int job = project.id * 100000 + k;
  const json user = UserJson(shape, kDeveloper);
  const std::string name = "deploy-" + environment["name"].get<std::string>();
  json deployable = {{"id", job},
                     {"status", status},
                     {"stage", "deploy"},
                     {"name", name},
                     {"ref", "main"},
                     {"tag", false},
                     {"coverage", nullptr},
                     {"allow_failure", false},
                     {"created_at", GitLabTime(created - 10)},
                     {"started_at", GitLabTime(created)},
                     {"finished_at", GitLabTime(finished)},
                     {"erased_at", nullptr},
                     {"duration", 120.0},
                     {"queued_duration", 1.5},
                     {"user", user},
                     {"commit", {{"id", sha}, {"short_id", sha.substr(0, 8)}}},
                     {"pipeline", pipeline},
                     {"web_url", ProjectUrl(shape, project) + "/-/jobs/" + std::to_string(job)},
                     {"artifacts", json::array()},
                     {"runner", nullptr},
                     {"artifacts_expire_at", nullptr},
                     {"tag_list", json::array()}};
  const int id = project.id * 10000 + k;
  return {{{"id", id},
           {"iid", k},
           {"ref", "main"},
           {"sha", sha},
           {"created_at", GitLabTime(created)},
           {"updated_at", GitLabTime(finished)},
           {"status", status},
           {"user", user},
           {"environment", environment},
           {"deployable", deployable}},
          id,
          created,
          finished};
}

}  // namespace leadline::testing
