// The composition root of `leadline report --repo`: the DORA report of a synced Bitbucket
// repository, from the store alone (no network): its mirrored history, and its production
// deployments or, where it has none, merges into its default branch as a flagged proxy (see
// engine/deployment_selection.h). Single-threaded; owns what it opens.
#pragma once

#include <string>

#include "app/repository_report.h"
#include "config/paths.h"
#include "engine/data_quality.h"
#include "engine/scope_metrics.h"
#include "store/store.h"

namespace leadline::app {

struct StoredReportRequest : ReportOptions {
  config::Paths paths;
  std::string location;  // "acme/api" (Cloud), "PROJ/api" (Data Center)
};

common::Result<RepositoryReport> RunStoredReport(const StoredReportRequest& request);

// The report of one synced repository of an open store, with the facts its data-quality checks
// need (`leadline doctor`).
// With `people`, also the facts scope queries read (engine/scope_metrics.h), its pull request
// authors interned there.
struct StoredAnalysis {
  RepositoryReport report;
  engine::QualityFacts facts;
  engine::RepositoryFacts metrics;
};
common::Result<StoredAnalysis> AnalyzeStored(store::Store& store, const model::Repository& repo,
                                             const ReportOptions& options,
                                             engine::PeopleIndex* people = nullptr);

}  // namespace leadline::app
