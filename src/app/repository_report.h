// What `leadline report` computes for one repository, whether its history comes from a local git
// path or from a synced Bitbucket repository: the options it takes and the report it gives.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/settings.h"
#include "engine/dora_report.h"
#include "engine/incident_selection.h"
#include "engine/pr_stages.h"
#include "model/deployment.h"
#include "model/repository.h"

namespace leadline::app {

struct ReportOptions {
  // The window: [since, until). `until` defaults to now; `since` to until - window, or to the
  // first deployment when `window` is empty ("all").
  std::optional<common::UnixSeconds> since;
  std::optional<common::UnixSeconds> until;
  std::optional<common::Seconds> window = 90 * common::kDay;
  int benchmark_year = 2023;
  std::vector<std::string> hotfix_prefixes = {"hotfix/", "hot-fix/", "fix/"};
  engine::AnalysisOptions analysis;
  engine::StageOptions stages;
  std::vector<std::string> production_environments = {"Production"};
  engine::IncidentRules incidents;
  // Where built snapshots are kept between runs (config::Paths::snapshots_dir); empty: nowhere.
  std::string snapshot_cache_dir;
};

// The settings of leadline.toml for one repository, over `options`.
void ApplySettings(const config::RepositorySettings& settings, ReportOptions& options);

struct RepositoryReport {
  model::Repository repository;
  std::vector<model::Deployment> deployments;  // all, in time order; report rows index into it
  // The deployments are merges into the default branch, the repository having no production
  // deployments: every number is a proxy.
  bool proxy = false;
  engine::Report report;
  // Synced repositories: every pull request's stages, and their summary over the window.
  std::vector<engine::PullRequestStages> pull_requests;
  std::optional<engine::StageSummary> stages;
  std::size_t commits_in_graph = 0;
  std::size_t graph_bytes = 0;
  std::size_t unresolved_reverts = 0;
};

// The commit `branch` points at among `refs`, resolved in `graph`; kNoCommit when absent.
engine::CommitIndex BranchTip(const engine::CommitGraph& graph, const std::vector<model::Ref>& refs,
                              const std::string& branch);

engine::ReportWindow ResolveWindow(const ReportOptions& options,
                                   const std::vector<model::Deployment>& deployments);

}  // namespace leadline::app
