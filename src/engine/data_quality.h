// The data-quality checks of reference/dora-metrics.md: what commonly makes a repository's
// numbers wrong, each finding saying what to change. `leadline doctor` runs them (and the API
// will). Pure functions over facts the caller gathers; thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "engine/commit_graph.h"
#include "engine/pr_stages.h"
#include "model/deployment.h"
#include "model/provider.h"

namespace leadline::engine {

struct QualityFacts {
  // Where the repository comes from: the fixes name the provider's own settings.
  model::Provider provider = model::Provider::kBitbucketCloud;
  bool proxy = false;  // no production deployments: merges stand in
  std::size_t environments = 0;
  std::size_t deployments_in_window = 0;
  bool first_deployment_in_window = false;      // its credit stops at the lookback
  std::vector<std::string> off_default_branch;  // deployments of commits not on it
  std::string default_branch;
  std::vector<std::string> bot_like_authors;  // authors that look automated but count as people
  std::size_t merged_pull_requests = 0;       // in the window
  // Of those, with unknown commits: squashed from branches no sync saw, and fast-forward or
  // rebase merges whose target commit before the merge is not stored.
  std::size_t estimated_pull_requests = 0;
  std::size_t target_unknown_pull_requests = 0;
  // Squashed from branches no sync saw, whose commits the host no longer lists either.
  std::size_t gone_branch_pull_requests = 0;
  // Incidents of the repository, by severity: those counted and those left out by the
  // severities setting; `every_incident_severity` when the setting counts all ("*").
  bool every_incident_severity = false;
  std::map<std::string, std::size_t> incident_severities;
  std::map<std::string, std::size_t> excluded_incident_severities;
};

struct Finding {
  std::string check;    // a stable name: "no_production_environment", ...
  bool warning = true;  // false: for information
  std::string message;
  std::string fix;
};

std::vector<Finding> CheckDataQuality(const QualityFacts& facts);

// Counts a merged pull request of the window (not a bot's) into `facts`, by why its commits are
// unknown, if they are.
void CountMergedPullRequest(CommitsUnknown commits_unknown, QualityFacts& facts);

// The deployments whose commit is not reachable from `tip` (the default branch), named by ref
// (or their abbreviated commit). Deployments of commits outside the graph are skipped.
std::vector<std::string> DeploymentsOffBranch(const CommitGraph& graph, CommitIndex tip,
                                              const std::vector<model::Deployment>& deployments);

}  // namespace leadline::engine
