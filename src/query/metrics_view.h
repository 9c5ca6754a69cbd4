// What the read endpoints answer from: every synced repository's metric facts and its report
// over all of history (deployment rows with their reasons), the people, teams and projects.
// Built from the store off the request path and swapped whole (app/metrics_snapshots.h), so a
// query never waits for ingest and sees one consistent state. Immutable once built; thread-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/data_quality.h"
#include "engine/dora_report.h"
#include "engine/pr_stages.h"
#include "engine/scope_metrics.h"
#include "model/access.h"
#include "model/deployment.h"
#include "model/pipeline.h"
#include "model/repository.h"

namespace leadline::query {

struct RepositoryView {
  model::Repository repository;
  engine::RepositoryFacts facts;
  std::vector<model::Deployment> deployments;  // in time order; the report's rows index it
  engine::Report report;                       // over all of history
  std::vector<engine::PullRequestStages> pull_requests;
  engine::QualityFacts quality;  // over all of history; doctor narrows the counts to a window
  std::vector<model::Ref> refs;  // branches and tags, by name
  std::vector<model::Pipeline> builds;  // CI pipelines, newest created first (ties by uuid)
};

struct MetricsView {
  std::vector<RepositoryView> repositories;  // by location
  engine::PeopleIndex people;
  std::map<std::string, std::vector<std::string>> teams;  // leadline.toml's [teams.*]
  std::vector<model::Project> projects;
  common::UnixSeconds built_at = 0;
};

// The latest view; the first call may build it.
using MetricsViewSource = std::function<common::Result<std::shared_ptr<const MetricsView>>()>;

}  // namespace leadline::query
