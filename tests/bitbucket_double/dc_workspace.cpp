#include "dc_workspace.h"

#include "git_double/git_history.h"

namespace leadline::testing {
namespace {

using nlohmann::json;

constexpr std::int64_t kMillis = 1000;

json User(int id, const std::string& name, const std::string& display_name) {
  return {{"name", name},
          {"emailAddress", name + "@example.com"},
          {"displayName", display_name},
          {"id", id},
          {"slug", name},
          {"active", true},
          {"type", "NORMAL"}};
}

json Author() { return User(1, "dev", "Dev Eloper"); }
json Reviewer() { return User(2, "rita", "Rita Reviewer"); }

json Participant(json user, const std::string& role, const std::string& status) {
  return {{"user", std::move(user)},
          {"role", role},
          {"approved", status == "APPROVED"},
          {"status", status}};
}

json Ref(const std::string& branch, const std::string& commit, int repo) {
  return {{"id", "refs/heads/" + branch},
          {"displayId", branch},
          {"latestCommit", commit},
          {"type", "BRANCH"},
          {"repository", DcRepository(repo)}};
}

json CommitRef(const std::string& sha) { return {{"id", sha}, {"displayId", sha.substr(0, 11)}}; }

// Where the reviewer's last review left them.
std::string ReviewStatus(const CloudWorkspaceShape& shape, int number) {
  std::string status = "UNAPPROVED";
  for (const PullRequestEvent& event : PullRequestEvents(shape, number)) {
    if (event.action == PullRequestAction::kChangesRequested) status = "NEEDS_WORK";
    if (event.action == PullRequestAction::kApproved) status = "APPROVED";
  }
  return status;
}

json Activity(const CloudWorkspaceShape& shape, const GitHistory& history, int number, int id,
              const PullRequestEvent& event) {
  const std::int64_t at = event.at * kMillis;
  json activity = {{"id", id}, {"createdDate", at}};
  switch (event.action) {
    case PullRequestAction::kOpened:
      activity["user"] = Author();
      activity["action"] = "OPENED";
      break;
    case PullRequestAction::kCommented:
      activity["user"] = Reviewer();
      activity["action"] = "COMMENTED";
      activity["commentAction"] = "ADDED";
      activity["comment"] = {
          {"id", event.comment_id},    {"version", 0},         {"text", "Looks fine"},
          {"author", Reviewer()},      {"createdDate", at},    {"updatedDate", at},
          {"comments", json::array()}, {"severity", "NORMAL"}, {"state", "OPEN"}};
      break;
    case PullRequestAction::kChangesRequested:
      activity["user"] = Reviewer();
      activity["action"] = "REVIEWED";
      activity["participant"] = Participant(Reviewer(), "REVIEWER", "NEEDS_WORK");
      break;
    case PullRequestAction::kApproved:
      activity["user"] = Reviewer();
      activity["action"] = "APPROVED";
      activity["participant"] = Participant(Reviewer(), "REVIEWER", "APPROVED");
      break;
    case PullRequestAction::kMerged: {
      activity["user"] = Author();
      activity["action"] = "MERGED";
      json commit = CommitRef(history.MergeCommit(number));
      commit["message"] = PullRequestMergeMessage(shape, number);
      commit["parents"] = json::array();
      for (const std::string& parent : history.MergeParents(number)) {
        commit["parents"].push_back(CommitRef(parent));
      }
      activity["commit"] = commit;
      break;
    }
    case PullRequestAction::kDeclined:
      activity["user"] = Author();
      activity["action"] = "DECLINED";
      break;
  }
  return activity;
}

json BuildStatus(const CloudWorkspaceShape& shape, int pipeline) {
  const PipelineResult result = PipelineResultOf(shape, pipeline);
  const std::int64_t created = PipelineCreatedOn(shape, pipeline);
  const std::string number = std::to_string(pipeline);
  json status = {{"key", "ci-" + number},
                 {"name", "CI #" + number},
                 {"state", result == PipelineResult::kFailed       ? "FAILED"
                           : result == PipelineResult::kSuccessful ? "SUCCESSFUL"
                                                                   : "INPROGRESS"},
                 {"url", "https://ci.example.com/builds/" + number},
                 {"buildNumber", number},
                 {"ref", "refs/heads/main"},
                 {"createdDate", created * kMillis},
                 {"updatedDate", created * kMillis}};
  if (result != PipelineResult::kRunning) {
    status["updatedDate"] = (created + kPipelineSeconds) * kMillis;
    status["duration"] = kPipelineSeconds * kMillis;
  }
  return status;
}

}  // namespace

json DcRepository(int repo) {
  return {
      {"slug", RepoSlug(repo)},
      {"id", repo},
      {"name", RepoSlug(repo)},
      {"scmId", "git"},
      {"state", "AVAILABLE"},
      {"statusMessage", "Available"},
      {"forkable", true},
      {"public", false},
      {"archived", false},
      {"project",
       {{"key", "PROJ"}, {"id", 1}, {"name", "Project"}, {"public", false}, {"type", "NORMAL"}}}};
}

json DcPullRequest(const CloudWorkspaceShape& shape, const GitHistory& history,
                   const std::string& web_url, int repo, int number) {
  const std::string state = PullRequestState(number);
  const bool open = state == "OPEN";
  const std::string name = std::to_string(number);
  const std::int64_t updated = PullRequestUpdatedOn(shape, number) * kMillis;
  json properties = {{"commentCount", PullRequestCommentCount(number)},
                     {"openTaskCount", 0},
                     {"resolvedTaskCount", 0}};
  if (state == "MERGED") properties["mergeCommit"] = CommitRef(history.MergeCommit(number));
  json pull_request = {
      {"id", number},
      {"version", open ? 0 : 2},
      {"title", "Change " + name},
      {"description", ""},
      {"state", state},
      {"open", open},
      {"closed", !open},
      {"draft", false},
      {"locked", false},
      {"createdDate", PullRequestCreatedOn(shape, number) * kMillis},
      {"updatedDate", updated},
      {"fromRef", Ref("feature/" + name, history.SourceCommit(number), repo)},
      {"toRef", Ref("main", history.DestinationCommit(number), repo)},
      {"author", Participant(Author(), "AUTHOR", "UNAPPROVED")},
      {"reviewers",
       json::array({Participant(Reviewer(), "REVIEWER", ReviewStatus(shape, number))})},
      {"participants", json::array()},
      {"properties", properties},
      {"links",
       {{"self", json::array({{{"href", web_url + "/projects/PROJ/repos/" + RepoSlug(repo) +
                                            "/pull-requests/" + name}}})}}}};
  if (!open) pull_request["closedDate"] = PullRequestClosedOn(shape, number) * kMillis;
  return pull_request;
}

json DcActivities(const CloudWorkspaceShape& shape, const GitHistory& history, int number) {
  const std::vector<PullRequestEvent> events = PullRequestEvents(shape, number);
  json out = json::array();
  for (std::size_t k = events.size(); k-- > 0;) {
    out.push_back(Activity(shape, history, number, number * 100 + static_cast<int>(k), events[k]));
  }
  return out;
}

std::map<std::string, json> DcBuildStatuses(const CloudWorkspaceShape& shape,
                                            const GitHistory& history) {
  std::map<std::string, json> out;
  for (int pipeline = shape.pipelines; pipeline >= 1; --pipeline) {
    out[PipelineCommit(shape, history, pipeline)].push_back(BuildStatus(shape, pipeline));
  }
  return out;
}

json DcBuildStats(const json& statuses) {
  static const std::map<std::string, std::string> kCounters = {{"SUCCESSFUL", "successful"},
                                                               {"FAILED", "failed"},
                                                               {"INPROGRESS", "inProgress"},
                                                               {"CANCELLED", "cancelled"},
                                                               {"UNKNOWN", "unknown"}};
  json stats = json::object();
  for (const auto& [state, counter] : kCounters) stats[counter] = 0;
  for (const json& status : statuses) {
    json& count = stats[kCounters.at(status["state"].get<std::string>())];
    count = count.get<int>() + 1;
  }
  return stats;
}

}  // namespace leadline::testing
