// End-to-end tests of `leadline export lookml` (docs/bi.md): the project parses with npm's
// lookml-parser and passes tests/lookml/check.mjs (every explore has an access filter on
// project_key with the user attribute leadline_projects; every reference resolves; names are
// unique); on PostgreSQL (as Postgres.LookmlCliTest.*) every view's dimensions and measures and
// every explore, as SQL, run against the real analytics schema as the role Looker connects with;
// regenerating writes the same bytes; the check fails on a project that breaks a rule.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

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
            "Wrote a LookML project of 9 files to " + out + " (connection \"leadline_bi\").\n");
  const std::string model = ReadAll(out + "/leadline.model.lkml");
  EXPECT_NE(model.find("connection: \"leadline_bi\""), std::string::npos);
  EXPECT_NE(ReadAll(out + "/README.md").find("leadline_projects"), std::string::npos);

  const auto [code, checked] = Check(checker, out);
  ASSERT_TRUE(checked.is_object()) << "check.mjs printed no JSON";
  EXPECT_EQ(code, 0) << checked["errors"].dump(1);
  EXPECT_TRUE(checked["errors"].empty()) << checked["errors"].dump(1);
  // Two queries per view (dimensions, measures) and one per explore.
  ASSERT_EQ(checked["queries"].size(), 7u * 2 + 6) << checked.dump(1);

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
  EXPECT_EQ(files, 9u);

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

TEST_F(LookmlCliTest, TheCheckFailsOnAnExploreWithoutAccessFilterOrABadReference) {
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

}  // namespace
}  // namespace leadline::testing
