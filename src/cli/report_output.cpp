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
  if (!reason.environment.empty()) {
    return "deployment_failed: it failed in " + reason.environment + ", not re-run green";
  }
  return "deployment_failed: the deployment itself finished with a failure";
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
  for (const engine::IncidentRow& row : r.report.incidents)
    incidents.push_back(IncidentRowJson(row));
  ordered_json out = {{"summary", std::move(summary)},
                      {"deployments", std::move(deployments)},
                      {"incidents", std::move(incidents)}};
  if (r.stages) {
    out["pull_request_stages"] = StagesJson(*r.stages);
    ordered_json pull_requests = ordered_json::array();
    for (const engine::PullRequestStages& row : r.pull_requests) {
      if (row.merged_at && *row.merged_at >= s.window.since && *row.merged_at < s.window.until) {
        pull_requests.push_back(PullRequestRowJson(row));
      }
    }
    out["pull_requests"] = std::move(pull_requests);
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
