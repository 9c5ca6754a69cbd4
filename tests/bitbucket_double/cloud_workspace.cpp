#include "cloud_workspace.h"

#include <algorithm>
#include <cstdio>

#include "common/time.h"
#include "organisation.h"

namespace leadline::testing {
namespace {

using nlohmann::json;

// `digits` hex digits (at most 12) unique to `i` and `salt`: multiplying by an odd constant is a
// bijection modulo 2^44.
std::string Hash(int i, char salt, int digits) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "%c%011llx", salt,
                (static_cast<unsigned long long>(i) * 2654435761ULL) & ((1ULL << 44) - 1));
  return std::string(buffer, static_cast<std::size_t>(digits));
}

std::string Time(std::int64_t t) { return common::FormatRfc3339(t); }

json Account(int i, const std::string& name, const std::string& nickname) {
  return {{"type", "user"},
          {"display_name", name},
          {"nickname", nickname},
          {"uuid", BracedUuid(i)},
          {"account_id", "557058:" + BracedUuid(i).substr(1, 36)}};
}

json Author(const CloudWorkspaceShape& shape) { return Account(1, "Dev Eloper", shape.nickname); }
json AuthorOf(const CloudWorkspaceShape& shape, int number) {
  const Person person = PullRequestAuthor(shape, number);
  return Account(person.account, person.name, person.nickname);
}

bool Reverts(const CloudWorkspaceShape& shape, int number) {
  // Odd multiples of 51: merged (a multiple of 3) by a merge commit (not a multiple of 6), as is
  // the change six earlier that it reverts.
  return shape.organisation && number % 51 == 0 && number % 2 == 1;
}
json Reviewer() { return Account(2, "Rita Reviewer", "rita"); }

json PullRequestRef(int number) {
  return {{"type", "pullrequest"}, {"id", number}, {"title", "Change " + std::to_string(number)}};
}

json Entry(const char* key, json body, int number) {
  body["pullrequest"] = PullRequestRef(number);
  return {{key, body}, {"pull_request", PullRequestRef(number)}};
}

json CommitRef(const std::string& sha) { return {{"type", "commit"}, {"hash", sha.substr(0, 12)}}; }

json Update(const CloudWorkspaceShape& shape, const GitHistory& history, int number,
            const std::string& state, std::int64_t at) {
  return Entry("update",
               {{"state", state},
                {"date", Time(at)},
                {"author", AuthorOf(shape, number)},
                {"title", PullRequestTitle(shape, number)},
                {"description", ""},
                {"reason", ""},
                {"source",
                 {{"branch", {{"name", PullRequestBranch(shape, number)}}},
                  {"commit", CommitRef(history.SourceCommit(number))}}},
                {"destination",
                 {{"branch", {{"name", "main"}}},
                  {"commit", CommitRef(history.DestinationCommit(number))}}}},
               number);
}

// Cloud tells openings and closings as updates to the pull request's state.
json CloudEntry(const CloudWorkspaceShape& shape, const GitHistory& history, int number,
                const PullRequestEvent& event) {
  switch (event.action) {
    case PullRequestAction::kCommented:
      return Entry("comment",
                   {{"id", event.comment_id},
                    {"created_on", Time(event.at)},
                    {"updated_on", Time(event.at)},
                    {"content",
                     {{"type", "rendered"},
                      {"raw", "Looks fine"},
                      {"markup", "markdown"},
                      {"html", "<p>Looks fine</p>"}}},
                    {"user", Reviewer()},
                    {"deleted", false},
                    {"type", "pullrequest_comment"}},
                   number);
    case PullRequestAction::kChangesRequested:
      return Entry("changes_requested", {{"date", Time(event.at)}, {"user", Reviewer()}}, number);
    case PullRequestAction::kApproved:
      return Entry("approval", {{"date", Time(event.at)}, {"user", Reviewer()}}, number);
    default:
      return Update(shape, history, number,
                    event.action == PullRequestAction::kOpened ? "OPEN" : PullRequestState(number),
                    event.at);
  }
}

constexpr const char* kEnvironmentNames[] = {"Test", "Staging", "Production"};

std::string EnvironmentUuid(int rank) {
  return "{e0000000-0000-4000-8000-00000000000" + std::to_string(rank) + "}";
}

// The uuid of pipeline `number` (its build number).
std::string PipelineUuid(int number) {
  return "{9e000000-0000-4000-8000-" + Hash(number, '0', 12) + "}";
}

}  // namespace

std::string BracedUuid(int i) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "{00000000-0000-4000-8000-%012d}", i);
  return buffer;
}

std::string RepoSlug(int i) { return "repo-" + std::to_string(i); }

int RepoNumber(const std::string& slug) {
  if (!slug.starts_with("repo-") || slug.size() > 14) return 0;
  int number = 0;
  for (std::size_t i = 5; i < slug.size(); ++i) {
    if (slug[i] < '0' || slug[i] > '9') return 0;
    number = number * 10 + (slug[i] - '0');
  }
  return number;
}

Person PullRequestAuthor(const CloudWorkspaceShape& shape, int number) {
  if (!shape.organisation) return {1, "Dev Eloper", shape.nickname, "dev@example.com"};
  return OrganisationAuthor(shape.repository, number);
}

std::string PullRequestBranch(const CloudWorkspaceShape& shape, int number) {
  return (shape.organisation && number % 13 == 0 ? "hotfix/" : "feature/") + std::to_string(number);
}

std::string PullRequestTitle(const CloudWorkspaceShape& shape, int number) {
  if (Reverts(shape, number)) return "Revert \"Change " + std::to_string(number - 6) + "\"";
  return "Change " + std::to_string(number);
}

std::string PullRequestCommitMessage(const CloudWorkspaceShape& shape, int number) {
  if (!Reverts(shape, number)) return PullRequestTitle(shape, number);
  return PullRequestTitle(shape, number) + "\n\nThis reverts change " + std::to_string(number - 6) +
         ".\n";
}

bool PullRequestSquashed(int number) { return number % 6 == 0; }

std::string PullRequestMergeMessage(const CloudWorkspaceShape& shape, int number) {
  const std::string reference = "(pull request #" + std::to_string(number) + ")";
  const std::string title = PullRequestTitle(shape, number);
  if (PullRequestSquashed(number)) return title + " " + reference;
  return "Merged in " + PullRequestBranch(shape, number) + " " + reference + "\n\n" + title;
}

void GrowHistory(GitHistory& history, const CloudWorkspaceShape& shape) {
  history.GrowTo(shape.pull_requests, [&shape](int number) {
    const std::string state = PullRequestState(number);
    HistoryChange change;
    change.landing = state == "MERGED"
                         ? (PullRequestSquashed(number) ? Landing::kSquash : Landing::kMergeCommit)
                     : state == "DECLINED" ? Landing::kClosed
                                           : Landing::kOpen;
    change.committed = PullRequestCommittedOn(shape, number);
    change.landed = PullRequestClosedOn(shape, number);
    change.branch = PullRequestBranch(shape, number);
    change.author = PullRequestAuthor(shape, number);
    change.message = PullRequestCommitMessage(shape, number);
    change.landing_message = PullRequestMergeMessage(shape, number);
    return change;
  });
}

std::string PullRequestState(int number) {
  return number % 3 == 0 ? "MERGED" : number % 5 == 0 ? "DECLINED" : "OPEN";
}

std::int64_t PullRequestCreatedOn(const CloudWorkspaceShape& shape, int number) {
  return shape.start + number * shape.pace;
}
std::int64_t PullRequestCommittedOn(const CloudWorkspaceShape& shape, int number) {
  return PullRequestCreatedOn(shape, number) - shape.pace / 6;
}
std::int64_t PullRequestClosedOn(const CloudWorkspaceShape& shape, int number) {
  return PullRequestCreatedOn(shape, number) +
         (shape.close_permille > 0 ? shape.pace * shape.close_permille / 1000 : shape.pace / 2);
}

std::int64_t PullRequestUpdatedOn(const CloudWorkspaceShape& shape, int number) {
  const auto published = shape.published.find(number);
  const std::int64_t closed = PullRequestClosedOn(shape, number);
  return published == shape.published.end() ? closed : std::max(closed, published->second.at);
}

int PullRequestCommentCount(int number) { return number % 2 == 0 ? 1 : 0; }

std::vector<PullRequestEvent> PullRequestEvents(const CloudWorkspaceShape& shape, int number) {
  const std::int64_t created = PullRequestCreatedOn(shape, number);
  const std::string state = PullRequestState(number);
  const bool own_delays = shape.pickup_permille > 0 && shape.approval_permille > 0;
  const std::int64_t pickup =
      own_delays ? shape.pace * shape.pickup_permille / 1000 : shape.pace / 6;
  const std::int64_t approval =
      own_delays ? shape.pace * shape.approval_permille / 1000 : shape.pace / 3;
  const std::int64_t changes = own_delays ? (pickup + approval) / 2 : shape.pace / 4;
  std::vector<PullRequestEvent> events = {{PullRequestAction::kOpened, created}};
  if (PullRequestCommentCount(number) > 0) {
    events.push_back({PullRequestAction::kCommented, created + pickup, 10000 + number});
  }
  if (number % 7 == 0) {
    events.push_back({PullRequestAction::kChangesRequested, created + changes});
  }
  if (state != "DECLINED") {
    events.push_back({PullRequestAction::kApproved, created + approval});
  }
  if (state != "OPEN") {
    events.push_back({state == "MERGED" ? PullRequestAction::kMerged : PullRequestAction::kDeclined,
                      PullRequestClosedOn(shape, number)});
  }
  if (const auto published = shape.published.find(number); published != shape.published.end()) {
    for (int i = 0; i < published->second.count; ++i) {
      events.push_back(
          {PullRequestAction::kCommented, published->second.at, 20000 + number * 10 + i});
    }
  }
  return events;
}

std::int64_t PipelineCreatedOn(const CloudWorkspaceShape& shape, int number) {
  return shape.start + number * 2 * shape.pace + 60;
}

PipelineResult PipelineResultOf(const CloudWorkspaceShape& shape, int number) {
  if (number == shape.pipelines && shape.last_pipeline_running) return PipelineResult::kRunning;
  if (number % 6 == 0) return PipelineResult::kFailed;
  if (shape.manual_production && number % 4 != 0 && !shape.triggered.contains(number)) {
    return PipelineResult::kPaused;
  }
  return PipelineResult::kSuccessful;
}

std::string PipelineCommit(const CloudWorkspaceShape& shape, const GitHistory& history,
                           int number) {
  return history.MainTipAt(PipelineCreatedOn(shape, number));
}

json CloudPullRequest(const CloudWorkspaceShape& shape, const GitHistory& history,
                      const std::string& slug, int number) {
  const std::string state = PullRequestState(number);
  const json repository = {{"type", "repository"}, {"full_name", shape.workspace + "/" + slug}};
  return {
      {"type", "pullrequest"},
      {"id", number},
      {"title", PullRequestTitle(shape, number)},
      {"description", ""},
      {"state", state},
      {"author", AuthorOf(shape, number)},
      {"source",
       {{"branch", {{"name", PullRequestBranch(shape, number)}}},
        {"commit", CommitRef(history.SourceCommit(number))},
        {"repository", repository}}},
      {"destination",
       {{"branch", {{"name", "main"}}},
        {"commit", CommitRef(history.DestinationCommit(number))},
        {"repository", repository}}},
      {"merge_commit", state == "MERGED" ? CommitRef(history.MergeCommit(number)) : json(nullptr)},
      {"comment_count", PullRequestCommentCount(number)},
      {"task_count", 0},
      {"close_source_branch", true},
      {"closed_by", state == "OPEN" ? json(nullptr) : Author(shape)},
      {"reason", ""},
      {"created_on", Time(PullRequestCreatedOn(shape, number))},
      {"updated_on", Time(PullRequestUpdatedOn(shape, number))},
      {"draft", false}};
}

bool PullRequestCommitsKept(int number) { return number % 30 != 0; }

json CloudPullRequestCommits(const CloudWorkspaceShape& shape, const GitHistory& history,
                             int number) {
  json values = json::array();
  if (!PullRequestCommitsKept(number)) return values;
  const Person author = PullRequestAuthor(shape, number);
  const std::string sha = history.SourceCommit(number);
  values.push_back({{"type", "commit"},
                    {"hash", sha},
                    {"date", Time(PullRequestCommittedOn(shape, number))},
                    {"author",
                     {{"type", "author"},
                      {"raw", author.name + " <" + author.email + ">"},
                      {"user", AuthorOf(shape, number)}}},
                    {"message", PullRequestCommitMessage(shape, number)},
                    {"parents", json::array({{{"type", "commit"},
                                              {"hash", history.DestinationCommit(number)}}})}});
  return values;
}

json CloudActivityStream(const CloudWorkspaceShape& shape, const GitHistory& history) {
  std::vector<std::pair<std::int64_t, json>> entries;
  for (int number = 1; number <= shape.pull_requests; ++number) {
    for (const PullRequestEvent& event : PullRequestEvents(shape, number)) {
      entries.emplace_back(event.at, CloudEntry(shape, history, number, event));
    }
  }
  // Reversed first, so that the stable sort puts the higher pull request number first on ties.
  std::reverse(entries.begin(), entries.end());
  std::stable_sort(entries.begin(), entries.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  json out = json::array();
  for (auto& [at, entry] : entries) out.push_back(std::move(entry));
  return out;
}

json CloudPipelines(const CloudWorkspaceShape& shape, const GitHistory& history,
                    const std::string& slug, bool newest_first) {
  json out = json::array();
  for (int j = 1; j <= shape.pipelines; ++j) {
    const std::int64_t created = PipelineCreatedOn(shape, j);
    const PipelineResult result = PipelineResultOf(shape, j);
    const bool running = result == PipelineResult::kRunning || result == PipelineResult::kPaused;
    json state;
    if (result == PipelineResult::kPaused) {
      state = {{"type", "pipeline_state_in_progress"},
               {"name", "IN_PROGRESS"},
               {"stage", {{"type", "pipeline_state_in_progress_paused"}, {"name", "PAUSED"}}}};
    } else if (running) {
      state = {{"type", "pipeline_state_in_progress"},
               {"name", "IN_PROGRESS"},
               {"stage", {{"type", "pipeline_state_in_progress_running"}, {"name", "RUNNING"}}}};
    } else {
      const bool failed = result == PipelineResult::kFailed;
      state = {{"type", "pipeline_state_completed"},
               {"name", "COMPLETED"},
               {"result",
                {{"type", failed ? "pipeline_state_completed_failed"
                                 : "pipeline_state_completed_successful"},
                 {"name", failed ? "FAILED" : "SUCCESSFUL"}}}};
    }
    json pipeline = {
        {"type", "pipeline"},
        {"uuid", PipelineUuid(j)},
        {"build_number", j},
        {"creator", Author(shape)},
        {"repository", {{"type", "repository"}, {"full_name", shape.workspace + "/" + slug}}},
        {"target",
         {{"type", "pipeline_ref_target"},
          {"ref_type", "branch"},
          {"ref_name", "main"},
          {"commit", {{"type", "commit"}, {"hash", PipelineCommit(shape, history, j)}}},
          {"selector", {{"type", "branches"}, {"pattern", "main"}}}}},
        {"trigger", {{"type", "pipeline_trigger_push"}, {"name", "PUSH"}}},
        {"state", state},
        {"created_on", Time(created)},
        {"build_seconds_used", running ? 0 : 240}};
    if (!running) {
      const auto triggered = shape.triggered.find(j);
      pipeline["completed_on"] =
          Time(triggered == shape.triggered.end() ? created + kPipelineSeconds
                                                  : triggered->second + kPipelineSeconds);
      pipeline["duration_in_seconds"] = kPipelineSeconds;
    }
    out.push_back(pipeline);
  }
  if (newest_first) std::reverse(out.begin(), out.end());
  return out;
}

json CloudDeployments(const CloudWorkspaceShape& shape, const GitHistory& history,
                      const std::string& slug, bool newest_first) {
  std::vector<std::pair<std::int64_t, json>> out;  // by start; 0: not started
  // In an organisation each repository deploys at its own minute and fails at its own rate
  // (from 5% to 24% of deployments).
  const int repo = shape.organisation ? shape.repository : 0;
  for (int k = 1; k <= shape.deployments; ++k) {
    const std::int64_t started = shape.start + k * 2 * shape.pace + 400 + repo * 37 * 60;
    const bool failed =
        shape.organisation ? (k * 7919 + repo * 104729) % 100 < 5 + repo * 7 % 20 : k % 5 == 0;
    const int rank = k % 2 == 0 ? 2 : 1;  // production, staging
    const auto triggered = shape.triggered.find(k);
    const std::int64_t start = triggered == shape.triggered.end() ? started : triggered->second;
    const PipelineResult pipeline =
        k <= shape.pipelines ? PipelineResultOf(shape, k) : PipelineResult::kSuccessful;
    // Deployment k is a step of pipeline k, where there is one (its release is "#k").
    const json release_pipeline =
        k <= shape.pipelines ? json{{"type", "pipeline"}, {"uuid", PipelineUuid(k)}} : json();
    if (shape.manual_production && rank == 2 && pipeline != PipelineResult::kSuccessful) {
      out.emplace_back(
          0, json{{"type", "deployment"},
                  {"uuid", "{d0000000-0000-4000-8000-" + Hash(k, '1', 12) + "}"},
                  {"step", {{"uuid", "{5e000000-0000-4000-8000-" + Hash(k, '2', 12) + "}"}}},
                  {"environment", {{"uuid", EnvironmentUuid(rank)}}},
                  {"release",
                   {{"type", "deployment_release"},
                    {"uuid", "{7e000000-0000-4000-8000-" + Hash(k, '3', 12) + "}"},
                    {"name", "#" + std::to_string(k)},
                    {"pipeline", release_pipeline},
                    {"commit", {{"type", "commit"}, {"hash", history.MainTipAt(started - 60)}}},
                    {"created_on", Time(started - 60)}}},
                  {"state",
                   {{"type", "deployment_state_undeployed"},
                    {"name", "UNDEPLOYED"},
                    {"trigger_url", "https://bitbucket.org/" + shape.workspace + "/" + slug +
                                        "/addon/pipelines/home#!/results/" + std::to_string(k)}}}});
      continue;
    }
    out.emplace_back(
        start, json{{"type", "deployment"},
                    {"uuid", "{d0000000-0000-4000-8000-" + Hash(k, '1', 12) + "}"},
                    {"step", {{"uuid", "{5e000000-0000-4000-8000-" + Hash(k, '2', 12) + "}"}}},
                    {"environment", {{"uuid", EnvironmentUuid(rank)}}},
                    {"release",
                     {{"type", "deployment_release"},
                      {"uuid", "{7e000000-0000-4000-8000-" + Hash(k, '3', 12) + "}"},
                      {"name", "#" + std::to_string(k)},
                      {"pipeline", release_pipeline},
                      {"url", "https://bitbucket.org/" + shape.workspace + "/" + slug +
                                  "/addon/pipelines/home#!/results/" + std::to_string(k)},
                      {"commit", {{"type", "commit"}, {"hash", history.MainTipAt(started - 60)}}},
                      {"created_on", Time(started - 60)}}},
                    {"state",
                     {{"type", "deployment_state_completed"},
                      {"name", "COMPLETED"},
                      {"deployer", Author(shape)},
                      {"start_date", Time(start)},
                      {"completion_date", Time(start + 120)},
                      {"status",
                       {{"type", failed ? "deployment_state_completed_status_failed"
                                        : "deployment_state_completed_status_successful"},
                        {"name", failed ? "FAILED" : "SUCCESSFUL"}}}}}});
  }
  if (newest_first) {
    // Not started last; ties: the later deployment first.
    std::reverse(out.begin(), out.end());
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
  }
  json values = json::array();
  for (auto& [start, deployment] : out) values.push_back(std::move(deployment));
  return values;
}

json CloudEnvironments() {
  json out = json::array();
  for (int rank = 0; rank < 3; ++rank) {
    out.push_back({{"type", "deployment_environment"},
                   {"uuid", EnvironmentUuid(rank)},
                   {"name", std::string(kEnvironmentNames[rank])},
                   {"slug", std::string(kEnvironmentNames[rank])},
                   {"rank", rank},
                   {"hidden", false},
                   {"environment_lock_enabled", true},
                   {"deployment_gate_enabled", false},
                   {"restrictions",
                    {{"type", "deployment_restrictions_configuration"}, {"admin_only", rank == 2}}},
                   {"lock", {{"type", "deployment_environment_lock_open"}, {"name", "OPEN"}}},
                   {"environment_type",
                    {{"type", "deployment_environment_type"},
                     {"name", std::string(kEnvironmentNames[rank])},
                     {"rank", rank}}}});
  }
  return out;
}

}  // namespace leadline::testing
