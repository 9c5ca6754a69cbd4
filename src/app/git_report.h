// The composition root of `leadline report --git`: opens the repository and the store, syncs the
// repository's new history and deployments into the store in one transaction, builds the engine's
// snapshot from the store, attributes changes (stored as deployment changes when anything
// changed), and computes the report for the window. Single-threaded; owns everything it opens.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/dora_report.h"
#include "ingest/git_sync.h"

namespace leadline::app {

struct GitReportRequest {
  std::string git_path;
  std::string db_path = "leadline.db";
  ingest::DeploymentSource deployments;
  // The window: [since, until). `until` defaults to now; `since` to until - window, or to the first
  // deployment when `window` is empty ("all").
  std::optional<common::UnixSeconds> since;
  std::optional<common::UnixSeconds> until;
  std::optional<common::Seconds> window = 90 * common::kDay;
  int benchmark_year = 2023;
  std::vector<std::string> hotfix_prefixes = {"hotfix/", "hot-fix/", "fix/"};
  engine::AnalysisOptions analysis;
};

struct GitReport {
  model::Repository repository;
  ingest::GitSyncResult sync;
  std::vector<model::Deployment> deployments;  // all, in time order; report rows index into it
  engine::Report report;
  std::size_t commits_in_graph = 0;
  std::size_t graph_bytes = 0;
  std::size_t unresolved_reverts = 0;
};

common::Result<GitReport> RunGitReport(const GitReportRequest& request);

}  // namespace leadline::app
