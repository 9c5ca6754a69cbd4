#include "cli/report_output.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/metrics_output.h"

namespace leadline::cli {
namespace {

using common::FormatHumanDuration;
using common::FormatRfc3339;
using nlohmann::ordered_json;

std::string ReasonList(const engine::DeploymentRow& row) {
  std::string out;
  for (const auto& reason : row.failure_reasons) {
    if (!out.empty()) out += ' ';
    out += reason.reason;
  }
  return out;
}

// One line of evidence for people, e.g. "reverted: 1a2b3c4d5e6f reverts 9f8e7d6c5b4a".
std::string DescribeEvidence(const engine::FailureEvidence& reason) {
  auto short_sha = [](const std::string& sha) { return sha.substr(0, 12); };
  if (reason.reason == "reverted") {
    return "reverted: " + short_sha(reason.commit) + " reverts " + short_sha(reason.reverted);
  }
  if (reason.reason == "hotfix") {
    return "hotfix: " + reason.branch + " merged in " + short_sha(reason.commit);
  }
  if (reason.reason == "incident") {
    return "incident: " + reason.incident + " (linked by " + reason.linked_by + ")";
  }
  return "deployment_failed: the deployment itself finished with a failure";
}

// The pull requests merged in the window, with their stages, in the order given.
ordered_json PullRequestsJson(const std::vector<engine::PullRequestStages>& rows,
                              const engine::ReportWindow& window) {
  ordered_json out = ordered_json::array();
  const auto time = [](std::optional<common::UnixSeconds> t) {
    return t ? ordered_json(FormatRfc3339(*t)) : ordered_json(nullptr);
  };
  for (const engine::PullRequestStages& row : rows) {
    if (!row.merged_at || *row.merged_at < window.since || *row.merged_at >= window.until) continue;
    out.push_back(
        {{"number", row.number},
         {"progress", engine::PullRequestProgressName(row.progress)},
         {"bot", row.bot},
         {"commits", row.commits},
         {"files_changed",
          row.size ? ordered_json(row.size->files_changed) : ordered_json(nullptr)},
         {"lines_added", row.size ? ordered_json(row.size->lines_added) : ordered_json(nullptr)},
         {"lines_deleted",
          row.size ? ordered_json(row.size->lines_deleted) : ordered_json(nullptr)},
         {"review_comments", row.review_comments},
         {"reviewers", row.reviewers},
         {"commits_estimated", row.commits_estimated},
         {"first_commit_at", time(row.first_commit_at)},
         {"created_at", FormatRfc3339(row.created_at)},
         {"first_review_at", time(row.first_review_at)},
         {"merged_at", time(row.merged_at)},
         {"deployed_at", time(row.deployed_at)},
         {"coding_s", OrNull(row.coding)},
         {"pickup_s", OrNull(row.pickup)},
         {"review_s", OrNull(row.review)},
         {"deploy_s", OrNull(row.deploy)},
         {"total_s", OrNull(row.total)}});
  }
  return out;
}

}  // namespace

std::string RenderJson(const app::RepositoryReport& r) {
  const engine::Summary& s = r.report.summary;
  ordered_json summary = {{"repository", r.repository.location}, {"proxy", r.proxy}};
  const ordered_json fields = SummaryJson(s);
  summary.update(fields);
  ordered_json deployments = ordered_json::array();
  for (const engine::DeploymentRow& row : r.report.deployments) {
    deployments.push_back(DeploymentRowJson(r.deployments[row.index], row));
  }
  ordered_json incidents = ordered_json::array();
  for (const engine::IncidentRow& row : r.report.incidents) {
    incidents.push_back({
        {"id", row.id},
        {"started_at", FormatRfc3339(row.started_at)},
        {"resolved_at",
         row.resolved_at ? ordered_json(FormatRfc3339(*row.resolved_at)) : ordered_json(nullptr)},
        {"linked_by", row.linked_by},
        {"deployment", OrNull(row.deployment)},
    });
  }
  ordered_json out = {{"summary", std::move(summary)},
                      {"deployments", std::move(deployments)},
                      {"incidents", std::move(incidents)}};
  if (r.stages) {
    out["pull_request_stages"] = StagesJson(*r.stages);
    out["pull_requests"] = PullRequestsJson(r.pull_requests, s.window);
  }
  return out.dump(2) + "\n";
}

std::string RenderCsv(const app::RepositoryReport& r) {
  std::ostringstream out;
  out << "ref,sha,finished_at,status,change_count,lead_time_sample,lead_time_median_s,failed,"
         "failure_reasons,restored_by,recovery_s,rework\n";
  for (const engine::DeploymentRow& row : r.report.deployments) {
    const model::Deployment& d = r.deployments[row.index];
    out << d.ref << ',' << d.sha << ',' << FormatRfc3339(d.finished_at) << ','
        << model::DeploymentStatusName(d.status) << ',' << row.change_count << ','
        << row.credited_changes << ','
        << (row.lead_time_median_s ? Fixed(*row.lead_time_median_s, 0) : "") << ','
        << (row.failed() ? "true" : "false") << ',' << ReasonList(row) << ','
        << (row.restored_by_incident ? "incident " + *row.restored_by_incident
                                     : row.restored_by.value_or(""))
        << ',' << (row.recovery_s ? std::to_string(*row.recovery_s) : "") << ','
        << (row.rework_reasons.empty() ? "false" : "true") << '\n';
  }
  return out.str();
}

std::string RenderTable(const app::RepositoryReport& r) {
  const engine::Summary& s = r.report.summary;
  std::ostringstream out;
  out << "DORA metrics for " << r.repository.name << " (" << r.repository.location << ")\n"
      << "Window " << FormatRfc3339(s.window.since) << " .. " << FormatRfc3339(s.window.until)
      << " (" << Fixed(s.window_days, 0) << " days), benchmark levels " << s.levels.year << "\n";
  if (r.proxy) {
    out << "Proxy: no production deployments, so each pull request merged into the default "
           "branch counts as one\n";
  }
  out << "\n";
  out << SummaryTable(s);

  if (r.stages) out << StagesTable(*r.stages);

  std::size_t failed_shown = 0;
  for (const engine::DeploymentRow& row : r.report.deployments) {
    if (!row.failed()) continue;
    if (failed_shown++ == 0) out << "\nFailed deployments\n";
    const model::Deployment& d = r.deployments[row.index];
    out << "  " << (d.ref.empty() ? d.sha.substr(0, 12) : d.ref) << "  "
        << FormatRfc3339(d.finished_at) << "  ";
    if (row.recovery_s) {
      out << "restored by "
          << (row.restored_by ? *row.restored_by : "the resolution of " + *row.restored_by_incident)
          << " after " << FormatHumanDuration(*row.recovery_s) << '\n';
    } else {
      out << "not restored yet\n";
    }
    for (const auto& reason : row.failure_reasons)
      out << "      " << DescribeEvidence(reason) << '\n';
  }
  if (s.incidents > s.incidents_linked) {
    out << "\n"
        << s.incidents - s.incidents_linked << " of " << s.incidents
        << " incidents in the window were tied to no deployment: none finished within the "
           "incident window before them, and none was named\n";
  }
  if (s.deployments > 0 && s.deployments < 10) {
    out << "\nNote: fewer than 10 deployments in the window; medians are not stable yet.\n";
  }
  for (const engine::DeploymentRow& row : r.report.deployments) {
    if (!row.lookback_applied) continue;
    out << "Note: " << r.deployments[row.index].ref
        << " is the first deployment: only the commits of its lookback were credited.\n";
    break;
  }
  return out.str();
}

}  // namespace leadline::cli
