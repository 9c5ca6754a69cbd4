#include "engine/dora_report.h"

#include <algorithm>
#include <set>

namespace leadline::engine {
namespace {

using common::kDay;
using common::kWeek;
using common::UnixSeconds;

double Days(common::Seconds s) { return static_cast<double>(s) / kDay; }

// Lead times of a deployment's credited changes; merge commits carry no authored change.
std::vector<double> LeadTimes(const CommitGraph& graph, const DeploymentShipment& shipment,
                              UnixSeconds finished_at, std::size_t* merges) {
  std::vector<double> out;
  out.reserve(shipment.credited.size());
  for (CommitIndex c : shipment.credited) {
    if (graph.is_merge(c)) {
      ++*merges;
      continue;
    }
    out.push_back(
        static_cast<double>(std::max<common::Seconds>(0, finished_at - graph.author_time(c))));
  }
  return out;
}

std::string DeploymentName(const model::Deployment& d) {
  return d.ref.empty() ? d.sha.substr(0, 12) : d.ref;
}

FailureEvidence DescribeReason(const CommitGraph& graph, const DeploymentAnalysis& analysis,
                               const FailureReason& reason) {
  FailureEvidence out;
  out.reason = FailureKindName(reason.kind);
  if (reason.evidence != kNoCommit) out.commit = graph.id(reason.evidence).Hex();
  if (reason.reverted != kNoCommit) out.reverted = graph.id(reason.reverted).Hex();
  out.branch = reason.branch;
  if (reason.kind == FailureKind::kIncident) {
    out.incident = analysis.incidents[reason.incident].id;
    out.linked_by = IncidentLinkKindName(analysis.incident_links[reason.incident].kind);
  }
  return out;
}

std::vector<IncidentRow> IncidentRows(std::span<const model::Deployment> deployments,
                                      const DeploymentAnalysis& analysis,
                                      const ReportWindow& window) {
  std::vector<IncidentRow> rows;
  for (std::size_t i = 0; i < analysis.incidents.size(); ++i) {
    const IncidentPoint& incident = analysis.incidents[i];
    if (incident.started_at < window.since || incident.started_at >= window.until) continue;
    const IncidentLink& link = analysis.incident_links[i];
    IncidentRow row{incident.id, incident.started_at, incident.resolved_at,
                    IncidentLinkKindName(link.kind), std::nullopt};
    if (link.deployment) row.deployment = DeploymentName(deployments[*link.deployment]);
    rows.push_back(std::move(row));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const IncidentRow& a, const IncidentRow& b) {
    return a.started_at < b.started_at;
  });
  return rows;
}

// Weekly buckets counted back from the window's end: medians of deploys and deploy days per week.
FrequencyMeasures Frequency(const std::vector<UnixSeconds>& successes, const ReportWindow& window) {
  FrequencyMeasures f;
  const common::Seconds span = window.until - window.since;
  if (span <= 0) return f;
  const double count = static_cast<double>(successes.size());
  f.deploys_per_day = count / Days(span);
  f.deploys_per_month = count / (Days(span) / 30.0);
  const std::int64_t weeks = std::max<std::int64_t>(1, span / kWeek);
  std::vector<double> per_week(static_cast<std::size_t>(weeks), 0);
  std::vector<std::set<std::int64_t>> days(static_cast<std::size_t>(weeks));
  for (UnixSeconds t : successes) {
    const std::int64_t week = (window.until - 1 - t) / kWeek;
    if (week >= weeks) continue;  // before the first whole week
    per_week[static_cast<std::size_t>(week)] += 1;
    days[static_cast<std::size_t>(week)].insert(t / kDay);
  }
  std::vector<double> day_counts;
  for (const auto& d : days) day_counts.push_back(static_cast<double>(d.size()));
  std::sort(per_week.begin(), per_week.end());
  std::sort(day_counts.begin(), day_counts.end());
  f.deploys_per_week = Quantile(per_week, 0.5);
  f.deploy_days_per_week = Quantile(day_counts, 0.5);
  return f;
}

}  // namespace

DeploymentAnalysis AnalyzeDeployments(const Snapshot& snapshot,
                                      std::span<const model::Deployment> deployments,
                                      const AnalysisOptions& options,
                                      std::vector<IncidentPoint> incidents) {
  DeploymentAnalysis analysis;
  analysis.points.reserve(deployments.size());
  for (const model::Deployment& d : deployments) {
    analysis.points.push_back({snapshot.graph.FindByPrefix(d.sha), d.finished_at,
                               d.status == model::DeploymentStatus::kSuccess});
  }
  analysis.attribution = AttributeChanges(snapshot.graph, analysis.points, options.first_lookback);
  analysis.incidents = std::move(incidents);
  analysis.incident_links = LinkIncidents(analysis.points, analysis.attribution, analysis.incidents,
                                          options.failure_rules);
  analysis.outcomes =
      EvaluateFailures(snapshot, analysis.points, analysis.attribution, options.failure_rules,
                       analysis.incidents, analysis.incident_links);
  return analysis;
}

common::Result<Report> BuildReport(const Snapshot& snapshot,
                                   std::span<const model::Deployment> deployments,
                                   const DeploymentAnalysis& analysis, const ReportWindow& window,
                                   int benchmark_year) {
  const CommitGraph& graph = snapshot.graph;
  Report report;
  Summary& s = report.summary;
  s.window = window;
  s.window_days = Days(window.until - window.since);

  std::vector<double> all_lead_times;
  std::vector<double> recoveries;
  std::vector<UnixSeconds> successes;
  for (std::size_t i = 0; i < deployments.size(); ++i) {
    const model::Deployment& d = deployments[i];
    if (d.finished_at < window.since || d.finished_at >= window.until) continue;
    const DeploymentShipment& shipment = analysis.attribution.deployments[i];
    const DeploymentOutcome& outcome = analysis.outcomes[i];
    DeploymentRow row;
    row.index = i;
    row.change_count = shipment.change_count;
    row.lookback_applied = shipment.lookback_applied;
    std::vector<double> lead_times =
        LeadTimes(graph, shipment, d.finished_at, &s.merge_commits_excluded);
    row.credited_changes = lead_times.size();
    all_lead_times.insert(all_lead_times.end(), lead_times.begin(), lead_times.end());
    if (!lead_times.empty()) row.lead_time_median_s = Summarize(lead_times).median;
    for (const FailureReason& reason : outcome.reasons) {
      row.failure_reasons.push_back(DescribeReason(graph, analysis, reason));
    }
    if (outcome.failed()) {
      ++s.failed_deployments;
      if (outcome.restored_at) {
        if (outcome.restored_by)
          row.restored_by = DeploymentName(deployments[*outcome.restored_by]);
        if (outcome.resolved_incident) {
          row.restored_by_incident = analysis.incidents[*outcome.resolved_incident].id;
        }
        const UnixSeconds failed_at =
            std::min(d.finished_at, outcome.incident_started.value_or(d.finished_at));
        row.recovery_s = std::max<common::Seconds>(0, *outcome.restored_at - failed_at);
        recoveries.push_back(static_cast<double>(*row.recovery_s));
      } else {
        ++s.unrecovered_failures;
      }
    }
    row.rework_reasons = outcome.rework_reasons;
    if (outcome.rework()) ++s.rework_deployments;
    ++s.deployment_attempts;
    if (d.status == model::DeploymentStatus::kSuccess) {
      ++s.deployments;
      successes.push_back(d.finished_at);
    }
    report.deployments.push_back(std::move(row));
  }

  report.incidents = IncidentRows(deployments, analysis, window);
  s.incidents = report.incidents.size();
  for (const IncidentRow& row : report.incidents) s.incidents_linked += row.deployment ? 1 : 0;

  s.frequency = Frequency(successes, window);
  if (successes.size() >= 2) {
    std::vector<double> gaps;
    for (std::size_t i = 1; i < successes.size(); ++i) {
      gaps.push_back(static_cast<double>(successes[i] - successes[i - 1]));
    }
    s.median_time_between_deployments_s = Summarize(gaps).median;
  }
  s.lead_time_s = Summarize(all_lead_times);
  s.recovery_s = Summarize(recoveries);
  if (s.deployment_attempts > 0) {
    const double attempts = static_cast<double>(s.deployment_attempts);
    s.change_fail_rate = static_cast<double>(s.failed_deployments) / attempts;
    s.rework_rate = static_cast<double>(s.rework_deployments) / attempts;
  }

  LevelInputs inputs;
  if (s.window_days > 0) inputs.deployment_frequency = s.frequency;
  if (s.lead_time_s.count > 0) inputs.lead_time_s = s.lead_time_s.median;
  inputs.change_fail_rate = s.change_fail_rate;
  if (s.recovery_s.count > 0) inputs.recovery_s = s.recovery_s.median;
  LEADLINE_ASSIGN_OR_RETURN(s.levels, ClassifyLevels(benchmark_year, inputs));
  return report;
}

}  // namespace leadline::engine
