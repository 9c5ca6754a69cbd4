// End-to-end tests of `leadline export lookml` and `export grafana` (docs/bi.md): the project
// parses with npm's lookml-parser and passes tests/lookml/check.mjs (every explore has an access
// filter on project_key with the user attribute leadline_projects; every reference resolves; names
// are unique); on PostgreSQL (as Postgres.LookmlCliTest.*) every view's dimensions and measures and
// every explore, as SQL, run against the real analytics schema as the role Looker connects with;
// regenerating writes the same bytes; the check fails on a project that breaks a rule. Grafana:
// the provisioning and dashboards have the structure Grafana reads, and on PostgreSQL every
// panel's and variable's SQL, its macros expanded as Grafana does, runs as the role Grafana
// connects with, and the overview's numbers equal /v1/metrics/dora's.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "bi_cli_fixture.h"

namespace leadline::testing {
namespace {

using nlohmann::json;

// Where the npm modules of `folder` (tests/lookml) are, or "" after skipping (or failing under
// CI, where scripts/test.sh installs them) when Node.js or the modules are missing.
std::string NodeCheck(const std::string& folder, const std::string& module) {
  const std::string dir = std::string(LEADLINE_SOURCE_DIR) + "/tests/" + folder;
  const bool node = RunCommand("command -v node >/dev/null").exit_code == 0;
  const bool installed = std::filesystem::exists(dir + "/node_modules/" + module + "/package.json");
  if (node && installed) return dir;
  const char* ci = std::getenv("CI");
  const std::string why = !node ? "Node.js is not installed"
                                : module + " is not installed: (cd tests/" + folder + " && npm ci)";
  if (ci != nullptr && std::string(ci) == "true") {
    ADD_FAILURE() << why;
  } else {
    GTEST_LOG_(INFO) << "SKIPPED: " << why;
  }
  return "";
}

std::string ReadAll(const std::filesystem::path& path) { return ReadWholeFile(path.string()); }

// `leadline ARGS` for the exports that read no store (and take no --store).
LeadlineRun Export(const TempDir& dir, const std::string& args) {
  const std::string err = dir.Child("export-stderr.txt");
  const auto run =
      RunCommand("timeout 120 " + LeadlineBinary() + " export " + args + " 2>" + ShellQuote(err));
  return {run.exit_code, run.output, ReadWholeFile(err)};
}

class LookmlCliTest : public AnalyticsDataTest {
 protected:
  // `node check.mjs DIR --project pa`: its exit code and its JSON.
  std::pair<int, json> Check(const std::string& checker_dir, const std::string& project_dir) {
    const auto run = RunCommand("node " + ShellQuote(checker_dir + "/check.mjs") + " " +
                                ShellQuote(project_dir) + " --project pa");
    return {run.exit_code, json::parse(run.output, nullptr, false)};
  }
};

TEST_F(LookmlCliTest, TheProjectParsesAndEveryExploreFiltersByProjectAndItsSqlRuns) {
  const std::string checker = NodeCheck("lookml", "lookml-parser");
  if (checker.empty()) GTEST_SKIP() << "no Node.js or lookml-parser";
  const std::string out = dir_.Child("lookml");
  const LeadlineRun run =
      Export(dir_, "lookml --out " + ShellQuote(out) + " --connection leadline_bi");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out,
            "Wrote a LookML project of 10 files to " + out + " (connection \"leadline_bi\").\n");
  const std::string model = ReadAll(out + "/leadline.model.lkml");
  EXPECT_NE(model.find("connection: \"leadline_bi\""), std::string::npos);
  EXPECT_NE(ReadAll(out + "/README.md").find("leadline_projects"), std::string::npos);

  const auto [code, checked] = Check(checker, out);
  ASSERT_TRUE(checked.is_object()) << "check.mjs printed no JSON";
  EXPECT_EQ(code, 0) << checked["errors"].dump(1);
  EXPECT_TRUE(checked["errors"].empty()) << checked["errors"].dump(1);
  // Two queries per view (dimensions, measures) and one per explore.
  ASSERT_EQ(checked["queries"].size(), 8u * 2 + 7) << checked.dump(1);

  // The same Leadline writes the same bytes.
  const std::string again = dir_.Child("lookml-again");
  ASSERT_EQ(
      Export(dir_, "lookml --out " + ShellQuote(again) + " --connection leadline_bi").exit_code, 0);
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(out)) {
    if (!entry.is_regular_file()) continue;
    const auto relative = std::filesystem::relative(entry.path(), out);
    EXPECT_EQ(ReadAll(entry.path()), ReadAll(std::filesystem::path(again) / relative)) << relative;
    ++files;
  }
  EXPECT_EQ(files, 10u);

  if (!OnPostgres()) return;  // the SQL is PostgreSQL's
  // Looker connects as a role `bi grant` made (README.md): every query runs as it, and sees
  // rows of every view.
  ASSERT_EQ(Leadline("bi grant --role looker --projects pa").exit_code, 0);
  auto looker = RawStore();
  ASSERT_NE(looker, nullptr);
  ASSERT_TRUE(looker->Exec("SET ROLE looker").ok());
  for (const json& query : checked["queries"]) {
    const std::string what = query["what"];
    auto stmt = looker->Prepare(query["sql"].get<std::string>());
    ASSERT_TRUE(stmt.ok()) << what << ": " << stmt.status().message() << "\n" << query["sql"];
    std::size_t rows = 0;
    for (;;) {
      auto row = stmt->Step();
      ASSERT_TRUE(row.ok()) << what << ": " << row.status().message();
      if (!*row) break;
      ++rows;
    }
    EXPECT_GT(rows, 0u) << what;
  }
  // An explore's rows, filtered as a person whose attribute is "pa", are pa's rows.
  for (const json& query : checked["queries"]) {
    if (query["what"] != "explore metrics_weekly, as a person whose leadline_projects is pa") {
      continue;
    }
    const auto counted = Number(*looker, query["sql"].get<std::string>());
    ASSERT_TRUE(counted.ok());
    EXPECT_EQ(std::to_string(*counted),
              Query("SELECT COUNT(*) FROM leadline_analytics.metrics_weekly WHERE "
                    "project_key = 'pa'"));
  }
}

TEST_F(LookmlCliTest, TheCheckFailsOnAMissingAccessFilterABadReferenceOrATwiceDeclaredExplore) {
  const std::string checker = NodeCheck("lookml", "lookml-parser");
  if (checker.empty()) GTEST_SKIP() << "no Node.js or lookml-parser";
  const std::string out = dir_.Child("lookml");
  ASSERT_EQ(Export(dir_, "lookml --out " + ShellQuote(out)).exit_code, 0);
  // Drop pull_requests' access filter, and misspell a reference of the weekly view.
  std::string model = ReadAll(out + "/leadline.model.lkml");
  const std::string filter =
      "  access_filter: {\n    field: pull_requests.project_key\n"
      "    user_attribute: leadline_projects\n  }\n";
  ASSERT_NE(model.find(filter), std::string::npos);
  model.erase(model.find(filter), filter.size());
  // And declare an explore twice (the parser would keep the last one silently).
  model += "\nexplore: incidents {\n}\n";
  std::ofstream(out + "/leadline.model.lkml", std::ios::trunc) << model;
  std::string view = ReadAll(out + "/views/metrics_weekly.view.lkml");
  ASSERT_NE(view.find("${incidents}"), std::string::npos);
  view.replace(view.find("${incidents}"), 12, "${incidentz}");
  std::ofstream(out + "/views/metrics_weekly.view.lkml", std::ios::trunc) << view;

  const auto [code, checked] = Check(checker, out);
  EXPECT_EQ(code, 1);
  const std::string errors = checked["errors"].dump();
  EXPECT_NE(errors.find("explore pull_requests has no access_filter"), std::string::npos) << errors;
  EXPECT_NE(errors.find("${metrics_weekly.incidentz} names no declared field"), std::string::npos)
      << errors;
  EXPECT_NE(errors.find("leadline.model.lkml: explore incidents is declared twice"),
            std::string::npos)
      << errors;
}

TEST_F(ServeCliTest, ExportLookmlRefusesBadInputClearly) {
  struct Case {
    std::string args, error;
  };
  for (const Case& bad : std::vector<Case>{
           {"--out " + dir_.Child("x") + " --connection 'a\"b'",
            "connection name 'a\"b': use 1 to 64 of"},
           {"--out " + dir_.Child("x") + " --connection ''", "connection name '': use 1 to 64"},
           {"--out /proc/leadline-lookml", "cannot make /proc/leadline-lookml"}}) {
    const LeadlineRun run = Export(dir_, "lookml " + bad.args);
    EXPECT_EQ(run.exit_code, 1) << bad.args;
    EXPECT_NE(run.err.find("leadline: error: " + bad.error), std::string::npos)
        << bad.args << ": " << run.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir_.Child("x")));
}

// A panel's SQL as Grafana's PostgreSQL data source sends it: $__timeFilter(c) as
// `c BETWEEN 'from' AND 'to'`, $__timeGroupAlias(c, 'N[hdw]') as the epoch floored to N units
// AS "time", $__timeFrom()/$__timeTo() as the times, and each $variable as its values, quoted and
// joined by commas. Whatever `$` is left is a failure of the caller's check.
std::string ExpandGrafana(std::string sql,
                          const std::map<std::string, std::vector<std::string>>& variables,
                          const std::string& from, const std::string& to) {
  sql = std::regex_replace(sql, std::regex(R"(\$__timeFilter\(([^)]+)\))"),
                           "$1 BETWEEN '" + from + "' AND '" + to + "'");
  std::smatch group;
  const std::regex group_alias(R"(\$__timeGroupAlias\(([^,]+),\s*'(\d+)([hdw])'\))");
  while (std::regex_search(sql, group, group_alias)) {
    const long unit = group[3] == "h" ? 3600 : group[3] == "d" ? 86400 : 604800;
    const std::string seconds = std::to_string(std::stol(group[2]) * unit);
    sql.replace(group.position(0), group.length(0),
                "floor(extract(epoch from " + group[1].str() + ")/" + seconds + ")*" + seconds +
                    " AS \"time\"");
  }
  sql = std::regex_replace(sql, std::regex(R"(\$__timeFrom\(\))"), "'" + from + "'");
  sql = std::regex_replace(sql, std::regex(R"(\$__timeTo\(\))"), "'" + to + "'");
  for (const auto& [name, values] : variables) {
    std::string list;
    for (const std::string& value : values) list += (list.empty() ? "'" : ",'") + value + "'";
    sql = std::regex_replace(sql, std::regex("\\$" + name + "\\b"), list);
  }
  return sql;
}

class GrafanaCliTest : public AnalyticsDataTest {
 protected:
  // The first column of every row of `sql`, as text ("" for NULL); fails the test on an error.
  std::vector<std::string> Rows(store::sql::Connection& db, const std::string& sql,
                                const std::string& what) {
    std::vector<std::string> rows;
    auto stmt = db.Prepare(sql);
    EXPECT_TRUE(stmt.ok()) << what << ": " << stmt.status().message() << "\n" << sql;
    if (!stmt.ok()) return rows;
    for (;;) {
      auto row = stmt->Step();
      EXPECT_TRUE(row.ok()) << what << ": " << row.status().message();
      if (!row.ok() || !*row) break;
      rows.push_back(stmt->ColumnIsNull(0) ? "" : std::string(stmt->ColumnText(0)));
    }
    return rows;
  }
};

TEST_F(GrafanaCliTest, TheFilesHaveGrafanasStructureAndEveryPanelNamesItsVariables) {
  const std::string out = dir_.Child("grafana");
  const LeadlineRun run = Export(
      dir_, "grafana --out " + ShellQuote(out) + " --url db.example.com:5432 --user grafana_pa");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "Wrote Grafana provisioning and 4 dashboards to " + out +
                         " (data source password from $LEADLINE_GRAFANA_PASSWORD).\n");
  const std::string datasource = ReadAll(out + "/provisioning/datasources/leadline.yaml");
  for (const std::string line :
       {"apiVersion: 1\n", "    type: \"grafana-postgresql-datasource\"\n",
        "    url: \"db.example.com:5432\"\n", "    user: \"grafana_pa\"\n",
        "      postgresVersion: 1500\n", "      password: \"$LEADLINE_GRAFANA_PASSWORD\"\n"}) {
    EXPECT_NE(datasource.find(line), std::string::npos) << line << " in\n" << datasource;
  }
  EXPECT_NE(ReadAll(out + "/provisioning/dashboards/leadline.yaml")
                .find("    type: \"file\"\n    folder: \"Leadline\"\n"),
            std::string::npos);

  std::set<std::string> uids, titles;
  std::size_t panels = 0;
  for (const auto& entry : std::filesystem::directory_iterator(out + "/dashboards")) {
    const json dashboard = json::parse(ReadAll(entry.path()), nullptr, false);
    ASSERT_TRUE(dashboard.is_object()) << entry.path();
    const std::string uid = dashboard["uid"];
    EXPECT_EQ(entry.path().filename().string(), uid + ".json");
    EXPECT_TRUE(uids.insert(uid).second) << uid;
    EXPECT_TRUE(titles.insert(dashboard["title"].get<std::string>()).second);
    std::set<std::string> declared;
    for (const json& variable : dashboard["templating"]["list"]) {
      declared.insert(variable["name"].get<std::string>());
      EXPECT_EQ(variable["datasource"]["uid"], "leadline");
      EXPECT_EQ(variable["type"], "query");
    }
    EXPECT_TRUE(declared.contains("project") && declared.contains("repository")) << uid;
    std::set<int> ids;
    for (const json& panel : dashboard["panels"]) {
      const std::string where = uid + " / " + panel["title"].get<std::string>();
      EXPECT_TRUE(ids.insert(panel["id"].get<int>()).second) << where;
      EXPECT_EQ(panel["datasource"]["uid"], "leadline") << where;
      const json& grid = panel["gridPos"];
      EXPECT_LE(grid["x"].get<int>() + grid["w"].get<int>(), 24) << where;
      ASSERT_EQ(panel["targets"].size(), 1u) << where;
      const json& target = panel["targets"][0];
      EXPECT_TRUE(target["format"] == "table" || target["format"] == "time_series") << where;
      const std::string sql = target["rawSql"];
      // Every panel is scoped by the project variable, and every `$` is a macro or a declared
      // variable.
      EXPECT_NE(sql.find("project_key IN ($project)"), std::string::npos) << where;
      for (std::size_t at = sql.find('$'); at != std::string::npos; at = sql.find('$', at + 1)) {
        const std::string rest = sql.substr(at + 1);
        const std::string name = rest.substr(
            0, rest.find_first_not_of("abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
        EXPECT_TRUE(name.starts_with("__time") || declared.contains(name))
            << where << ": $" << name;
      }
      if (target["format"] == "time_series") {
        EXPECT_NE(sql.find("$__timeGroupAlias("), std::string::npos) << where;
      }
      ++panels;
    }
  }
  EXPECT_EQ(uids, (std::set<std::string>{"leadline-dora-overview", "leadline-lead-time",
                                         "leadline-deployments", "leadline-incidents"}));
  EXPECT_GE(panels, 15u);
}

TEST_F(GrafanaCliTest, EveryPanelsSqlRunsAsTheGrafanaRoleAndTheOverviewEqualsTheApi) {
  if (!OnPostgres()) GTEST_SKIP() << "the panels' SQL is PostgreSQL's";
  const std::string out = dir_.Child("grafana");
  ASSERT_EQ(Export(dir_, "grafana --out " + ShellQuote(out)).exit_code, 0);
  ASSERT_EQ(Leadline("bi grant --role grafana --projects pa").exit_code, 0);
  auto grafana = RawStore();
  ASSERT_NE(grafana, nullptr);
  ASSERT_TRUE(grafana->Exec("SET ROLE grafana").ok());
  const std::string from = common::FormatRfc3339(kWholeHistorySince);
  const std::string to = common::FormatRfc3339(kWholeHistoryUntil - 1);

  std::map<std::string, std::string> overview;  // stat title -> its value
  std::size_t ran = 0;
  for (const auto& entry : std::filesystem::directory_iterator(out + "/dashboards")) {
    const json dashboard = json::parse(ReadAll(entry.path()));
    // The variables in order, each from its own query with the earlier ones' values, as Grafana
    // fills them with "All" selected.
    std::map<std::string, std::vector<std::string>> variables;
    for (const json& variable : dashboard["templating"]["list"]) {
      const std::string name = variable["name"];
      for (const auto& row :
           Rows(*grafana, ExpandGrafana(variable["query"], variables, from, to), name)) {
        variables[name].push_back(row);
      }
      EXPECT_FALSE(variables[name].empty()) << name;
    }
    EXPECT_EQ(variables["project"], std::vector<std::string>{"pa"}) << "the role sees pa only";
    EXPECT_EQ(variables["repository"], std::vector<std::string>{"acme/repo-1"});
    if (dashboard["uid"] == "leadline-lead-time") {
      EXPECT_EQ(variables["team"], std::vector<std::string>{"devs"});
    }
    for (const json& panel : dashboard["panels"]) {
      const std::string title = panel["title"];
      const std::string sql = ExpandGrafana(panel["targets"][0]["rawSql"], variables, from, to);
      ASSERT_EQ(sql.find('$'), std::string::npos) << title << ": " << sql;
      const auto rows = Rows(*grafana, sql, title);
      EXPECT_FALSE(rows.empty()) << title;
      if (dashboard["uid"] == "leadline-dora-overview" && panel["type"] == "stat" &&
          !rows.empty()) {
        overview[title] = rows[0];
      }
      ++ran;
    }
  }
  EXPECT_GE(ran, 15u);

  const auto [status, body] = Get("/v1/metrics/dora?project=pa&" + kWholeHistory, reader_all_);
  ASSERT_EQ(status, 200) << body.dump();
  const json& s = body["summary"];
  ASSERT_GT(s["deployments"].get<int>(), 0);
  EXPECT_EQ(overview["Deployments"], std::to_string(s["deployments"].get<int>()));
  const auto number = [&](const std::string& title) { return std::stod(overview.at(title)); };
  EXPECT_DOUBLE_EQ(number("Change fail rate"), s["change_fail_rate"].get<double>());
  EXPECT_DOUBLE_EQ(number("Lead time for changes (median)"), s["lead_time_median_s"].get<double>());
  ASSERT_FALSE(s["recovery_median_s"].is_null()) << "the double's history has recoveries";
  EXPECT_DOUBLE_EQ(number("Time to restore (median)"), s["recovery_median_s"].get<double>());
}

TEST_F(ServeCliTest, ExportGrafanaRefusesBadInputClearly) {
  struct Case {
    std::string args, error;
  };
  for (const Case& bad : std::vector<Case>{
           {"--url 'db\"\nuser: x'", "--url 'db\""},
           {"--user ''", "--user '': use 1 to 200 of"},
           {"--sslmode prefer", "--sslmode 'prefer': use disable, require, verify-ca or "},
           {"--database 'a b'", "--database 'a b'"}}) {
    const LeadlineRun run = Export(dir_, "grafana --out " + dir_.Child("g") + " " + bad.args);
    EXPECT_EQ(run.exit_code, 1) << bad.args;
    EXPECT_NE(run.err.find("leadline: error: " + bad.error), std::string::npos)
        << bad.args << ": " << run.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir_.Child("g")));
}

}  // namespace
}  // namespace leadline::testing
