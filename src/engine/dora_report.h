// The DORA report of one repository over a time window: per-deployment rows (what each shipped,
// its lead time, whether and why it failed, when it was restored) and the summary metrics with
// sample sizes and benchmark levels. Definitions: reference/dora-metrics.md and
// docs/metrics.md. Pure functions over an immutable Snapshot; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/attribution.h"
#include "engine/benchmark_levels.h"
#include "engine/deployment_selection.h"
#include "engine/distribution.h"
#include "engine/failure_evidence.h"
#include "engine/snapshot.h"
#include "model/deployment.h"

namespace leadline::engine {

struct AnalysisOptions {
  common::Seconds first_lookback = 90 * common::kDay;
  FailureRules failure_rules;
  // With `each_environment`, every environment is its own chain of deployments; otherwise the
  // caller combines releases (CombineReleases) and all deployments form one chain.
  ReleaseRules releases;
};

// What a repository's refs and pull requests add to its commits and deployments.
struct RepositoryContext {
  BranchEvidence branches;
  // A commit production ran before the first deployment (ProxyDeployments::previous_merge).
  CommitIndex production_before = kNoCommit;
};

// Everything derived from the whole history, independent of the reporting window.
struct DeploymentAnalysis {
  std::vector<DeploymentPoint> points;  // parallel to the deployments analysed
  Attribution attribution;
  std::vector<DeploymentOutcome> outcomes;
  std::vector<IncidentPoint> incidents;      // as given
  std::vector<IncidentLink> incident_links;  // parallel to incidents
};

// `deployments` must be sorted by finished_at. Deployments whose commit is not in the graph
// get no changes. `incidents` are those counted against the repository (see
// engine/incident_selection.h).
DeploymentAnalysis AnalyzeDeployments(const Snapshot& snapshot,
                                      std::span<const model::Deployment> deployments,
                                      const AnalysisOptions& options,
                                      std::vector<IncidentPoint> incidents = {},
                                      const RepositoryContext& context = {});

struct ReportWindow {
  common::UnixSeconds since = 0;  // inclusive
  common::UnixSeconds until = 0;  // exclusive
};

struct FailureEvidence {
  std::string reason;       // deployment_failed, reverted, hotfix, incident
  std::string environment;  // deployment_failed of a release: where it failed
  std::string commit;       // the revert or hotfix merge commit; empty for deployment_failed
  std::string reverted;     // reverted: the commit undone
  std::string branch;       // hotfix: the branch
  std::string incident;     // incident: its id
  std::string linked_by;    // incident: how it was tied (named, commit, change_event, window)
};

struct DeploymentRow {
  std::size_t index = 0;  // position in the deployments given to BuildReport
  std::uint32_t change_count = 0;
  std::size_t credited_changes = 0;  // commits first shipped here (lead-time sample, merges
                                     // excluded)
  bool lookback_applied = false;
  std::optional<double> lead_time_median_s;
  std::vector<FailureEvidence> failure_reasons;
  std::optional<std::string> restored_by;           // ref (or sha) of the restoring deployment
  std::optional<std::string> restored_by_incident;  // or the incident whose resolution did
  std::optional<common::Seconds> recovery_s;
  std::vector<std::string> rework_reasons;
  bool failed() const { return !failure_reasons.empty(); }
};

struct Summary {
  ReportWindow window;
  double window_days = 0;
  std::size_t deployments = 0;          // successful, in the window
  std::size_t deployment_attempts = 0;  // all, in the window (the base of the rates)
  std::size_t failed_deployments = 0;
  std::size_t rework_deployments = 0;
  FrequencyMeasures frequency;
  std::optional<double> median_time_between_deployments_s;
  Distribution lead_time_s;  // over changes credited to deployments in the window
  std::size_t merge_commits_excluded = 0;
  std::optional<double> change_fail_rate;
  Distribution recovery_s;  // over failed deployments restored
  std::size_t unrecovered_failures = 0;
  std::optional<double> rework_rate;
  std::size_t incidents = 0;         // begun in the window (of the severities that count)
  std::size_t incidents_linked = 0;  // of those, tied to a deployment
  Levels levels;
};

// An incident that began in the window, and the deployment it was tied to, if any.
struct IncidentRow {
  std::string id;
  std::string source, service, severity, title;  // as the reporter gave them
  common::UnixSeconds started_at = 0;
  std::optional<common::UnixSeconds> acknowledged_at;
  std::optional<common::UnixSeconds> resolved_at;
  std::string link;                       // the tool's page; '' when not given
  std::string linked_by;                  // named, commit, change_event, window, none
  std::optional<std::string> deployment;  // the linked deployment's ref (or sha)
  std::string not_tied;                   // none: why no rule tied it
};

struct Report {
  Summary summary;
  std::vector<DeploymentRow> deployments;  // in the window, in time order
  std::vector<IncidentRow> incidents;      // begun in the window, in time order
};

common::Result<Report> BuildReport(const Snapshot& snapshot,
                                   std::span<const model::Deployment> deployments,
                                   const DeploymentAnalysis& analysis, const ReportWindow& window,
                                   int benchmark_year);

}  // namespace leadline::engine
