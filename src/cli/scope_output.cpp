#include "cli/scope_output.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/metrics_output.h"

namespace leadline::cli {

using common::FormatRfc3339;
using nlohmann::ordered_json;

std::string RenderScopeJson(const app::ScopeReport& r) {
  ordered_json repositories = ordered_json::array();
  ordered_json names = ordered_json::array();
  for (const app::RepositoryMetrics& one : r.repositories) {
    names.push_back(one.repository.location);
    ordered_json summary = {{"repository", one.repository.location},
                            {"proxy", one.metrics.proxy_repositories > 0}};
    const ordered_json fields = SummaryJson(one.metrics.summary);
    summary.update(fields);
    repositories.push_back(std::move(summary));
  }
  ordered_json summary = {{"proxy_repositories", r.total.proxy_repositories}};
  const ordered_json fields = SummaryJson(r.total.summary);
  summary.update(fields);
  ordered_json trend = ordered_json::array();
  for (const engine::TrendPoint& week : r.trend) {
    trend.push_back({{"week_start", FormatRfc3339(week.start)},
                     {"deployments", week.deployments},
                     {"deployment_attempts", week.deployment_attempts},
                     {"lead_time_median_s", OrNull(week.lead_time_median_s)},
                     {"lead_time_sample", week.lead_time_sample},
                     {"change_fail_rate", OrNull(week.change_fail_rate)},
                     {"recovery_median_s", OrNull(week.recovery_median_s)},
                     {"rework_rate", OrNull(week.rework_rate)},
                     {"pull_request_total_median_s", OrNull(week.pull_request_total_median_s)}});
  }
  const ordered_json out = {
      {"scope",
       {{"pattern", r.pattern},
        {"repositories", std::move(names)},
        {"team", r.team.empty() ? ordered_json(nullptr) : ordered_json(r.team)},
        {"team_people", r.team_people}}},
      {"summary", std::move(summary)},
      {"pull_request_stages", StagesJson(r.total.stages)},
      {"repositories", std::move(repositories)},
      {"trend", std::move(trend)},
  };
  return out.dump(2) + "\n";
}

std::string RenderScopeTable(const app::ScopeReport& r) {
  const engine::Summary& s = r.total.summary;
  std::ostringstream out;
  out << "DORA metrics for " << r.repositories.size() << " repositories matching '" << r.pattern
      << "'";
  if (!r.team.empty()) {
    out << ", pull requests of team " << r.team << " (" << r.team_people << " people found)";
  }
  out << "\nWindow " << FormatRfc3339(s.window.since) << " .. " << FormatRfc3339(s.window.until)
      << " (" << Fixed(s.window_days, 0) << " days), benchmark levels " << s.levels.year << "\n";
  if (r.total.proxy_repositories > 0) {
    out << "Proxy: " << r.total.proxy_repositories
        << " of them have no production deployments; their merges into the default branch count "
           "as deployments\n";
  }
  out << "\n" << SummaryTable(s) << StagesTable(r.total.stages);
  out << "\nBy repository\n";
  for (const app::RepositoryMetrics& one : r.repositories) {
    const engine::Summary& rs = one.metrics.summary;
    out << "  " << one.repository.location << (one.metrics.proxy_repositories ? " (proxy)" : "")
        << ": " << rs.deployments << " deployments, lead time "
        << (rs.lead_time_s.count ? Duration(rs.lead_time_s.median) : std::string("-"))
        << ", change fail rate "
        << (rs.change_fail_rate ? Percent(*rs.change_fail_rate) : std::string("-")) << "\n";
  }
  if (!r.trend.empty()) {
    out << "\nWeekly trend (week starting, deployments, lead time median, change fail rate)\n";
    for (const engine::TrendPoint& week : r.trend) {
      out << "  " << FormatRfc3339(week.start).substr(0, 10) << "  " << week.deployments << "  "
          << (week.lead_time_median_s ? Duration(*week.lead_time_median_s) : std::string("-"))
          << "  " << (week.change_fail_rate ? Percent(*week.change_fail_rate) : std::string("-"))
          << "\n";
    }
  }
  return out.str();
}

}  // namespace leadline::cli
