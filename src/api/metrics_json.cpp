#include "api/metrics_json.h"

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "query/data_quality.h"

namespace leadline::api {

using common::FormatRfc3339;
using nlohmann::ordered_json;

namespace {

template <typename T>
ordered_json ValueOrNull(const std::optional<T>& value) {
  return value ? ordered_json(*value) : ordered_json(nullptr);
}

}  // namespace

ordered_json OrNull(const std::optional<double>& value) { return ValueOrNull(value); }
ordered_json OrNull(const std::optional<std::int64_t>& value) { return ValueOrNull(value); }
ordered_json OrNull(const std::optional<std::string>& value) { return ValueOrNull(value); }

ordered_json OptionalNumber(bool present, double value) {
  return present ? ordered_json(value) : ordered_json(nullptr);
}

ordered_json LevelsJson(const engine::Levels& levels) {
  return {{"benchmark", levels.year},
          {"deployment_frequency", OrNull(levels.deployment_frequency)},
          {"lead_time", OrNull(levels.lead_time)},
          {"change_fail_rate", OrNull(levels.change_fail_rate)},
          {"recovery", OrNull(levels.recovery)}};
}

ordered_json DistributionJson(const engine::Distribution& d) {
  const bool any = d.count > 0;
  return {{"count", d.count},
          {"median_s", OptionalNumber(any, d.median)},
          {"p75_s", OptionalNumber(any, d.p75)},
          {"p90_s", OptionalNumber(any, d.p90)},
          {"mean_s", OptionalNumber(any, d.mean)}};
}

namespace {

// A distribution of counts (lines), not of seconds.
ordered_json SizeJson(const engine::Distribution& d) {
  const bool any = d.count > 0;
  return {{"count", d.count},
          {"median", OptionalNumber(any, d.median)},
          {"p75", OptionalNumber(any, d.p75)},
          {"p90", OptionalNumber(any, d.p90)},
          {"mean", OptionalNumber(any, d.mean)}};
}

}  // namespace

// The lead-time breakdown over the pull requests merged in the window.
ordered_json StagesJson(const engine::StageSummary& s) {
  return {{"merged", s.merged},
          {"bots_excluded", s.bots_excluded},
          {"commits_estimated", s.estimated},
          {"before_first_lookback", s.before_first_lookback},
          {"coding", DistributionJson(s.coding)},
          {"pickup", DistributionJson(s.pickup)},
          {"review", DistributionJson(s.review)},
          {"deploy", DistributionJson(s.deploy)},
          {"total", DistributionJson(s.total)},
          {"size_lines", SizeJson(s.size_lines)}};
}

ordered_json SummaryJson(const engine::Summary& s) {
  const bool has_lead = s.lead_time_s.count > 0;
  const bool has_recovery = s.recovery_s.count > 0;
  return {
      {"window",
       {{"since", FormatRfc3339(s.window.since)},
        {"until", FormatRfc3339(s.window.until)},
        {"days", s.window_days}}},
      {"deployments", s.deployments},
      {"deployment_attempts", s.deployment_attempts},
      {"deployment_frequency_per_day", s.frequency.deploys_per_day},
      {"deploys_per_week_median", s.frequency.deploys_per_week},
      {"deploy_days_per_week_median", s.frequency.deploy_days_per_week},
      {"median_time_between_deployments_s", OrNull(s.median_time_between_deployments_s)},
      {"lead_time_median_s", OptionalNumber(has_lead, s.lead_time_s.median)},
      {"lead_time_p75_s", OptionalNumber(has_lead, s.lead_time_s.p75)},
      {"lead_time_p90_s", OptionalNumber(has_lead, s.lead_time_s.p90)},
      {"lead_time_mean_s", OptionalNumber(has_lead, s.lead_time_s.mean)},
      {"lead_time_sample", s.lead_time_s.count},
      {"merge_commits_excluded", s.merge_commits_excluded},
      {"change_fail_rate", OrNull(s.change_fail_rate)},
      {"failed_deployments", s.failed_deployments},
      {"recovery_median_s", OptionalNumber(has_recovery, s.recovery_s.median)},
      {"recovery", DistributionJson(s.recovery_s)},
      {"unrecovered_failures", s.unrecovered_failures},
      {"rework_rate", OrNull(s.rework_rate)},
      {"rework_deployments", s.rework_deployments},
      {"incidents", s.incidents},
      {"incidents_linked", s.incidents_linked},
      {"levels", LevelsJson(s.levels)},
  };
}

ordered_json DeploymentRowJson(const model::Deployment& d, const engine::DeploymentRow& row) {
  ordered_json reasons = ordered_json::array();
  for (const auto& reason : row.failure_reasons) {
    ordered_json one = {{"reason", reason.reason}};
    if (!reason.environment.empty()) one["environment"] = reason.environment;
    if (!reason.commit.empty()) one["commit"] = reason.commit;
    if (!reason.reverted.empty()) one["reverted_commit"] = reason.reverted;
    if (!reason.branch.empty()) one["branch"] = reason.branch;
    if (!reason.incident.empty()) {
      one["incident"] = reason.incident;
      one["linked_by"] = reason.linked_by;
    }
    reasons.push_back(std::move(one));
  }
  return {
      {"ref", d.ref},
      {"sha", d.sha},
      {"finished_at", FormatRfc3339(d.finished_at)},
      {"status", model::DeploymentStatusName(d.status)},
      {"change_count", row.change_count},
      {"lead_time_sample", row.credited_changes},
      {"lead_time_median_s", OrNull(row.lead_time_median_s)},
      {"first_deployment_lookback", row.lookback_applied},
      {"failed", row.failed()},
      {"failure_reasons", std::move(reasons)},
      {"restored_by", OrNull(row.restored_by)},
      {"restored_by_incident", OrNull(row.restored_by_incident)},
      {"recovery_s", OrNull(row.recovery_s)},
      {"rework", !row.rework_reasons.empty()},
      {"rework_reasons", row.rework_reasons},
  };
}

ordered_json TimeOrNull(std::optional<common::UnixSeconds> t) {
  return t ? ordered_json(FormatRfc3339(*t)) : ordered_json(nullptr);
}

ordered_json PullRequestRowJson(const engine::PullRequestStages& row) {
  return {
      {"number", row.number},
      {"title", row.title},
      {"state", model::PullRequestStateName(row.state)},
      {"author", row.author.name.empty() ? row.author.id : row.author.name},
      {"progress", engine::PullRequestProgressName(row.progress)},
      {"bot", row.bot},
      {"commits", row.commits},
      {"files_changed", row.size ? ordered_json(row.size->files_changed) : ordered_json(nullptr)},
      {"lines_added", row.size ? ordered_json(row.size->lines_added) : ordered_json(nullptr)},
      {"lines_deleted", row.size ? ordered_json(row.size->lines_deleted) : ordered_json(nullptr)},
      {"review_comments", row.review_comments},
      {"reviewers", row.reviewers},
      {"commits_estimated", row.commits_estimated()},
      {"before_first_lookback", row.before_first_lookback},
      {"first_commit_at", TimeOrNull(row.first_commit_at)},
      {"created_at", FormatRfc3339(row.created_at)},
      {"first_review_at", TimeOrNull(row.first_review_at)},
      {"merged_at", TimeOrNull(row.merged_at)},
      {"deployed_at", TimeOrNull(row.deployed_at)},
      {"coding_s", OrNull(row.coding)},
      {"pickup_s", OrNull(row.pickup)},
      {"review_s", OrNull(row.review)},
      {"deploy_s", OrNull(row.deploy)},
      {"total_s", OrNull(row.total)}};
}

ordered_json IncidentRowJson(const engine::IncidentRow& row) {
  return {{"id", row.id},
          {"source", row.source},
          {"service", row.service},
          {"severity", row.severity},
          {"title", row.title},
          {"started_at", FormatRfc3339(row.started_at)},
          {"acknowledged_at", TimeOrNull(row.acknowledged_at)},
          {"resolved_at", TimeOrNull(row.resolved_at)},
          {"link", row.link.empty() ? ordered_json(nullptr) : ordered_json(row.link)},
          {"linked_by", row.linked_by},
          {"deployment", OrNull(row.deployment)},
          {"not_tied", row.not_tied.empty() ? ordered_json(nullptr) : ordered_json(row.not_tied)}};
}

ordered_json FindingJson(const engine::Finding& finding) {
  return {{"check", finding.check},
          {"severity", query::SeverityName(finding)},
          {"message", finding.message},
          {"fix", finding.fix}};
}
}  // namespace leadline::api
