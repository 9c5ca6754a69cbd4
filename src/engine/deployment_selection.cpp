#include "engine/deployment_selection.h"

#include <algorithm>
#include <string_view>

#include "common/text.h"

namespace leadline::engine {
namespace {

bool IsProduction(const model::PlatformDeployment& record,
                  const std::vector<std::string>& production) {
  return std::any_of(production.begin(), production.end(), [&](const std::string& word) {
    return (record.environment_type &&
            common::EqualsIgnoringCase(word,
                                       model::EnvironmentTypeName(*record.environment_type))) ||
           (record.environment_name && common::EqualsIgnoringCase(word, *record.environment_name));
  });
}

void SortByTime(std::vector<model::Deployment>& deployments) {
  std::sort(deployments.begin(), deployments.end(),
            [](const model::Deployment& a, const model::Deployment& b) {
              return a.finished_at != b.finished_at ? a.finished_at < b.finished_at
                                                    : a.natural_key < b.natural_key;
            });
}

}  // namespace

std::vector<model::Deployment> ProductionDeployments(
    std::span<const model::PlatformDeployment> records,
    const std::vector<std::string>& production) {
  std::vector<model::Deployment> out;
  for (const model::PlatformDeployment& record : records) {
    if (!IsProduction(record, production) ||
        record.state != model::PlatformDeploymentState::kCompleted || !record.status ||
        !record.completed_at || record.commit_sha.empty()) {
      continue;
    }
    if (*record.status == model::PlatformDeploymentStatus::kStopped) continue;
    model::Deployment deployment;
    deployment.natural_key = "bitbucket:" + record.uuid;
    deployment.source = "bitbucket-deployment";
    deployment.environment = record.environment_name.value_or("production");
    deployment.ref = record.release_name;
    deployment.sha = record.commit_sha;
    deployment.finished_at = *record.completed_at;
    deployment.status = *record.status == model::PlatformDeploymentStatus::kSuccessful
                            ? model::DeploymentStatus::kSuccess
                            : model::DeploymentStatus::kFailure;
    out.push_back(std::move(deployment));
  }
  SortByTime(out);
  return out;
}

ProxyDeployments MergeProxyDeployments(const Snapshot& snapshot,
                                       std::span<const model::PullRequest> pull_requests,
                                       const std::string& default_branch) {
  ProxyDeployments out;
  for (const model::PullRequest& pr : pull_requests) {
    if (pr.state != model::PullRequestState::kMerged || pr.target_branch != default_branch) {
      continue;
    }
    const CommitIndex merge =
        pr.merge_commit ? snapshot.graph.FindByPrefix(*pr.merge_commit) : kNoCommit;
    if (merge == kNoCommit) {
      ++out.unresolved;
      continue;
    }
    model::Deployment deployment;
    deployment.natural_key = "merge:#" + std::to_string(pr.number);
    deployment.source = "merge-proxy";
    deployment.environment = default_branch;
    deployment.ref = "#" + std::to_string(pr.number);
    deployment.sha = snapshot.graph.id(merge).Hex();
    // When it was merged: Cloud's closed_on (asked for) or Data Center's closedDate, else the
    // merge commit's own time. updated_on moves with every later comment.
    deployment.finished_at = pr.closed_at.value_or(snapshot.graph.committer_time(merge));
    out.deployments.push_back(std::move(deployment));
  }
  SortByTime(out.deployments);
  return out;
}

}  // namespace leadline::engine
