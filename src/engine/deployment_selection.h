// Which of a connected repository's records are production deployments, as the engine takes them
// (reference/dora-metrics.md, "What is a deployment"):
//  - Bitbucket Cloud deployment records whose environment's `environment_type` is Production (not
//    a name match, unless settings name environments): COMPLETED + SUCCESSFUL is a deployment,
//    COMPLETED + FAILED a failed one; stopped and unfinished ones are neither;
//  - where a repository has none, the proxy: each pull request merged into the default branch
//    counts as a deployment of its merge (or squash) commit at the time it was merged, and every
//    number computed from them is flagged as such.
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
};

// Merges into `default_branch`, from the pull requests; abbreviated merge hashes are resolved by
// prefix against the graph.
ProxyDeployments MergeProxyDeployments(const Snapshot& snapshot,
                                       std::span<const model::PullRequest> pull_requests,
                                       const std::string& default_branch);

}  // namespace leadline::engine
