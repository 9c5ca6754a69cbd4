// Which of a connected repository's records are production deployments, as the engine takes them
// (reference/dora-metrics.md, "What is a deployment"):
//  - Bitbucket Cloud deployment records whose environment's `environment_type` is Production (not
//    a name match, unless settings name environments): COMPLETED + SUCCESSFUL is a deployment,
//    COMPLETED + FAILED a failed one; stopped and unfinished ones are neither;
//  - where a repository has none, the proxy: each pull request merged into the default branch
//    counts as a deployment of its merge (or squash) commit at the time it was merged, and every
//    number computed from them is flagged as such;
//  - a release of one commit to several production environments (regions) counts once, unless
//    the repository's settings count each environment on its own (ReleaseRules).
// Pure functions; thread-safe.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "engine/snapshot.h"
#include "model/deployment.h"
#include "model/pipeline.h"
#include "model/pull_request.h"

namespace leadline::engine {

// In time order (finished_at, then uuid). `production` lists environment types or names
// (compared without case) that are production; by default the type Production.
std::vector<model::Deployment> ProductionDeployments(
    std::span<const model::PlatformDeployment> records,
    const std::vector<std::string>& production = {"Production"});

struct ProxyDeployments {
  std::vector<model::Deployment> deployments;  // in time order
  std::size_t unresolved = 0;  // merged pull requests whose merge commit is not in the graph
  // The merge before the first of them, when the history shows one: the first merge synced is
  // then not the first deployment in history, and ships only what came after it
  // (AttributeChanges' `production_before`). kNoCommit: none known.
  CommitIndex previous_merge = kNoCommit;
};

// Merges into `default_branch`, from the pull requests; abbreviated merge hashes are resolved by
// prefix against the graph. The previous merge is the first commit along first parents from the
// default branch before the first merge (the merge commit's first parent, or the pull request's
// target commit for a fast-forward) that is a merge commit, names a merged branch in its message
// (a squash) or is another pull request's merge commit.
ProxyDeployments MergeProxyDeployments(const Snapshot& snapshot,
                                       std::span<const model::PullRequest> pull_requests,
                                       const std::string& default_branch);

// How a release of one commit to several production environments counts.
struct ReleaseRules {
  // Once (the default): deployments of one commit to several production environments within
  // `window` of the first are one deployment, at the first successful finish; it failed when an
  // environment failed without a successful re-run in the release. Each: every environment is
  // its own chain of deployments (AnalysisOptions), as if it were its own service.
  bool each_environment = false;
  common::Seconds window = 24 * common::kHour;
};

// `deployments` in time order (ProductionDeployments); returns them in time order with each
// release to several environments made one (see ReleaseRules). Deployments of one environment
// only, including its failures and re-runs, stay as they are. The release keeps its first
// successful deployment's key, ref, start and branch; its environment lists all of them.
std::vector<model::Deployment> CombineReleases(std::vector<model::Deployment> deployments,
                                               common::Seconds window);

// The deployments a repository's report counts: its production deployments with releases made
// one per ReleaseRules; without any, the merges into `default_branch` (MergeProxyDeployments),
// `proxy` set and `previous_merge` saying where the first one's changes start.
struct ReportDeployments {
  std::vector<model::Deployment> deployments;
  bool proxy = false;
  CommitIndex previous_merge = kNoCommit;
};
ReportDeployments ChooseReportDeployments(std::vector<model::Deployment> production,
                                          const Snapshot& snapshot,
                                          std::span<const model::PullRequest> pull_requests,
                                          const std::string& default_branch,
                                          const ReleaseRules& rules);

}  // namespace leadline::engine
