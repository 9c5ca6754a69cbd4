#include "app/analytics_grafana.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

namespace leadline::app {
namespace {

using nlohmann::json;

// The rows a panel reads: the projects and repositories the variables select.
constexpr const char* kScope = "project_key IN ($project) AND repository IN ($repository)";
// The metric rows of those repositories (a project's own rows would count them twice).
constexpr const char* kRepositoryRows =
    "scope_kind = 'repository' AND project_key IN ($project) AND repository IN ($repository)";

struct Panel {
  std::string title;
  std::string type;    // stat, timeseries, table, barchart
  std::string format;  // table or time_series
  std::string unit;    // "" for none
  std::string sql;
  std::string description;
  int width = 6;
  int height = 5;
};

struct Dashboard {
  std::string uid;
  std::string title;
  std::string description;
  bool environment = false;  // has the environment variable
  std::vector<Panel> panels;
};

std::string Sql(std::initializer_list<std::string> parts) {
  std::string out;
  for (const std::string& part : parts) out += (out.empty() ? "" : " ") + part;
  return out;
}

// The median lead time, the change fail rate and the median time to restore of the selection,
// as the overview's stats read them.
const std::string kLeadTime =
    Sql({"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lead_time_s)",
         "FROM leadline_analytics.changes", "WHERE $__timeFilter(deployed_at) AND", kScope});
const std::string kChangeFailRate =
    Sql({"SELECT SUM(failed_deployments)::float8 / NULLIF(SUM(deployment_attempts), 0)",
         "FROM leadline_analytics.metrics_daily", "WHERE $__timeFilter(period_start) AND",
         kRepositoryRows});
const std::string kRecovery =
    Sql({"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY recovery_s)",
         "FROM leadline_analytics.deployments",
         "WHERE $__timeFilter(finished_at) AND recovery_s IS NOT NULL AND", kScope});

// The levels of the DORA report 2023 (engine/benchmark_levels.json's default year): the first
// level whose bound holds.
std::string LevelsSql() {
  return "WITH m AS (SELECT (" + kLeadTime + ") AS lead_time_s, (" + kChangeFailRate +
         ") AS change_fail_rate, (" + kRecovery +
         ") AS recovery_s) "
         "SELECT CASE WHEN lead_time_s IS NULL THEN NULL WHEN lead_time_s < 86400 THEN 'Elite' "
         "WHEN lead_time_s < 604800 THEN 'High' WHEN lead_time_s < 2592000 THEN 'Medium' ELSE "
         "'Low' END AS \"Lead time\", "
         "CASE WHEN change_fail_rate IS NULL THEN NULL WHEN change_fail_rate <= 0.05 THEN "
         "'Elite' WHEN change_fail_rate <= 0.10 THEN 'High' WHEN change_fail_rate <= 0.15 THEN "
         "'Medium' ELSE 'Low' END AS \"Change fail rate\", "
         "CASE WHEN recovery_s IS NULL THEN NULL WHEN recovery_s < 3600 THEN 'Elite' WHEN "
         "recovery_s < 86400 THEN 'High' WHEN recovery_s < 604800 THEN 'Medium' ELSE 'Low' END "
         "AS \"Time to restore\" FROM m";
}

std::vector<Dashboard> Dashboards() {
  const std::string deployment_scope = std::string(kScope) + " AND environment IN ($environment)";
  return {
      {"leadline-dora-overview",
       "Leadline: DORA overview",
       "The four DORA metrics of the selected projects and repositories over the time range, "
       "and their levels (DORA report 2023).",
       false,
       {{"Deployments", "stat", "table", "none",
         Sql({"SELECT COALESCE(SUM(deployments), 0) AS \"Deployments\"",
              "FROM leadline_analytics.metrics_daily", "WHERE $__timeFilter(period_start) AND",
              kRepositoryRows}),
         "Production deployments (days whose start is in the range)"},
        {"Deployments per day", "stat", "table", "none",
         Sql({"SELECT COALESCE(SUM(deployments), 0) / NULLIF(EXTRACT(EPOCH FROM",
              "($__timeTo()::timestamptz - $__timeFrom()::timestamptz)) / 86400, 0)",
              "AS \"Deployments per day\"", "FROM leadline_analytics.metrics_daily",
              "WHERE $__timeFilter(period_start) AND", kRepositoryRows}),
         "Deployment frequency"},
        {"Lead time for changes (median)", "stat", "table", "s", kLeadTime + "",
         "Median commit-to-production time of the changes deployed in the range"},
        {"Change fail rate", "stat", "table", "percentunit", kChangeFailRate,
         "Failed deployments over deployment attempts"},
        {"Time to restore (median)", "stat", "table", "s", kRecovery,
         "Median failure-to-restoration time of the failed deployments in the range"},
        {"DORA levels (2023)", "table", "table", "", LevelsSql(),
         "Each metric's level by the DORA report 2023's thresholds", 12, 5},
        {"DORA by quarter", "table", "table", "",
         Sql({"SELECT project_key AS \"Project\", period_start::date AS \"Quarter\",",
              "deployments AS \"Deployments\", change_fail_rate AS \"Change fail rate\",",
              "lead_time_median_s / 3600 AS \"Lead time (median, h)\",",
              "recovery_median_s / 3600 AS \"Time to restore (median, h)\",",
              "incidents AS \"Incidents\"", "FROM leadline_analytics.metrics_quarterly",
              "WHERE scope_kind = 'project' AND project_key IN ($project)",
              "AND period_end > $__timeFrom()::timestamptz AND period_start <= "
              "$__timeTo()::timestamptz",
              "ORDER BY 1, 2"}),
         "Each project's quarters that meet the range (whole projects: the repository selection "
         "does not apply)",
         24, 7},
        {"Deployments and failures per day", "timeseries", "time_series", "none",
         Sql({"SELECT $__timeGroupAlias(period_start, '1d'), SUM(deployments) AS \"Deployments\",",
              "SUM(failed_deployments) AS \"Failed\"", "FROM leadline_analytics.metrics_daily",
              "WHERE $__timeFilter(period_start) AND", kRepositoryRows, "GROUP BY 1 ORDER BY 1"}),
         "", 12, 8},
        {"Lead time for changes by week (median)", "timeseries", "time_series", "s",
         Sql({"SELECT $__timeGroupAlias(deployed_at, '1w'),",
              "percentile_cont(0.5) WITHIN GROUP (ORDER BY lead_time_s) AS \"Median lead time\"",
              "FROM leadline_analytics.changes", "WHERE $__timeFilter(deployed_at) AND", kScope,
              "GROUP BY 1 ORDER BY 1"}),
         "", 12, 8}}},
      {"leadline-lead-time",
       "Leadline: lead-time breakdown",
       "Where the time from first commit to production goes: pull request stages by "
       "repository and by team (bots left out).",
       false,
       {{"Pull request stages by repository (median)", "table", "table", "s",
         Sql({"SELECT repository AS \"Repository\", COUNT(*) AS \"Merged\",",
              "percentile_cont(0.5) WITHIN GROUP (ORDER BY coding_s) AS \"Coding\",",
              "percentile_cont(0.5) WITHIN GROUP (ORDER BY pickup_s) AS \"Pickup\",",
              "percentile_cont(0.5) WITHIN GROUP (ORDER BY review_s) AS \"Review\",",
              "percentile_cont(0.5) WITHIN GROUP (ORDER BY deploy_s) AS \"Deploy\",",
              "percentile_cont(0.5) WITHIN GROUP (ORDER BY total_s) AS \"Total\"",
              "FROM leadline_analytics.pull_requests",
              "WHERE NOT bot AND $__timeFilter(merged_at) AND", kScope,
              "GROUP BY repository ORDER BY repository"}),
         "Median of each stage of the pull requests merged in the range", 24, 8},
        {"Pull request stages by week (median)", "timeseries", "time_series", "s",
         Sql({"SELECT $__timeGroupAlias(merged_at, '1w'),",
              "percentile_cont(0.5) WITHIN GROUP (ORDER BY coding_s) AS \"Coding\",",
              "percentile_cont(0.5) WITHIN GROUP (ORDER BY pickup_s) AS \"Pickup\",",
              "percentile_cont(0.5) WITHIN GROUP (ORDER BY review_s) AS \"Review\",",
              "percentile_cont(0.5) WITHIN GROUP (ORDER BY deploy_s) AS \"Deploy\"",
              "FROM leadline_analytics.pull_requests",
              "WHERE NOT bot AND $__timeFilter(merged_at) AND", kScope, "GROUP BY 1 ORDER BY 1"}),
         "", 24, 8},
        {"Pull request total time by team and week (median)", "timeseries", "time_series", "s",
         Sql({"SELECT $__timeGroupAlias(period_start, '1w'),",
              "project_key || ' / ' || team AS metric,",
              "pull_request_total_median_s AS \"Median total\"",
              "FROM leadline_analytics.metrics_weekly",
              "WHERE $__timeFilter(period_start) AND scope_kind = 'team' AND",
              "project_key IN ($project) AND team IN ($team) ORDER BY 1"}),
         "Each team of leadline.toml within each project: its members' pull requests only "
         "(whole projects: the repository selection does not apply)",
         24, 8},
        {"Largest pull requests", "table", "table", "",
         Sql({"SELECT repository AS \"Repository\", number AS \"Number\", title AS \"Title\",",
              "author AS \"Author\", lines_added + lines_deleted AS \"Lines changed\",",
              "reviewers AS \"Reviewers\", total_s AS \"Total (s)\"",
              "FROM leadline_analytics.pull_requests",
              "WHERE NOT bot AND $__timeFilter(merged_at) AND", kScope,
              "ORDER BY lines_added + lines_deleted DESC NULLS LAST LIMIT 50"}),
         "", 24, 8}}},
      {"leadline-deployments",
       "Leadline: deployments and failures",
       "Production deployments, which failed and why.",
       true,
       {{"Deployments and failures per day", "timeseries", "time_series", "none",
         Sql({"SELECT $__timeGroupAlias(finished_at, '1d'), COUNT(*) AS \"Deployments\",",
              "COUNT(*) FILTER (WHERE failed) AS \"Failed\"", "FROM leadline_analytics.deployments",
              "WHERE $__timeFilter(finished_at) AND", deployment_scope, "GROUP BY 1 ORDER BY 1"}),
         "", 16, 8},
        {"Failure reasons", "barchart", "table", "none",
         Sql({"SELECT reason AS \"Reason\", COUNT(*) AS \"Failures\"",
              "FROM leadline_analytics.failure_reasons", "WHERE $__timeFilter(finished_at) AND",
              kScope, "GROUP BY reason ORDER BY 2 DESC"}),
         "deployment_failed, reverted, hotfix, incident", 8, 8},
        {"Recent deployments", "table", "table", "",
         Sql({"SELECT finished_at AS \"Finished\", repository AS \"Repository\", ref AS \"Ref\",",
              "branch AS \"Branch\", environment AS \"Environment\", status AS \"Status\",",
              "EXTRACT(EPOCH FROM finished_at - started_at) AS \"Duration (s)\",",
              "failure_reasons AS \"Failure reasons\", change_count AS \"Changes\",",
              "lead_time_median_s AS \"Lead time (median, s)\", recovery_s AS \"Recovery (s)\"",
              "FROM leadline_analytics.deployments", "WHERE $__timeFilter(finished_at) AND",
              deployment_scope, "ORDER BY finished_at DESC LIMIT 200"}),
         "", 24, 10}}},
      {"leadline-incidents",
       "Leadline: incidents and recovery",
       "Incidents counted against the selected repositories, and how fast service came back.",
       false,
       {{"Incidents", "stat", "table", "none",
         Sql({"SELECT COUNT(*) AS \"Incidents\" FROM leadline_analytics.incidents",
              "WHERE $__timeFilter(started_at) AND", kScope}),
         "Incidents begun in the range"},
        {"Time to restore (median)", "stat", "table", "s", kRecovery,
         "Median failure-to-restoration time of the failed deployments in the range"},
        {"Time to resolve incidents (median)", "stat", "table", "s",
         Sql({"SELECT percentile_cont(0.5) WITHIN GROUP",
              "(ORDER BY EXTRACT(EPOCH FROM resolved_at - started_at))",
              "FROM leadline_analytics.incidents",
              "WHERE $__timeFilter(started_at) AND resolved_at IS NOT NULL AND", kScope}),
         "Median start-to-resolution time of the incidents begun in the range"},
        {"Incidents per week", "timeseries", "time_series", "none",
         Sql({"SELECT $__timeGroupAlias(started_at, '1w'), COUNT(*) AS \"Incidents\"",
              "FROM leadline_analytics.incidents", "WHERE $__timeFilter(started_at) AND", kScope,
              "GROUP BY 1 ORDER BY 1"}),
         "", 24, 8},
        {"Incidents", "table", "table", "",
         Sql({"SELECT started_at AS \"Started\", resolved_at AS \"Resolved\",",
              "repository AS \"Repository\", source AS \"Source\", service AS \"Service\",",
              "severity AS \"Severity\", title AS \"Title\", linked_by AS \"Linked by\",",
              "deployment_ref AS \"Deployment\"", "FROM leadline_analytics.incidents",
              "WHERE $__timeFilter(started_at) AND", kScope, "ORDER BY started_at DESC LIMIT 200"}),
         "", 24, 10}}},
  };
}

json Datasource() {
  return {{"type", "grafana-postgresql-datasource"}, {"uid", kGrafanaDatasourceUid}};
}

// A query variable over the analytics tables, every value selected by default.
json Variable(const std::string& name, const std::string& label, const std::string& sql) {
  return {{"name", name},
          {"label", label},
          {"type", "query"},
          {"datasource", Datasource()},
          {"query", sql},
          {"definition", sql},
          {"refresh", 1},
          {"multi", true},
          {"includeAll", true},
          {"current", {{"selected", true}, {"text", {"All"}}, {"value", {"$__all"}}}},
          {"sort", 1}};
}

json DashboardJson(const Dashboard& dashboard) {
  json variables = json::array();
  variables.push_back(Variable("project", "Project",
                               "SELECT DISTINCT project_key FROM leadline_analytics.metrics_daily "
                               "WHERE project_key <> '' ORDER BY 1"));
  variables.push_back(Variable("repository", "Repository",
                               "SELECT DISTINCT repository FROM leadline_analytics.metrics_daily "
                               "WHERE scope_kind = 'repository' AND project_key IN ($project) "
                               "ORDER BY 1"));
  const bool teams = std::any_of(
      dashboard.panels.begin(), dashboard.panels.end(),
      [](const Panel& panel) { return panel.sql.find("($team)") != std::string::npos; });
  if (teams) {
    variables.push_back(Variable("team", "Team",
                                 "SELECT DISTINCT team FROM leadline_analytics.metrics_daily "
                                 "WHERE scope_kind = 'team' AND project_key IN ($project) "
                                 "ORDER BY 1"));
  }
  if (dashboard.environment) {
    variables.push_back(Variable("environment", "Environment",
                                 "SELECT DISTINCT environment FROM leadline_analytics.deployments "
                                 "WHERE project_key IN ($project) ORDER BY 1"));
  }
  json panels = json::array();
  int x = 0, y = 0, row_height = 0, id = 1;
  for (const Panel& panel : dashboard.panels) {
    if (x + panel.width > 24) {
      x = 0;
      y += row_height;
      row_height = 0;
    }
    json p = {{"id", id++},
              {"type", panel.type},
              {"title", panel.title},
              {"datasource", Datasource()},
              {"gridPos", {{"x", x}, {"y", y}, {"w", panel.width}, {"h", panel.height}}},
              {"targets",
               {{{"refId", "A"},
                 {"datasource", Datasource()},
                 {"editorMode", "code"},
                 {"rawQuery", true},
                 {"format", panel.format},
                 {"rawSql", panel.sql}}}}};
    if (!panel.description.empty()) p["description"] = panel.description;
    if (!panel.unit.empty())
      p["fieldConfig"] = {{"defaults", {{"unit", panel.unit}}}, {"overrides", json::array()}};
    panels.push_back(std::move(p));
    x += panel.width;
    row_height = std::max(row_height, panel.height);
  }
  return {{"uid", dashboard.uid},
          {"title", dashboard.title},
          {"description", dashboard.description},
          {"tags", {"leadline", "dora"}},
          {"timezone", "utc"},
          {"schemaVersion", 39},
          {"editable", false},
          {"time", {{"from", "now-90d"}, {"to", "now"}}},
          {"templating", {{"list", variables}}},
          {"panels", panels}};
}

common::Status CheckOption(const std::string& name, const std::string& value) {
  const bool shaped =
      !value.empty() && value.size() <= 200 && std::all_of(value.begin(), value.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '.' || c == ':' || c == '/' || c == '-' || c == '@';
      });
  if (shaped) return common::Status::Ok();
  return common::Status::InvalidArgument(name + " '" + value.substr(0, 80) +
                                         "': use 1 to 200 of A-Z, a-z, 0-9 and _ . : / - @");
}

}  // namespace

common::Result<std::map<std::string, std::string>> GrafanaFiles(const GrafanaOptions& options) {
  LEADLINE_RETURN_IF_ERROR(CheckOption("--url", options.url));
  LEADLINE_RETURN_IF_ERROR(CheckOption("--database", options.database));
  LEADLINE_RETURN_IF_ERROR(CheckOption("--user", options.user));
  LEADLINE_RETURN_IF_ERROR(CheckOption("--dashboards-path", options.dashboards_path));
  const std::vector<std::string> modes = {"disable", "require", "verify-ca", "verify-full"};
  if (std::find(modes.begin(), modes.end(), options.sslmode) == modes.end()) {
    return common::Status::InvalidArgument("--sslmode '" + options.sslmode.substr(0, 80) +
                                           "': use disable, require, verify-ca or verify-full");
  }
  std::map<std::string, std::string> files;
  files["provisioning/datasources/leadline.yaml"] =
      "# Leadline's analytics tables (docs/bi.md). Connect as a role `leadline bi grant` made:\n"
      "# PostgreSQL's row-level security then shows this organisation its projects only.\n"
      "apiVersion: 1\n"
      "datasources:\n"
      "  - name: \"Leadline\"\n"
      "    uid: \"" +
      std::string(kGrafanaDatasourceUid) +
      "\"\n"
      "    type: \"grafana-postgresql-datasource\"\n"
      "    access: \"proxy\"\n"
      "    url: \"" +
      options.url +
      "\"\n"
      "    user: \"" +
      options.user +
      "\"\n"
      "    editable: false\n"
      "    jsonData:\n"
      "      database: \"" +
      options.database +
      "\"\n"
      "      sslmode: \"" +
      options.sslmode +
      "\"\n"
      "      postgresVersion: 1500\n"
      "      timescaledb: false\n"
      "    secureJsonData:\n"
      "      # Read by Grafana from its environment when it starts: never written here.\n"
      "      password: \"$" +
      std::string(kGrafanaPasswordVariable) + "\"\n";
  files["provisioning/dashboards/leadline.yaml"] =
      "apiVersion: 1\n"
      "providers:\n"
      "  - name: \"leadline\"\n"
      "    type: \"file\"\n"
      "    folder: \"Leadline\"\n"
      "    disableDeletion: false\n"
      "    allowUiUpdates: false\n"
      "    options:\n"
      "      path: \"" +
      options.dashboards_path + "\"\n";
  for (const Dashboard& dashboard : Dashboards()) {
    files["dashboards/" + dashboard.uid + ".json"] = DashboardJson(dashboard).dump(2) + "\n";
  }
  return files;
}

}  // namespace leadline::app
