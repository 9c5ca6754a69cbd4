#include "cli/report_output.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

namespace leadline::cli {
namespace {

using common::FormatHumanDuration;
using common::FormatRfc3339;
using nlohmann::ordered_json;

std::string Fixed(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
  return buffer;
}

std::string Percent(double fraction) { return Fixed(fraction * 100, 1) + "%"; }

std::string Duration(double seconds) {
  return FormatHumanDuration(static_cast<common::Seconds>(std::llround(seconds)));
}

template <typename T>
ordered_json OrNull(const std::optional<T>& value) {
  return value ? ordered_json(*value) : ordered_json(nullptr);
}

ordered_json OptionalNumber(bool present, double value) {
  return present ? ordered_json(value) : ordered_json(nullptr);
}

std::string Level(const std::optional<std::string>& level) { return level.value_or("-"); }

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

// The lead-time breakdown over the pull requests merged in the window.
ordered_json StagesJson(const engine::StageSummary& s) {
  return {{"merged", s.merged},
          {"bots_excluded", s.bots_excluded},
          {"commits_estimated", s.estimated},
          {"coding", DistributionJson(s.coding)},
          {"pickup", DistributionJson(s.pickup)},
          {"review", DistributionJson(s.review)},
          {"deploy", DistributionJson(s.deploy)},
          {"total", DistributionJson(s.total)}};
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
    out.push_back({{"number", row.number},
                   {"progress", engine::PullRequestProgressName(row.progress)},
                   {"bot", row.bot},
                   {"commits", row.commits},
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

// One row of the summary table: metric, value, sample, level.
struct TableRow {
  std::string metric, value, sample, level;
};

}  // namespace

std::string RenderJson(const app::RepositoryReport& r) {
  const engine::Summary& s = r.report.summary;
  const bool has_lead = s.lead_time_s.count > 0;
  const bool has_recovery = s.recovery_s.count > 0;
  ordered_json summary = {
      {"repository", r.repository.location},
      {"proxy", r.proxy},
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
  ordered_json deployments = ordered_json::array();
  for (const engine::DeploymentRow& row : r.report.deployments) {
    const model::Deployment& d = r.deployments[row.index];
    ordered_json reasons = ordered_json::array();
    for (const auto& reason : row.failure_reasons) {
      ordered_json one = {{"reason", reason.reason}};
      if (!reason.commit.empty()) one["commit"] = reason.commit;
      if (!reason.reverted.empty()) one["reverted_commit"] = reason.reverted;
      if (!reason.branch.empty()) one["branch"] = reason.branch;
      if (!reason.incident.empty()) {
        one["incident"] = reason.incident;
        one["linked_by"] = reason.linked_by;
      }
      reasons.push_back(std::move(one));
    }
    deployments.push_back({
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
    });
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
  const engine::Levels& l = s.levels;
  std::vector<TableRow> rows;
  rows.push_back({"Deployment frequency",
                  Fixed(s.frequency.deploys_per_day, 2) + "/day (" +
                      Fixed(s.frequency.deploys_per_week, 1) + "/week median)",
                  std::to_string(s.deployments) + " deployments", Level(l.deployment_frequency)});
  const auto& lt = s.lead_time_s;
  rows.push_back({"Lead time for changes",
                  lt.count ? Duration(lt.median) + " median, p75 " + Duration(lt.p75) + ", p90 " +
                                 Duration(lt.p90)
                           : "no changes",
                  std::to_string(lt.count) + " changes", Level(l.lead_time)});
  rows.push_back(
      {"Change fail rate", s.change_fail_rate ? Percent(*s.change_fail_rate) : "no deployments",
       std::to_string(s.failed_deployments) + " of " + std::to_string(s.deployment_attempts),
       Level(l.change_fail_rate)});
  std::string recovery =
      s.recovery_s.count ? Duration(s.recovery_s.median) + " median" : "no recovered failures";
  if (s.unrecovered_failures) recovery += ", " + std::to_string(s.unrecovered_failures) + " open";
  rows.push_back({"Failed deployment recovery", recovery,
                  std::to_string(s.recovery_s.count) + " recoveries", Level(l.recovery)});
  rows.push_back(
      {"Rework rate", s.rework_rate ? Percent(*s.rework_rate) : "no deployments",
       std::to_string(s.rework_deployments) + " of " + std::to_string(s.deployment_attempts), "-"});

  std::size_t widths[4] = {6, 5, 6, 5};
  for (const TableRow& row : rows) {
    widths[0] = std::max(widths[0], row.metric.size());
    widths[1] = std::max(widths[1], row.value.size());
    widths[2] = std::max(widths[2], row.sample.size());
  }
  std::ostringstream out;
  out << "DORA metrics for " << r.repository.name << " (" << r.repository.location << ")\n"
      << "Window " << FormatRfc3339(s.window.since) << " .. " << FormatRfc3339(s.window.until)
      << " (" << Fixed(s.window_days, 0) << " days), benchmark levels " << l.year << "\n";
  if (r.proxy) {
    out << "Proxy: no production deployments, so each pull request merged into the default "
           "branch counts as one\n";
  }
  out << "\n";
  auto line = [&](const std::string& a, const std::string& b, const std::string& c,
                  const std::string& d) {
    char buffer[512];
    std::snprintf(buffer, sizeof(buffer), "%-*s  %-*s  %*s  %s\n", static_cast<int>(widths[0]),
                  a.c_str(), static_cast<int>(widths[1]), b.c_str(), static_cast<int>(widths[2]),
                  c.c_str(), d.c_str());
    out << buffer;
  };
  line("Metric", "Value", "Sample", "Level");
  for (const TableRow& row : rows) line(row.metric, row.value, row.sample, row.level);

  if (r.stages && r.stages->merged > 0) {
    const engine::StageSummary& st = *r.stages;
    out << "\nPull request stages (median, over " << st.merged - st.bots_excluded
        << " merged in the window";
    if (st.bots_excluded > 0) out << "; " << st.bots_excluded << " by bots left out";
    out << ")\n";
    for (const auto& [name, d] : {std::pair{"coding", &st.coding}, std::pair{"pickup", &st.pickup},
                                  std::pair{"review", &st.review}, std::pair{"deploy", &st.deploy},
                                  std::pair{"total", &st.total}}) {
      out << "  " << name << std::string(8 - std::string(name).size(), ' ')
          << (d->count > 0 ? FormatHumanDuration(static_cast<common::Seconds>(d->median)) : "-")
          << "  (" << d->count << ")\n";
    }
  }

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
