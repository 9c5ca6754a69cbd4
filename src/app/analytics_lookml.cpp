#include "app/analytics_lookml.h"

#include <algorithm>
#include <vector>

#include "store/tables/analytics.h"

namespace leadline::app {
namespace {

using store::AnalyticsColumn;
using store::AnalyticsTable;
using store::ColumnType;

// A filter of a filtered measure: a yesno dimension and "yes"/"no", or a string dimension and a
// value (what tests/lookml/check.mjs knows how to turn into SQL).
struct Filter {
  const char* field;
  const char* value;
};

struct Measure {
  const char* name;
  const char* type;  // count, count_distinct, sum, average, median, number
  const char* sql;   // "" for count
  std::vector<Filter> filters;
  const char* value_format;  // "" for none
  const char* description;
};

struct ViewSpec {
  const char* table;
  std::vector<const char*> primary_key;  // the columns that make a row's key, or none
  std::vector<Measure> measures;
  const char* description;
};

// Rates are ratios of two counts over the rows in scope, as the API's are (failed / attempts).
std::vector<Measure> MetricMeasures() {
  return {
      {"count", "count", "", {}, "", "Metric rows (days or weeks)"},
      {"total_deployments", "sum", "${deployments}", {}, "", "Deployments"},
      {"total_deployment_attempts", "sum", "${deployment_attempts}", {}, "", "Deployment attempts"},
      {"total_failed_deployments", "sum", "${failed_deployments}", {}, "", "Failed deployments"},
      {"combined_change_fail_rate",
       "number",
       "1.0 * ${total_failed_deployments} / NULLIF(${total_deployment_attempts}, 0)",
       {},
       "percent_1",
       "Failed deployments over attempts, over the rows selected (the column change_fail_rate "
       "is each row's own)"},
      {"total_rework_deployments", "sum", "${rework_deployments}", {}, "", "Rework deployments"},
      {"combined_rework_rate",
       "number",
       "1.0 * ${total_rework_deployments} / NULLIF(${total_deployment_attempts}, 0)",
       {},
       "percent_1",
       "Rework deployments over attempts, over the rows selected"},
      {"total_incidents", "sum", "${incidents}", {}, "", "Incidents"},
      {"total_pull_requests_merged",
       "sum",
       "${pull_requests_merged}",
       {},
       "",
       "Pull requests merged"},
  };
}

const std::vector<ViewSpec>& ViewSpecs() {
  static const std::vector<ViewSpec> specs = {
      {"deployments",
       {"project_key", "repository", "deployment_key"},
       {{"count", "count", "", {}, "", "Production deployments (attempts, failed ones included)"},
        {"failed_count", "count", "", {{"failed", "yes"}}, "", "Deployments that count as failed"},
        {"change_fail_rate",
         "number",
         "1.0 * ${failed_count} / NULLIF(${count}, 0)",
         {},
         "percent_1",
         "Failed deployments over deployments"},
        {"rework_count", "count", "", {{"rework", "yes"}}, "", "Deployments that reworked"},
        {"rework_rate",
         "number",
         "1.0 * ${rework_count} / NULLIF(${count}, 0)",
         {},
         "percent_1",
         "Rework deployments over deployments"},
        {"changes_shipped", "sum", "${change_count}", {}, "", "Commits shipped"},
        {"median_recovery_s",
         "median",
         "${recovery_s}",
         {},
         "decimal_0",
         "Median failure-to-restoration time, seconds"}},
       "One row per production deployment"},
      {"changes",
       {"project_key", "repository", "commit_sha"},  // a commit is first shipped once
       {{"count", "count", "", {}, "", "Changes with a lead time"},
        {"authors", "count_distinct", "${author}", {}, "", "Distinct commit authors (e-mails)"},
        {"median_lead_time_s",
         "median",
         "${lead_time_s}",
         {},
         "decimal_0",
         "Median lead time for changes, seconds"},
        {"mean_lead_time_s",
         "average",
         "${lead_time_s}",
         {},
         "decimal_0",
         "Mean lead time for changes, seconds"}},
       "One row per change the lead-time metrics count"},
      {"pull_requests",
       {"project_key", "repository", "number"},
       {{"count", "count", "", {}, "", "Pull requests"},
        {"merged_count", "count", "", {{"state", "MERGED"}}, "", "Merged pull requests"},
        {"median_coding_s",
         "median",
         "${coding_s}",
         {{"bot", "no"}},
         "decimal_0",
         "Median coding stage (first commit to opened), seconds, bots left out"},
        {"median_pickup_s",
         "median",
         "${pickup_s}",
         {{"bot", "no"}},
         "decimal_0",
         "Median pickup stage (opened to first review), seconds, bots left out"},
        {"median_review_s",
         "median",
         "${review_s}",
         {{"bot", "no"}},
         "decimal_0",
         "Median review stage (first review to merged), seconds, bots left out"},
        {"median_deploy_s",
         "median",
         "${deploy_s}",
         {{"bot", "no"}},
         "decimal_0",
         "Median deploy stage (merged to deployed), seconds, bots left out"},
        {"median_total_s",
         "median",
         "${total_s}",
         {{"bot", "no"}},
         "decimal_0",
         "Median first commit to deployed, seconds, bots left out"}},
       "One row per pull request, open ones included"},
      {"incidents",
       {"project_key", "repository", "source", "incident_id"},
       {{"count", "count", "", {}, "", "Incidents"},
        {"median_resolution_s",
         "median",
         "EXTRACT(EPOCH FROM ${resolved_raw}) - EXTRACT(EPOCH FROM ${started_raw})",
         {},
         "decimal_0",
         "Median start-to-resolution time, seconds"}},
       "One row per incident counted against a repository"},
      {"failure_reasons",
       {},
       {{"count", "count", "", {}, "", "Failure reasons"}},
       "One row per reason a deployment failed"},
      {"metrics_daily",
       {"project_key", "scope_kind", "repository", "period_start"},
       MetricMeasures(),
       "The metrics per UTC day, per repository and per project"},
      {"metrics_weekly",
       {"project_key", "scope_kind", "repository", "period_start"},
       MetricMeasures(),
       "The metrics per week (from Monday 00:00 UTC), per repository and per project"},
      {"metrics_quarterly",
       {"project_key", "scope_kind", "repository", "period_start"},
       MetricMeasures(),
       "The metrics per calendar quarter (UTC), per repository and per project"},
  };
  return specs;
}

// A time column's dimension group: "finished_at" -> "finished"; "period_start" stays.
std::string GroupName(const AnalyticsColumn& column) {
  const std::string name = column.name;
  return name.ends_with("_at") ? name.substr(0, name.size() - 3) : name;
}

const char* DimensionType(ColumnType type) {
  switch (type) {
    case ColumnType::kText:
      return "string";
    case ColumnType::kInt:
    case ColumnType::kReal:
      return "number";
    case ColumnType::kBool:
      return "yesno";
    case ColumnType::kTime:
      return "time";
  }
  return "string";
}

std::string KeySql(const AnalyticsTable& table, const std::vector<const char*>& key) {
  std::string sql;
  for (const char* name : key) {
    const auto column =
        std::find_if(table.columns.begin(), table.columns.end(),
                     [&](const AnalyticsColumn& c) { return c.name == std::string(name); });
    const std::string ref = std::string("${TABLE}.") + name;
    sql += sql.empty() ? "" : " || '|' || ";
    sql += column->type == ColumnType::kText ? ref : "CAST(" + ref + " AS text)";
  }
  return sql;
}

std::string View(const ViewSpec& spec) {
  const AnalyticsTable& table = **store::FindAnalyticsTable(spec.table);
  std::string out = "# " + std::string(spec.description) +
                    ". Generated by `leadline export lookml`: edit the generator, not this file.\n";
  out += "view: " + std::string(spec.table) + " {\n";
  out += "  sql_table_name: " + store::AnalyticsSqlName(table, /*postgres=*/true) + " ;;\n";
  if (!spec.primary_key.empty()) {
    out += "\n  dimension: row_key {\n    primary_key: yes\n    hidden: yes\n    type: string\n";
    out += "    sql: " + KeySql(table, spec.primary_key) + " ;;\n  }\n";
  }
  for (const AnalyticsColumn& column : table.columns) {
    out += "\n";
    if (column.type == ColumnType::kTime) {
      out += "  dimension_group: " + GroupName(column) + " {\n    type: time\n";
      out += "    timeframes: [raw, time, date, week, month, quarter, year]\n";
      out += "    sql: ${TABLE}." + std::string(column.name) + " ;;\n  }\n";
      continue;
    }
    out += "  dimension: " + std::string(column.name) + " {\n";
    out += "    type: " + std::string(DimensionType(column.type)) + "\n";
    out += "    sql: ${TABLE}." + std::string(column.name) + " ;;\n  }\n";
  }
  for (const Measure& measure : spec.measures) {
    out += "\n  measure: " + std::string(measure.name) + " {\n";
    out += "    type: " + std::string(measure.type) + "\n";
    if (*measure.sql != '\0') out += "    sql: " + std::string(measure.sql) + " ;;\n";
    if (!measure.filters.empty()) {
      out += "    filters: [";
      for (std::size_t i = 0; i < measure.filters.size(); ++i) {
        out += (i == 0 ? "" : ", ") + std::string(measure.filters[i].field) + ": \"" +
               measure.filters[i].value + "\"";
      }
      out += "]\n";
    }
    if (*measure.value_format != '\0') {
      out += "    value_format_name: " + std::string(measure.value_format) + "\n";
    }
    out += "    description: \"" + std::string(measure.description) + "\"\n  }\n";
  }
  return out + "}\n";
}

struct Join {
  const char* view;
  const char* relationship;
  std::vector<const char*> on;  // columns equal on both sides
};

struct Explore {
  const char* name;
  const char* description;
  std::vector<Join> joins;
};

const std::vector<Explore>& Explores() {
  static const std::vector<Explore> explores = {
      {"deployments",
       "Deployments and the changes each shipped",
       {{"changes", "one_to_many", {"project_key", "repository", "deployment_key"}}}},
      {"failure_reasons",
       "Why deployments failed, with the deployment",
       {{"deployments", "many_to_one", {"project_key", "repository", "deployment_key"}}}},
      {"pull_requests", "Pull requests and their stages", {}},
      {"incidents", "Incidents counted against each repository", {}},
      {"metrics_daily", "The DORA metrics per day", {}},
      {"metrics_weekly", "The DORA metrics per week", {}},
      {"metrics_quarterly", "The DORA metrics per quarter, for quarterly reviews", {}},
  };
  return explores;
}

std::string Model(std::string_view connection) {
  std::string out =
      "# Leadline's analytics tables (docs/bi.md). Generated by `leadline export lookml`.\n";
  out += "connection: \"" + std::string(connection) + "\"\n";
  out += "include: \"/views/*.view.lkml\"\n\n";
  out += "# Leadline records every refresh of the tables: Looker's cache follows it.\n";
  out += "datagroup: " + std::string(kLookerDatagroup) + " {\n";
  out += "  sql_trigger: SELECT max(refreshed_at) FROM leadline_analytics.refreshes ;;\n";
  out += "  max_cache_age: \"24 hours\"\n}\n\n";
  out += "persist_with: " + std::string(kLookerDatagroup) + "\n";
  for (const Explore& explore : Explores()) {
    out += "\nexplore: " + std::string(explore.name) + " {\n";
    out += "  description: \"" + std::string(explore.description) + "\"\n";
    out += "  # Each person sees the projects their user attribute names, and nothing else.\n";
    out += "  access_filter: {\n    field: " + std::string(explore.name) + ".project_key\n";
    out += "    user_attribute: " + std::string(kLookerProjectsAttribute) + "\n  }\n";
    for (const Join& join : explore.joins) {
      out += "  join: " + std::string(join.view) + " {\n    type: left_outer\n";
      out += "    relationship: " + std::string(join.relationship) + "\n    sql_on: ";
      for (std::size_t i = 0; i < join.on.size(); ++i) {
        out += (i == 0 ? "" : "\n      AND ") + std::string("${") + explore.name + "." +
               join.on[i] + "} = ${" + join.view + "." + join.on[i] + "}";
      }
      out += " ;;\n  }\n";
    }
    out += "}\n";
  }
  return out;
}

std::string Readme(std::string_view connection) {
  return "# Leadline's LookML project\n\n"
         "Generated by `leadline export lookml`; regenerate rather than edit (the same Leadline "
         "writes the same files).\n\n"
         "1. In Looker, make a PostgreSQL connection named `" +
         std::string(connection) +
         "` to Leadline's database, as a role made by `leadline bi grant --role looker "
         "--projects ...` (it reads the schema `leadline_analytics` and nothing else).\n"
         "2. Make the user attribute `" +
         std::string(kLookerProjectsAttribute) +
         "` (type string, users cannot see or edit it, no default: a person without a value "
         "sees nothing). Its value is the project keys a person may see, separated by commas: "
         "`payments,checkout`.\n"
         "3. Fill it from the identity provider: with SAML or OIDC sign-in, map the attribute "
         "(or a group's attribute value) the provider sends, so that the projects follow the "
         "same groups as Leadline's roles.\n"
         "4. Every explore has an `access_filter` on `project_key` with that attribute; an "
         "explore added by hand needs one too, or it shows every project to everyone.\n"
         "5. The datagroup `" +
         std::string(kLookerDatagroup) +
         "` reads `SELECT max(refreshed_at) FROM leadline_analytics.refreshes`: Looker's "
         "cache is refreshed after each Leadline refresh, with no API call.\n";
}

}  // namespace

common::Status CheckLookerConnectionName(std::string_view name) {
  const bool shaped =
      !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-' || c == '.';
      });
  if (shaped) return common::Status::Ok();
  return common::Status::InvalidArgument("connection name '" + std::string(name.substr(0, 80)) +
                                         "': use 1 to 64 of a-z, A-Z, 0-9, '_', '-' and '.'");
}

common::Result<std::map<std::string, std::string>> LookmlProject(std::string_view connection) {
  LEADLINE_RETURN_IF_ERROR(CheckLookerConnectionName(connection));
  std::map<std::string, std::string> files;
  files["leadline.model.lkml"] = Model(connection);
  files["README.md"] = Readme(connection);
  for (const ViewSpec& spec : ViewSpecs()) {
    files["views/" + std::string(spec.table) + ".view.lkml"] = View(spec);
  }
  return files;
}

}  // namespace leadline::app
