#include "engine/dora_report.h"

#include <algorithm>

#include "engine/scope_metrics.h"

namespace leadline::engine {
namespace {

std::string DeploymentName(const model::Deployment& d) {
  return d.ref.empty() ? d.sha.substr(0, 12) : d.ref;
}

FailureEvidence DescribeReason(const CommitGraph& graph, const model::Deployment& deployment,
                               const DeploymentAnalysis& analysis, const FailureReason& reason) {
  FailureEvidence out;
  out.reason = FailureKindName(reason.kind);
  if (reason.kind == FailureKind::kDeploymentFailed) {
    for (const std::string& environment : deployment.failed_environments) {
      out.environment += (out.environment.empty() ? "" : ", ") + environment;
    }
  }
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
    IncidentRow row;
    row.id = incident.id;
    row.source = incident.source;
    row.service = incident.service;
    row.severity = incident.severity;
    row.title = incident.title;
    row.started_at = incident.started_at;
    row.acknowledged_at = incident.acknowledged_at;
    row.resolved_at = incident.resolved_at;
    row.link = incident.link;
    row.linked_by = IncidentLinkKindName(link.kind);
    row.not_tied = link.not_tied;
    if (link.deployment) row.deployment = DeploymentName(deployments[*link.deployment]);
    rows.push_back(std::move(row));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const IncidentRow& a, const IncidentRow& b) {
    return a.started_at < b.started_at;
  });
  return rows;
}

}  // namespace

DeploymentAnalysis AnalyzeDeployments(const Snapshot& snapshot,
                                      std::span<const model::Deployment> deployments,
                                      const AnalysisOptions& options,
                                      std::vector<IncidentPoint> incidents,
                                      const RepositoryContext& context) {
  DeploymentAnalysis analysis;
  analysis.points.reserve(deployments.size());
  std::vector<std::string> chains;  // environments, when each is its own chain
  for (const model::Deployment& d : deployments) {
    std::uint32_t chain = 0;
    if (options.releases.each_environment) {
      const auto found = std::find(chains.begin(), chains.end(), d.environment);
      chain = static_cast<std::uint32_t>(found - chains.begin());
      if (found == chains.end()) chains.push_back(d.environment);
    }
    analysis.points.push_back({snapshot.graph.FindByPrefix(d.sha), d.finished_at,
                               d.status == model::DeploymentStatus::kSuccess, chain,
                               !d.failed_environments.empty()});
  }
  analysis.attribution = AttributeChanges(snapshot.graph, analysis.points, options.first_lookback,
                                          context.production_before);
  analysis.incidents = std::move(incidents);
  analysis.incident_links = LinkIncidents(analysis.points, analysis.attribution, analysis.incidents,
                                          options.failure_rules);
  analysis.outcomes =
      EvaluateFailures(snapshot, analysis.points, analysis.attribution, options.failure_rules,
                       analysis.incidents, analysis.incident_links, context.branches);
  return analysis;
}

common::Result<Report> BuildReport(const Snapshot& snapshot,
                                   std::span<const model::Deployment> deployments,
                                   const DeploymentAnalysis& analysis, const ReportWindow& window,
                                   int benchmark_year) {
  PeopleIndex people;
  const RepositoryFacts facts =
      CollectFacts("", false, snapshot, deployments, analysis, {}, people);
  const RepositoryFacts* scope[] = {&facts};
  LEADLINE_ASSIGN_OR_RETURN(ScopeMetrics metrics, QueryScope(scope, {window, benchmark_year, {}}));
  Report report;
  report.summary = metrics.summary;
  for (std::size_t i = 0; i < deployments.size(); ++i) {
    const model::Deployment& d = deployments[i];
    if (d.finished_at < window.since || d.finished_at >= window.until) continue;
    const DeploymentShipment& shipment = analysis.attribution.deployments[i];
    const DeploymentOutcome& outcome = analysis.outcomes[i];
    const DeploymentFact& fact = facts.deployments[i];
    DeploymentRow row;
    row.index = i;
    row.change_count = shipment.change_count;
    row.lookback_applied = shipment.lookback_applied;
    std::vector<double> lead_times;
    for (std::uint32_t c = fact.first_change; c < fact.end_change; ++c) {
      lead_times.push_back(static_cast<double>(facts.changes[c].lead_s));
    }
    row.credited_changes = lead_times.size();
    if (!lead_times.empty()) row.lead_time_median_s = Summarize(lead_times).median;
    for (const FailureReason& reason : outcome.reasons) {
      row.failure_reasons.push_back(DescribeReason(snapshot.graph, d, analysis, reason));
    }
    if (outcome.restored_by) row.restored_by = DeploymentName(deployments[*outcome.restored_by]);
    if (outcome.resolved_incident) {
      row.restored_by_incident = analysis.incidents[*outcome.resolved_incident].id;
    }
    row.recovery_s = fact.recovery_s;
    row.rework_reasons = outcome.rework_reasons;
    report.deployments.push_back(std::move(row));
  }
  report.incidents = IncidentRows(deployments, analysis, window);
  return report;
}

}  // namespace leadline::engine
