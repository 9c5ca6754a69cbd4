#include "store/tables/analytics.h"

namespace leadline::store {
namespace {

constexpr ColumnType kText = ColumnType::kText;
constexpr ColumnType kInt = ColumnType::kInt;
constexpr ColumnType kReal = ColumnType::kReal;
constexpr ColumnType kTime = ColumnType::kTime;
constexpr ColumnType kBool = ColumnType::kBool;

// The daily and weekly metric rows' columns: the same numbers over a day or a week.
std::vector<AnalyticsColumn> MetricColumns() {
  return {{"project_key", kText, false},
          {"scope_kind", kText, false},
          {"repository", kText, false},
          {"team", kText, false},
          {"period_start", kTime, false},
          {"period_end", kTime, false},
          {"deployments", kInt, false},
          {"deployment_attempts", kInt, false},
          {"failed_deployments", kInt, false},
          {"change_fail_rate", kReal, true},
          {"lead_time_sample", kInt, false},
          {"lead_time_median_s", kReal, true},
          {"lead_time_p75_s", kReal, true},
          {"lead_time_p90_s", kReal, true},
          {"lead_time_mean_s", kReal, true},
          {"merge_commits_excluded", kInt, false},
          {"recovery_sample", kInt, false},
          {"recovery_median_s", kReal, true},
          {"unrecovered_failures", kInt, false},
          {"rework_deployments", kInt, false},
          {"rework_rate", kReal, true},
          {"incidents", kInt, false},
          {"incidents_linked", kInt, false},
          {"pull_requests_merged", kInt, false},
          {"pull_request_total_median_s", kReal, true},
          {"coding_median_s", kReal, true},
          {"pickup_median_s", kReal, true},
          {"review_median_s", kReal, true},
          {"deploy_median_s", kReal, true}};
}

}  // namespace

// As migrations 23, 27, 33 and 34 (SQLite) and 9, 13, 19 and 20 (PostgreSQL) make them; docs/bi.md
// describes every column.
const std::vector<AnalyticsTable>& AnalyticsTables() {
  static const std::vector<AnalyticsTable> tables = {
      {"deployments",
       "finished_at",
       {{"project_key", kText, false},
        {"repository", kText, false},
        {"deployment_key", kText, false},
        {"source", kText, false},
        {"environment", kText, false},
        {"ref", kText, false},
        {"sha", kText, false},
        {"finished_at", kTime, false},
        {"status", kText, false},
        {"proxy", kBool, false},
        {"failed", kBool, false},
        {"failure_reasons", kText, false},
        {"change_count", kInt, false},
        {"lead_time_sample", kInt, false},
        {"lead_time_median_s", kReal, true},
        {"first_deployment_lookback", kBool, false},
        {"restored_by", kText, true},
        {"restored_by_incident", kText, true},
        {"recovery_s", kInt, true},
        {"rework", kBool, false},
        {"rework_reasons", kText, false},
        {"branch", kText, true},
        {"started_at", kTime, true}}},
      {"changes",
       "deployed_at",
       {{"project_key", kText, false},
        {"repository", kText, false},
        {"deployment_key", kText, false},
        {"deployment_ref", kText, false},
        {"deployment_sha", kText, false},
        {"deployed_at", kTime, false},
        {"lead_time_s", kInt, false},
        {"commit_sha", kText, false},
        {"author", kText, true}}},
      {"pull_requests",
       "created_at",
       {{"project_key", kText, false},
        {"repository", kText, false},
        {"number", kInt, false},
        {"title", kText, false},
        {"state", kText, false},
        {"author", kText, false},
        {"bot", kBool, false},
        {"progress", kText, false},
        {"commits", kInt, false},
        {"files_changed", kInt, true},
        {"lines_added", kInt, true},
        {"lines_deleted", kInt, true},
        {"review_comments", kInt, false},
        {"reviewers", kInt, false},
        {"commits_estimated", kBool, false},
        {"before_first_lookback", kBool, false},
        {"first_commit_at", kTime, true},
        {"created_at", kTime, false},
        {"first_review_at", kTime, true},
        {"merged_at", kTime, true},
        {"deployed_at", kTime, true},
        {"coding_s", kInt, true},
        {"pickup_s", kInt, true},
        {"review_s", kInt, true},
        {"deploy_s", kInt, true},
        {"total_s", kInt, true}}},
      {"incidents",
       "started_at",
       {{"project_key", kText, false},
        {"repository", kText, false},
        {"incident_id", kText, false},
        {"source", kText, false},
        {"service", kText, false},
        {"severity", kText, false},
        {"title", kText, false},
        {"started_at", kTime, false},
        {"resolved_at", kTime, true},
        {"linked_by", kText, false},
        {"deployment_ref", kText, true}}},
      {"failure_reasons",
       "finished_at",
       {{"project_key", kText, false},
        {"repository", kText, false},
        {"deployment_key", kText, false},
        {"deployment_ref", kText, false},
        {"finished_at", kTime, false},
        {"reason", kText, false},
        {"environment", kText, false},
        {"commit_sha", kText, false},
        {"reverted_commit", kText, false},
        {"branch", kText, false},
        {"incident_id", kText, false},
        {"linked_by", kText, false}}},
      {"metrics_daily", "period_start", MetricColumns()},
      {"metrics_weekly", "period_start", MetricColumns()},
      {"metrics_quarterly", "period_start", MetricColumns()},
  };
  return tables;
}

common::Result<const AnalyticsTable*> FindAnalyticsTable(const std::string& name) {
  std::string names;
  for (const AnalyticsTable& table : AnalyticsTables()) {
    if (name == table.name) return &table;
    names += names.empty() ? "" : ", ";
    names += table.name;
  }
  return common::Status::InvalidArgument("no analytics table '" + name + "' (tables: " + names +
                                         ")");
}

std::string AnalyticsSqlName(const AnalyticsTable& table, bool postgres) {
  return (postgres ? "leadline_analytics." : "analytics_") + std::string(table.name);
}

std::string AnalyticsScope::Key() const {
  return (kind == Kind::kRepository ? "repository:" : "project:") + name;
}

}  // namespace leadline::store
