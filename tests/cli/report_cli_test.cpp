// End-to-end tests of `leadline report` on small GitScript repositories: bad input is refused
// with exactly one `leadline: error:` line on stderr and leaves the store as it was; good runs
// are incremental and render JSON, CSV and the table.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "testing/git_script.h"

namespace {

namespace fs = std::filesystem;
using leadline::testing::CommandResult;
using leadline::testing::GitScript;
using leadline::testing::LeadlineBinary;
using leadline::testing::RunCommand;
using leadline::testing::ShellQuote;
using leadline::testing::TempDir;
using nlohmann::json;

constexpr char kErrorPrefix[] = "leadline: error: ";
// A fixed window, so that results do not depend on today's date: [Mar 04, Mar 11).
constexpr char kWindow[] = "--until 2024-03-11T00:00:00Z --window 7d";
constexpr int kTimeoutSeconds = 120;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

struct CliResult {
  int exit_code = 0;
  std::string out;
  std::string err;
};

// A temporary folder holding a small tagged repository, a store path, and the odd inputs the
// tests need. The repository, in time order:
//   c1 Mar 04 09:00, c2 Mar 04 13:00, v1.0 (annotated) Mar 05 09:00, c3 Mar 06 09:00,
//   v1.1 (annotated) Mar 07 09:00.
class Workspace {
 public:
  Workspace() : git_(dir_.Child("repo")) {
    git_.Commit("c1 initial", "2024-03-04T09:00:00Z");
    git_.Commit("c2 parser", "2024-03-04T13:00:00Z");
    git_.Tag("v1.0", "HEAD", "2024-03-05T09:00:00Z");
    git_.Commit("c3 lexer", "2024-03-06T09:00:00Z");
    git_.Tag("v1.1", "HEAD", "2024-03-07T09:00:00Z");
  }

  GitScript& git() { return git_; }
  std::string repo() const { return git_.path(); }
  std::string db() const { return dir_.Child("leadline.db"); }
  std::string Path(const std::string& name) const { return dir_.Child(name); }

  // Runs `leadline ARGS`; ARGS must be quoted for the shell already.
  CliResult Run(const std::string& args) const {
    const std::string err_file = dir_.Child("stderr.txt");
    const CommandResult run =
        RunCommand("timeout " + std::to_string(kTimeoutSeconds) + " " + LeadlineBinary() + " " +
                   args + " 2>" + ShellQuote(err_file));
    return {run.exit_code, run.output, ReadFile(err_file)};
  }

  // `leadline report --git REPO --db DB <kWindow> EXTRA`.
  CliResult Report(const std::string& extra = "", const std::string& db = "") const {
    return Run("report --git " + ShellQuote(repo()) + " --db " +
               ShellQuote(db.empty() ? this->db() : db) + " " + kWindow + " " + extra);
  }

  std::string PlainFolder() const {
    const std::string path = dir_.Child("plain");
    fs::create_directories(path);
    std::ofstream(path + "/notes.txt") << "not a repository\n";
    return path;
  }

  std::string EmptyRepository() const {
    const std::string path = dir_.Child("empty");
    EXPECT_EQ(RunCommand("git init -q " + ShellQuote(path)).exit_code, 0);
    return path;
  }

  // A clone of the repository that holds only its last two commits.
  std::string ShallowClone() const {
    const std::string path = dir_.Child("shallow");
    const CommandResult clone = RunCommand(
        "git clone -q --depth 2 " + ShellQuote("file://" + repo()) + " " + ShellQuote(path),
        /*capture_stderr=*/true);
    EXPECT_EQ(clone.exit_code, 0) << clone.output;
    return path;
  }

  std::string WriteFile(const std::string& name, const std::string& text) const {
    const std::string path = dir_.Child(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

 private:
  TempDir dir_;
  GitScript git_;
};

// Asserts the shape of every error: a non-zero exit code, nothing on stdout, and exactly one line
// on stderr that starts with "leadline: error: " and contains every one of `words`.
void ExpectOneErrorLine(const CliResult& run, const std::vector<std::string>& words) {
  EXPECT_NE(run.exit_code, 0);
  EXPECT_EQ(run.out, "");
  const std::vector<std::string> lines = Lines(run.err);
  ASSERT_EQ(lines.size(), 1u) << "stderr:\n" << run.err;
  EXPECT_TRUE(run.err.ends_with("\n")) << run.err;
  EXPECT_TRUE(lines[0].starts_with(kErrorPrefix)) << lines[0];
  for (const std::string& word : words) {
    EXPECT_NE(lines[0].find(word), std::string::npos) << "'" << word << "' not in: " << lines[0];
  }
}

// ----- Bad input --------------------------------------------------------------------------------

struct BadInput {
  std::string name;
  // The arguments after `report`, except --db.
  std::function<std::string(const Workspace&)> args;
  // Words the error line must contain.
  std::vector<std::string> words;
};

// Names the case in gtest's messages instead of dumping its bytes.
void PrintTo(const BadInput& input, std::ostream* out) { *out << input.name; }

std::vector<BadInput> BadInputs() {
  auto repo = [](const Workspace& w) { return "--git " + ShellQuote(w.repo()) + " " + kWindow; };
  return {
      {"PathDoesNotExist",
       [](const Workspace& w) { return "--git " + ShellQuote(w.Path("no-such-folder")); },
       {"no-such-folder", "does not exist"}},
      {"FolderIsNotAGitRepository",
       [](const Workspace& w) { return "--git " + ShellQuote(w.PlainFolder()); },
       {"plain", "is not a git repository"}},
      {"RepositoryHasNoCommits",
       [](const Workspace& w) { return "--git " + ShellQuote(w.EmptyRepository()); },
       {"empty", "no commits"}},
      {"ShallowClone",
       [](const Workspace& w) { return "--git " + ShellQuote(w.ShallowClone()); },
       {"shallow", "--unshallow"}},
      {"DeployTagsMatchNoTag",
       [repo](const Workspace& w) { return repo(w) + " --deploy-tags '^release-'"; },
       {"no tag matches", "^release-", "v1.0", "v1.1"}},
      {"DeployTagsIsNotARegex",
       [repo](const Workspace& w) { return repo(w) + " --deploy-tags '('"; },
       {"--deploy-tags", "'('", "not a valid regular expression"}},
      {"DeployLogLineIsMalformed",
       [repo](const Workspace& w) {
         const std::string log = w.WriteFile(
             "bad-line.log",
             "# deployments\nabcdef1 2024-03-05T09:00:00Z\nabcdef1 not-a-time success\n");
         return repo(w) + " --deploy-log " + ShellQuote(log);
       },
       {"bad-line.log", "line 3", "not-a-time"}},
      {"DeployLogNamesUnknownCommit",
       [repo](const Workspace& w) {
         const std::string log =
             w.WriteFile("unknown.log", "# deployments\ndeadbeefdeadbeef 2024-03-05T09:00:00Z\n");
         return repo(w) + " --deploy-log " + ShellQuote(log);
       },
       {"unknown.log", "line 2", "deadbeefdeadbeef", "not in the repository"}},
      {"DeployTagsWithDeployLog",
       [repo](const Workspace& w) {
         return repo(w) + " --deploy-tags '^v' --deploy-log " +
                ShellQuote(w.WriteFile("any.log", ""));
       },
       {"--deploy-tags", "--deploy-log"}},
      {"WindowIsNotADuration",
       [](const Workspace& w) { return "--git " + ShellQuote(w.repo()) + " --window abc"; },
       {"'abc'", "duration"}},
      {"FormatXmlIsRejected",
       [repo](const Workspace& w) { return repo(w) + " --format xml"; },
       {"--format", "xml"}},
      {"UntilIsNotATime",
       [](const Workspace& w) { return "--git " + ShellQuote(w.repo()) + " --until yesterday"; },
       {"'yesterday'", "RFC 3339"}},
      {"SinceNotBeforeUntil",
       [](const Workspace& w) {
         return "--git " + ShellQuote(w.repo()) +
                " --since 2024-03-11T00:00:00Z --until 2024-03-01T00:00:00Z";
       },
       {"--since", "--until"}},
  };
}

class BadInputTest : public ::testing::TestWithParam<BadInput> {
 protected:
  void SetUp() override {
    good_ = workspace_.Report("--format json");
    ASSERT_EQ(good_.exit_code, 0) << good_.err;
    stored_ = ReadFile(workspace_.db());
    ASSERT_FALSE(stored_.empty());
  }

  CliResult RunBad(const std::string& db) const {
    return workspace_.Run("report " + GetParam().args(workspace_) + " --db " + ShellQuote(db));
  }

  Workspace workspace_;
  CliResult good_;
  std::string stored_;  // the store's bytes after the good run
};

TEST_P(BadInputTest, FailsWithOneErrorLine) {
  ExpectOneErrorLine(RunBad(workspace_.db()), GetParam().words);
}

TEST_P(BadInputTest, LeavesExistingStoreUnchanged) {
  ASSERT_NE(RunBad(workspace_.db()).exit_code, 0);
  EXPECT_TRUE(ReadFile(workspace_.db()) == stored_) << "the bad run changed the store's bytes";
  const CliResult again = workspace_.Report("--format json");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, good_.out) << "a good run after the bad one reports something else";
}

// Bad input is found before the store is opened, so no store file appears.
TEST_P(BadInputTest, CreatesNoStore) {
  const std::string fresh = workspace_.Path("fresh.db");
  ASSERT_NE(RunBad(fresh).exit_code, 0);
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    EXPECT_FALSE(fs::exists(fresh + suffix)) << "the bad run created " << fresh + suffix;
  }
}

std::string BadInputName(const ::testing::TestParamInfo<BadInput>& param) {
  return param.param.name;
}

INSTANTIATE_TEST_SUITE_P(BadInputs, BadInputTest, ::testing::ValuesIn(BadInputs()), BadInputName);

// ----- Good runs --------------------------------------------------------------------------------

class ReportCliTest : public ::testing::Test {
 protected:
  Workspace workspace_;
};

TEST_F(ReportCliTest, SecondRunAddsOnlyTheNewDeployment) {
  const CliResult first = workspace_.Report("--format json");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const json before = json::parse(first.out);
  ASSERT_EQ(before["deployments"].size(), 2u);

  workspace_.git().Commit("c4 resolver", "2024-03-08T09:00:00Z");
  workspace_.git().Commit("c5 printer", "2024-03-09T09:00:00Z");
  workspace_.git().Tag("v1.2", "HEAD", "2024-03-10T09:00:00Z");
  const CliResult second = workspace_.Report("--format json");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const json after = json::parse(second.out);

  ASSERT_EQ(after["deployments"].size(), 3u);
  EXPECT_EQ(after["deployments"][0], before["deployments"][0]);
  EXPECT_EQ(after["deployments"][1], before["deployments"][1]);
  const json& added = after["deployments"][2];
  EXPECT_EQ(added["ref"], "v1.2");
  EXPECT_EQ(added["sha"], workspace_.git().Sha("v1.2"));
  EXPECT_EQ(added["change_count"], 2);  // c4 c5
  EXPECT_EQ(added["lead_time_sample"], 2);
  EXPECT_EQ(added["lead_time_median_s"], 129600.0);  // median of 2d and 1d
  EXPECT_EQ(added["first_deployment_lookback"], false);
  EXPECT_EQ(after["summary"]["deployments"], 3);
}

TEST_F(ReportCliTest, UnchangedRerunGivesByteIdenticalJson) {
  const CliResult first = workspace_.Report("--format json");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const CliResult second = workspace_.Report("--format json");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, first.out);
}

TEST_F(ReportCliTest, IncrementalRunMatchesRunIntoFreshStore) {
  ASSERT_EQ(workspace_.Report("--format json").exit_code, 0);
  workspace_.git().Commit("c4 resolver", "2024-03-08T09:00:00Z");
  workspace_.git().Tag("v1.2", "HEAD", "2024-03-10T09:00:00Z");
  const CliResult incremental = workspace_.Report("--format json");
  ASSERT_EQ(incremental.exit_code, 0) << incremental.err;
  const CliResult fresh = workspace_.Report("--format json", workspace_.Path("fresh.db"));
  ASSERT_EQ(fresh.exit_code, 0) << fresh.err;
  EXPECT_EQ(incremental.out, fresh.out);
}

TEST_F(ReportCliTest, CsvHasHeaderAndOneRowPerDeployment) {
  const CliResult run = workspace_.Report("--format csv");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::vector<std::string> lines = Lines(run.out);
  ASSERT_EQ(lines.size(), 3u) << run.out;
  EXPECT_EQ(lines[0],
            "ref,sha,finished_at,status,change_count,lead_time_sample,lead_time_median_s,failed,"
            "failure_reasons,restored_by,recovery_s,rework");
  EXPECT_EQ(lines[1], "v1.0," + workspace_.git().Sha("v1.0") +
                          ",2024-03-05T09:00:00Z,success,2,2,79200,false,,,,false");
  EXPECT_EQ(lines[2], "v1.1," + workspace_.git().Sha("v1.1") +
                          ",2024-03-07T09:00:00Z,success,1,1,86400,false,,,,false");
}

// The line of the table whose first column is `metric`, or "" when there is none.
std::string TableRow(const std::string& table, const std::string& metric) {
  for (const std::string& line : Lines(table)) {
    if (line.starts_with(metric + "  ")) return line;
  }
  return "";
}

TEST_F(ReportCliTest, TableShowsEveryMetricWithItsLevel) {
  const CliResult run = workspace_.Report("--format table");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("benchmark levels 2023"), std::string::npos) << run.out;
  EXPECT_TRUE(TableRow(run.out, "Metric").ends_with("Level")) << run.out;
  // 2 deployments in the week: High. Lead times 1d, 20h, 1d: median 1 day, not below it: High.
  // No failures: Elite; nothing to recover from: no level.
  EXPECT_TRUE(TableRow(run.out, "Deployment frequency").ends_with("High")) << run.out;
  EXPECT_TRUE(TableRow(run.out, "Lead time for changes").ends_with("High")) << run.out;
  EXPECT_TRUE(TableRow(run.out, "Change fail rate").ends_with("Elite")) << run.out;
  EXPECT_TRUE(TableRow(run.out, "Failed deployment recovery").ends_with("-")) << run.out;
  EXPECT_NE(TableRow(run.out, "Rework rate"), "") << run.out;
}

TEST_F(ReportCliTest, UsageErrorsExitWithTwoAndHelpWithZero) {
  EXPECT_EQ(workspace_.Run("").exit_code, 2);  // no subcommand
  EXPECT_EQ(workspace_.Report("--format xml").exit_code, 2);
  EXPECT_EQ(workspace_.Run("report --help").exit_code, 0);
  const CliResult version = workspace_.Run("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_TRUE(version.out.starts_with("leadline ")) << version.out;
}

TEST_F(ReportCliTest, TableListsTheEvidenceOfEachFailure) {
  // A revert of c3 (shipped by v1.1) shipped by v1.2: v1.1 failed, restored 1 day later.
  workspace_.git().Revert("HEAD", "2024-03-08T09:00:00Z");
  workspace_.git().Tag("v1.2", "HEAD", "2024-03-08T10:00:00Z");
  const CliResult run = workspace_.Report();
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("v1.1  2024-03-07T09:00:00Z  restored by v1.2 after 1d 1h"),
            std::string::npos)
      << run.out;
  const std::string revert = workspace_.git().Sha("HEAD").substr(0, 12);
  const std::string reverted = workspace_.git().Sha("v1.1").substr(0, 12);
  EXPECT_NE(run.out.find("reverted: " + revert + " reverts " + reverted), std::string::npos)
      << run.out;
}

TEST_F(ReportCliTest, TableIsTheDefaultFormat) {
  const CliResult table = workspace_.Report("--format table");
  const CliResult plain = workspace_.Report();
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(plain.out, table.out);
}

TEST_F(ReportCliTest, RerunGraceForgivesAFailureReRunGreen) {
  // v1.1's commit fails to deploy at 09:00 and is re-run green at 09:10.
  const std::string log = workspace_.Path("deploys.log");
  const std::string sha = workspace_.git().Sha("v1.1");
  std::ofstream(log) << sha << " 2024-03-07T09:00:00Z failure\n"
                     << sha << " 2024-03-07T09:10:00Z success\n";
  const std::string args = "--format json --deploy-log " + ShellQuote(log);
  const CliResult strict = workspace_.Report(args);
  ASSERT_EQ(strict.exit_code, 0) << strict.err;
  EXPECT_EQ(json::parse(strict.out)["summary"]["failed_deployments"], 1);
  const CliResult forgiving = workspace_.Report(args + " --rerun-grace 30m");
  ASSERT_EQ(forgiving.exit_code, 0) << forgiving.err;
  EXPECT_EQ(json::parse(forgiving.out)["summary"]["failed_deployments"], 0);
  EXPECT_EQ(json::parse(forgiving.out)["summary"]["deployment_attempts"], 2);
  const CliResult bad = workspace_.Report(args + " --rerun-grace soon");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("--rerun-grace"), std::string::npos) << bad.err;
}

TEST_F(ReportCliTest, JsonListsDeploymentsInTimeOrder) {
  // Tag names sort differently from their times: 1.10 < 1.9 < v2.0 by name.
  GitScript git(workspace_.Path("ordered"));
  git.Commit("c1 initial", "2024-03-04T09:00:00Z");
  git.Tag("1.9", "HEAD", "2024-03-05T09:00:00Z");
  git.Commit("c2 search", "2024-03-06T09:00:00Z");
  git.Tag("v2.0", "HEAD");  // lightweight: dated by the commit, Mar 06 09:00
  git.Commit("c3 ranking", "2024-03-06T10:00:00Z");
  git.Tag("1.10", "HEAD", "2024-03-07T09:00:00Z");
  const CliResult run =
      workspace_.Run("report --git " + ShellQuote(git.path()) + " --db " +
                     ShellQuote(workspace_.db()) + " " + kWindow + " --format json");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const json deployments = json::parse(run.out)["deployments"];

  std::vector<std::string> refs;
  for (const json& d : deployments) refs.push_back(d["ref"]);
  EXPECT_EQ(refs, (std::vector<std::string>{"1.9", "v2.0", "1.10"}));
  for (std::size_t i = 1; i < deployments.size(); ++i) {
    EXPECT_LE(deployments[i - 1]["finished_at"].get<std::string>(),
              deployments[i]["finished_at"].get<std::string>());
  }
}

TEST_F(ReportCliTest, ImportedIncidentsFailTheDeploymentBeforeThem) {
  // A file with mistakes imports nothing and names each one.
  const std::string bad = workspace_.Path("bad-incidents.json");
  std::ofstream(bad) << R"([{"id": "INC-1", "service": "repo", "severity": "P1",
    "started_at": "2024-03-07T10:00:00Z"}, {"id": "INC-2", "started_at": "soon"}])";
  const CliResult rejected = workspace_.Run("incidents import " + ShellQuote(bad) + " --db " +
                                            ShellQuote(workspace_.db()));
  EXPECT_EQ(rejected.exit_code, 1);
  EXPECT_NE(rejected.err.find("[1].severity: is required"), std::string::npos) << rejected.err;
  EXPECT_NE(rejected.err.find("[1].started_at: must be an RFC 3339 time"), std::string::npos);
  EXPECT_NE(workspace_.Run("incidents list --db " + ShellQuote(workspace_.db()))
                .out.find("No incidents stored"),
            std::string::npos);

  // INC-1 (P1) on the repository's service begins an hour after v1.1 and is resolved 1.5 h
  // later; INC-3 (P4) does not count.
  const std::string good = workspace_.Path("incidents.json");
  std::ofstream(good) << R"({"incidents": [
    {"id": "INC-1", "service": "repo", "severity": "P1", "title": "Lexer crash",
     "started_at": "2024-03-07T10:00:00Z", "resolved_at": "2024-03-07T11:30:00Z"},
    {"id": "INC-3", "service": "repo", "severity": "P4", "started_at": "2024-03-05T10:00:00Z"}]})";
  const CliResult imported = workspace_.Run("incidents import " + ShellQuote(good) + " --db " +
                                            ShellQuote(workspace_.db()));
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("Imported 2 incidents"), std::string::npos) << imported.out;
  const CliResult listed =
      workspace_.Run("incidents list --format json --db " + ShellQuote(workspace_.db()));
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(json::parse(listed.out).size(), 2u);

  const CliResult table = workspace_.Report();
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("v1.1  2024-03-07T09:00:00Z  restored by the resolution of INC-1"),
            std::string::npos)
      << table.out;
  EXPECT_NE(table.out.find("incident: INC-1 (linked by window)"), std::string::npos);
  const json report = json::parse(workspace_.Report("--format json").out);
  EXPECT_EQ(report["summary"]["failed_deployments"], 1);
  EXPECT_EQ(report["summary"]["incidents"], 1);             // INC-3's severity does not count
  EXPECT_EQ(report["deployments"][1]["recovery_s"], 9000);  // 09:00 -> 11:30
}

TEST_F(ReportCliTest, IncidentFilesFollowThePushRulesWithoutItsCountBound) {
  const std::string file = workspace_.Path("incidents.json");
  const auto import = [&](const std::string& text) {
    std::ofstream(file) << text;
    return workspace_.Run("incidents import " + ShellQuote(file) + " --db " +
                          ShellQuote(workspace_.db()));
  };
  const CliResult empty = import("[]");
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_NE(empty.err.find("has mistakes; nothing was imported:\nthe document: has no incidents"),
            std::string::npos)
      << empty.err;
  const CliResult control = import(
      R"({"id": "INC-\u0007", "service": "repo", "severity": "P1",
          "started_at": "2024-03-07T10:00:00Z"})");
  EXPECT_EQ(control.exit_code, 1);
  EXPECT_NE(control.err.find("id: must not contain control characters"), std::string::npos)
      << control.err;
  // More than one request may carry: a file is the operator's own.
  std::string many = "[";
  for (int i = 0; i < 1001; ++i) {
    many += std::string(i == 0 ? "" : ",") + R"({"id": "INC-)" + std::to_string(i) +
            R"(", "service": "repo", "severity": "P4", "started_at": "2024-03-07T10:00:00Z"})";
  }
  const CliResult imported = import(many + "]");
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("Imported 1001 incidents"), std::string::npos) << imported.out;
}

}  // namespace
