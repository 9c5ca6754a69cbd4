// The composition root of `leadline report --git`: opens the repository and the store, syncs the
// repository's new history and deployments into the store in one transaction, builds the engine's
// snapshot from the store, attributes changes (stored as deployment changes when anything
// changed), and computes the report for the window. Single-threaded; owns everything it opens.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/repository_report.h"
#include "config/paths.h"
#include "ingest/git_sync.h"

namespace leadline::app {

struct GitReportRequest : ReportOptions {
  std::string git_path;
  config::Paths paths;
  ingest::DeploymentSource deployments;
};

struct GitReport : RepositoryReport {
  ingest::GitSyncResult sync;
};

common::Result<GitReport> RunGitReport(const GitReportRequest& request);

}  // namespace leadline::app
