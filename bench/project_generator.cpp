#include "project_generator.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "store/store.h"

namespace leadline::bench {
namespace {

using common::kHour;
using common::kMinute;
using common::UnixSeconds;

// A unique 40-digit id per (repository, commit).
std::string Sha(int repo, std::int64_t commit) {
  char buffer[41];
  std::snprintf(buffer, sizeof(buffer), "%08x%016llx%016llx", static_cast<unsigned>(repo) + 1,
                static_cast<unsigned long long>(commit) * 0x9e3779b97f4a7c15ull,
                static_cast<unsigned long long>(commit));
  return buffer;
}

model::PlatformUser Person(int i) {
  return {"{00000000-0000-4000-8000-" + std::to_string(100000000000 + i) + "}",
          "Person " + std::to_string(i)};
}

model::Commit MakeCommit(int repo, std::int64_t index, std::vector<std::string> parents,
                         UnixSeconds at, std::string message) {
  model::Commit commit;
  commit.sha = Sha(repo, index);
  commit.parents = std::move(parents);
  commit.author = {"Dev", "dev@example.com"};
  commit.committer = commit.author;
  commit.author_time = at;
  commit.committer_time = at;
  commit.message = std::move(message);
  return commit;
}

struct RepositoryRows {
  std::vector<model::Commit> commits;
  std::vector<model::PullRequest> pull_requests;
  std::vector<model::PullRequestActivity> activity;
  std::vector<model::PlatformDeployment> deployments;
  std::vector<model::Incident> incidents;
};

RepositoryRows MakeRepository(int repo, const ProjectShape& shape) {
  RepositoryRows rows;
  const UnixSeconds start = shape.end - static_cast<UnixSeconds>(shape.days) * common::kDay;
  const int prs = shape.pull_requests_per_repository;
  const common::Seconds spacing = (shape.end - start) / (prs + 1);
  std::int64_t next = 0;
  rows.commits.push_back(MakeCommit(repo, next++, {}, start - common::kDay, "Initial commit"));
  std::string main_tip = rows.commits.back().sha;
  std::vector<std::string> merges;  // per pull request
  for (int n = 1; n <= prs; ++n) {
    const UnixSeconds merged = start + n * spacing;
    const UnixSeconds opened = merged - 6 * kHour;
    std::string parent = main_tip;
    for (int c = 0; c < shape.commits_per_pull_request; ++c) {
      const UnixSeconds at = opened - (shape.commits_per_pull_request - c) * 20 * kMinute;
      rows.commits.push_back(MakeCommit(repo, next++, {parent}, at,
                                        "Change " + std::to_string(n) + "." + std::to_string(c)));
      parent = rows.commits.back().sha;
    }
    const std::string branch = (n % 97 == 0 ? "hotfix/" : "feature/") + std::to_string(n);
    rows.commits.push_back(
        MakeCommit(repo, next++, {main_tip, parent}, merged,
                   "Merged in " + branch + " (pull request #" + std::to_string(n) + ")"));
    main_tip = rows.commits.back().sha;
    merges.push_back(main_tip);

    model::PullRequest pr;
    pr.number = n;
    pr.title = "Change " + std::to_string(n);
    pr.state = model::PullRequestState::kMerged;
    pr.author = Person((repo * 7 + n) % shape.people);
    pr.source_branch = branch;
    pr.target_branch = "main";
    pr.source_commit = parent.substr(0, 12);
    pr.merge_commit = main_tip.substr(0, 12);
    pr.created_at = opened;
    pr.updated_at = merged;
    pr.closed_at = merged;
    rows.pull_requests.push_back(pr);
    const std::string reviewer = Person((repo * 7 + n + 1) % shape.people).id;
    rows.activity.push_back({n,
                             model::PullRequestActivityKind::kComment,
                             reviewer,
                             opened + 40 * kMinute,
                             {},
                             std::to_string(n)});  // a comment's id
    rows.activity.push_back(
        {n, model::PullRequestActivityKind::kApproval, reviewer, merged - kHour, {}, ""});
  }
  // Deployments of every k-th merge, an hour after it; one in 20 fails and is re-run green.
  const int every = std::max(1, prs / shape.deployments_per_repository);
  for (int d = 0; d < shape.deployments_per_repository; ++d) {
    const int pr = std::min(prs, (d + 1) * every);
    const UnixSeconds at = rows.pull_requests[static_cast<std::size_t>(pr - 1)].closed_at.value();
    const bool failed = d % 20 == 7;
    model::PlatformDeployment deployment;
    deployment.uuid = "{" + Sha(repo, 1000000 + d).substr(0, 36) + "}";
    deployment.environment_uuid = "{production}";
    deployment.state = model::PlatformDeploymentState::kCompleted;
    deployment.status = failed ? model::PlatformDeploymentStatus::kFailed
                               : model::PlatformDeploymentStatus::kSuccessful;
    deployment.commit_sha = merges[static_cast<std::size_t>(pr - 1)];
    deployment.started_at = at + 50 * kMinute;
    deployment.completed_at = at + kHour;
    deployment.release_name = "#" + std::to_string(d + 1);
    rows.deployments.push_back(deployment);
  }
  // Incidents a few hours after a deployment, resolved within hours; one in 4 of a severity that
  // does not count.
  for (int i = 0; i < shape.incidents_per_repository; ++i) {
    const std::size_t d = static_cast<std::size_t>(i) * rows.deployments.size() /
                          static_cast<std::size_t>(shape.incidents_per_repository);
    model::Incident incident;
    incident.id = "INC-" + std::to_string(repo) + "-" + std::to_string(i);
    incident.source = "import";
    incident.service = "repo-" + std::to_string(repo);
    incident.severity = i % 4 == 3 ? "P3" : (i % 2 ? "P1" : "P2");
    incident.started_at = *rows.deployments[d].completed_at + (1 + i % 5) * kHour;
    incident.resolved_at = incident.started_at + (1 + i % 7) * kHour;
    rows.incidents.push_back(incident);
  }
  return rows;
}

}  // namespace

common::Status GenerateProject(const std::string& db_path, const ProjectShape& shape) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(db_path));
  model::Connection connection;
  connection.name = "bitbucket-cloud/bench";
  connection.url = "https://api.bitbucket.org/2.0";
  connection.workspace = "bench";
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t connection_id,
                            store->connections().UpsertConnection(connection));
  for (int repo = 0; repo < shape.repositories; ++repo) {
    const RepositoryRows rows = MakeRepository(repo, shape);
    LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store->Begin());
    char name[32];
    std::snprintf(name, sizeof(name), "repo-%d", repo);
    LEADLINE_ASSIGN_OR_RETURN(
        const std::int64_t repo_id,
        store->repositories().UpsertRepository({0, "bitbucket-cloud", std::string("bench/") + name,
                                                name, "main", connection_id, true, "", true}));
    LEADLINE_RETURN_IF_ERROR(store->repositories().SetSelected(repo_id, true));
    LEADLINE_RETURN_IF_ERROR(store->history().InsertCommits(repo_id, rows.commits).status());
    LEADLINE_RETURN_IF_ERROR(
        store->pull_requests().UpsertPullRequests(repo_id, rows.pull_requests).status());
    LEADLINE_RETURN_IF_ERROR(
        store->pull_requests().InsertPullRequestActivity(repo_id, rows.activity).status());
    LEADLINE_RETURN_IF_ERROR(store->pipelines().UpsertEnvironments(
        repo_id, {{"{production}", "Production", model::EnvironmentType::kProduction}}));
    LEADLINE_RETURN_IF_ERROR(
        store->pipelines().UpsertPlatformDeployments(repo_id, rows.deployments).status());
    LEADLINE_RETURN_IF_ERROR(store->incidents().UpsertIncidents(rows.incidents).status());
    LEADLINE_RETURN_IF_ERROR(transaction.Commit());
    std::fprintf(stderr, "\rgenerated %d of %d repositories", repo + 1, shape.repositories);
  }
  std::fprintf(stderr, "\n");
  return common::Status::Ok();
}

bool ApplyShapeFlag(const std::string& flag, const char* value, ProjectShape& shape) {
  int* field = flag == "--repositories"    ? &shape.repositories
               : flag == "--pull-requests" ? &shape.pull_requests_per_repository
               : flag == "--deployments"   ? &shape.deployments_per_repository
               : flag == "--incidents"     ? &shape.incidents_per_repository
               : flag == "--days"          ? &shape.days
                                           : nullptr;
  if (field == nullptr) return false;
  *field = std::atoi(value);
  return true;
}

}  // namespace leadline::bench
