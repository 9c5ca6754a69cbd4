// The composition behind `leadline report --repo 'acme/*' [--team NAME]`: the DORA metrics of a
// scope (the selected, synced repositories a pattern matches, pooled as one project, and
// optionally a team's pull requests), with each repository's own figures and a weekly trend.
// Reads the store only. Single-threaded; owns what it opens.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/repository_report.h"
#include "config/paths.h"
#include "engine/scope_metrics.h"
#include "model/repository.h"

namespace leadline::app {

struct ScopeReportRequest {
  config::Paths paths;
  std::string pattern;  // fnmatch on workspace/slug or PROJECT/slug
  // The options of one repository (its settings, then the command's flags).
  std::function<common::Result<ReportOptions>(const std::string& location)> options_for;
  std::string team;                  // empty: everyone
  std::vector<std::string> members;  // the team's account ids or display names
};

struct RepositoryMetrics {
  model::Repository repository;
  engine::ScopeMetrics metrics;
};

struct ScopeReport {
  std::string pattern;
  std::string team;
  std::size_t team_people = 0;  // the members found among pull request authors
  engine::ReportWindow window;
  engine::ScopeMetrics total;
  std::vector<RepositoryMetrics> repositories;
  std::vector<engine::TrendPoint> trend;
};

common::Result<ScopeReport> RunScopeReport(const ScopeReportRequest& request);

}  // namespace leadline::app
