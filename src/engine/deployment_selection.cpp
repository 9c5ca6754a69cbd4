#include "engine/deployment_selection.h"

#include <algorithm>
#include <map>
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

bool Contains(const std::vector<std::string>& items, const std::string& item) {
  return std::find(items.begin(), items.end(), item) != items.end();
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
    deployment.natural_key = model::ProviderKey(record.provider, record.uuid);
    deployment.source = model::ProviderName(record.provider);
    deployment.environment = record.environment_name.value_or("production");
    deployment.ref = record.release_name;
    deployment.sha = record.commit_sha;
    deployment.finished_at = *record.completed_at;
    deployment.started_at = record.started_at;
    deployment.branch = record.branch.value_or("");
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
  const CommitGraph& graph = snapshot.graph;
  ProxyDeployments out;
  std::vector<bool> pull_request_merge(graph.size(), false);
  std::map<std::string, const model::PullRequest*> by_key;  // natural key -> pull request
  for (const model::PullRequest& pr : pull_requests) {
    if (pr.state != model::PullRequestState::kMerged) continue;
    const CommitIndex merge = pr.merge_commit ? graph.FindByPrefix(*pr.merge_commit) : kNoCommit;
    if (merge != kNoCommit) pull_request_merge[merge] = true;
    if (pr.target_branch != default_branch) continue;
    if (merge == kNoCommit) {
      ++out.unresolved;
      continue;
    }
    model::Deployment deployment;
    deployment.natural_key = "merge:#" + std::to_string(pr.number);
    deployment.source = "merge-proxy";
    deployment.environment = default_branch;
    deployment.ref = "#" + std::to_string(pr.number);
    deployment.branch = default_branch;
    deployment.sha = graph.id(merge).Hex();
    // When it was merged: Cloud's closed_on (asked for) or Data Center's closedDate, else the
    // merge commit's own time. updated_on moves with every later comment.
    deployment.finished_at = pr.closed_at.value_or(graph.committer_time(merge));
    by_key[deployment.natural_key] = &pr;
    out.deployments.push_back(std::move(deployment));
  }
  SortByTime(out.deployments);
  if (out.deployments.empty()) return out;

  // The default branch just before the first merge, then back along first parents.
  const model::PullRequest* first = by_key.at(out.deployments.front().natural_key);
  const CommitIndex merge = graph.FindByPrefix(out.deployments.front().sha);
  const auto parents = graph.parents(merge);
  const CommitIndex target =
      first->target_commit.empty() ? kNoCommit : graph.FindByPrefix(first->target_commit);
  CommitIndex c = parents.size() < 2 && target != kNoCommit && target < merge ? target
                  : parents.empty()                                           ? kNoCommit
                                                                              : parents[0];
  while (c != kNoCommit) {
    const bool names_branch =
        c < snapshot.names_merged_branch.size() && snapshot.names_merged_branch[c];
    if (graph.is_merge(c) || names_branch || pull_request_merge[c]) {
      out.previous_merge = c;
      break;
    }
    const auto up = graph.parents(c);
    c = up.empty() ? kNoCommit : up[0];
  }
  return out;
}

std::vector<model::Deployment> CombineReleases(std::vector<model::Deployment> deployments,
                                               common::Seconds window) {
  // A release: deployments of one commit within `window` of its first, each environment's
  // attempts until its first success (a later deployment there starts another release).
  struct Release {
    common::UnixSeconds start = 0;
    std::vector<std::size_t> members;
    std::vector<std::string> environments;  // in order of first appearance
    std::vector<std::string> succeeded;
  };
  std::vector<Release> releases;
  std::map<std::string, std::size_t> open;  // sha -> its latest release
  for (std::size_t i = 0; i < deployments.size(); ++i) {
    const model::Deployment& d = deployments[i];
    auto found = open.find(d.sha);
    if (found == open.end() || d.finished_at - releases[found->second].start > window ||
        Contains(releases[found->second].succeeded, d.environment)) {
      releases.push_back({d.finished_at, {}, {}, {}});
      found = open.insert_or_assign(d.sha, releases.size() - 1).first;
    }
    Release& release = releases[found->second];
    release.members.push_back(i);
    if (!Contains(release.environments, d.environment))
      release.environments.push_back(d.environment);
    if (d.status == model::DeploymentStatus::kSuccess) release.succeeded.push_back(d.environment);
  }

  std::vector<model::Deployment> out;
  out.reserve(deployments.size());
  for (const Release& release : releases) {
    if (release.environments.size() < 2) {
      for (std::size_t i : release.members) out.push_back(std::move(deployments[i]));
      continue;
    }
    // At its first successful finish, else (failed everywhere) its first.
    std::size_t lead = release.members.front();
    for (std::size_t i : release.members) {
      if (deployments[i].status == model::DeploymentStatus::kSuccess) {
        lead = i;
        break;
      }
    }
    model::Deployment combined = std::move(deployments[lead]);
    combined.environment.clear();
    for (const std::string& environment : release.environments) {
      combined.environment += (combined.environment.empty() ? "" : ", ") + environment;
      if (!release.succeeded.empty() && !Contains(release.succeeded, environment)) {
        combined.failed_environments.push_back(environment);
      }
    }
    out.push_back(std::move(combined));
  }
  SortByTime(out);
  return out;
}

ReportDeployments ChooseReportDeployments(std::vector<model::Deployment> production,
                                          const Snapshot& snapshot,
                                          std::span<const model::PullRequest> pull_requests,
                                          const std::string& default_branch,
                                          const ReleaseRules& rules) {
  ReportDeployments chosen;
  if (production.empty()) {
    ProxyDeployments proxy = MergeProxyDeployments(snapshot, pull_requests, default_branch);
    chosen.deployments = std::move(proxy.deployments);
    chosen.previous_merge = proxy.previous_merge;
    chosen.proxy = true;
  } else {
    chosen.deployments = rules.each_environment
                             ? std::move(production)
                             : CombineReleases(std::move(production), rules.window);
  }
  return chosen;
}

}  // namespace leadline::engine
