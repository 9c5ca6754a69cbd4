// Golden end-to-end tests of `leadline report --format json`. Every folder of tests/golden is one
// case:
//   repo.sh        `bash repo.sh DIR` builds the git repository in DIR with fixed dates; its
//                  opening comment works out every expected number by hand;
//   args           one line of extra CLI arguments; `@case/FILE` names a file of the case folder;
//   expected.json  a subset of the JSON output: every key present must match, arrays must have
//                  the same length, numbers match within 1e-6, keys starting with '_' are notes.
// Besides the subset comparison, each deployment's change_count is checked against
// `git rev-list --count SHA ^PREV` on the real repository, PREV being the previous successful
// deployment of the list, so the attribution rule is checked against git itself.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "testing/git_script.h"
#include "testing/json_subset.h"

namespace {

namespace fs = std::filesystem;
using leadline::testing::CommandResult;
using leadline::testing::LeadlineBinary;
using leadline::testing::RunCommand;
using leadline::testing::ShellQuote;
using leadline::testing::TempDir;
using nlohmann::json;

constexpr char kCaseMarker[] = "@case/";

fs::path GoldenRoot() { return fs::path(LEADLINE_SOURCE_DIR) / "tests" / "golden"; }

std::vector<std::string> GoldenCases() {
  std::vector<std::string> cases;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(GoldenRoot(), ec)) {
    // Cases built from events rather than a git repository live in events/ (events_test.cpp).
    if (entry.is_directory() && fs::exists(entry.path() / "repo.sh")) {
      cases.push_back(entry.path().filename().string());
    }
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The words of the case's `args` file, shell-quoted, with `@case/` resolved to the case folder.
std::string CaseArguments(const fs::path& case_dir) {
  std::istringstream words(ReadFile(case_dir / "args"));
  std::string out, word;
  while (words >> word) {
    if (word.starts_with(kCaseMarker)) {
      word = (case_dir / word.substr(sizeof(kCaseMarker) - 1)).string();
    }
    out += " " + ShellQuote(word);
  }
  return out;
}

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

class GoldenTest : public ::testing::TestWithParam<std::string> {
 protected:
  fs::path CaseDir() const { return GoldenRoot() / GetParam(); }

  // Runs the case's repo.sh into scratch/repo; returns the repository's path.
  std::string BuildRepository() {
    const std::string repo = scratch_.Child("repo");
    const CommandResult built =
        RunCommand("bash " + ShellQuote((CaseDir() / "repo.sh").string()) + " " + ShellQuote(repo),
                   /*capture_stderr=*/true);
    EXPECT_EQ(built.exit_code, 0) << "repo.sh failed:\n" << built.output;
    return repo;
  }

  // `leadline report --format json` with the case's args, into a fresh store. A hanging binary
  // fails the test (exit code 124) instead of blocking the suite.
  CommandResult RunReport(const std::string& repo) {
    const std::string stderr_file = scratch_.Child("stderr.txt");
    CommandResult run = RunCommand(
        "timeout " + std::to_string(kTimeoutSeconds) + " " + LeadlineBinary() + " report --git " +
        ShellQuote(repo) + " --db " + ShellQuote(scratch_.Child("leadline.db")) + " --format json" +
        CaseArguments(CaseDir()) + " 2>" + ShellQuote(stderr_file));
    EXPECT_EQ(run.exit_code, 0) << "leadline failed (124: timed out): " << ReadFile(stderr_file);
    return run;
  }

  static constexpr int kTimeoutSeconds = 120;
  TempDir scratch_;
};

TEST_P(GoldenTest, ReportMatchesExpectedJson) {
  const fs::path case_dir = CaseDir();
  ASSERT_TRUE(fs::exists(case_dir / "repo.sh")) << case_dir << " has no repo.sh";
  ASSERT_TRUE(fs::exists(case_dir / "args")) << case_dir << " has no args";
  ASSERT_TRUE(fs::exists(case_dir / "expected.json")) << case_dir << " has no expected.json";
  const json expected = json::parse(ReadFile(case_dir / "expected.json"), nullptr, false);
  ASSERT_FALSE(expected.is_discarded()) << case_dir / "expected.json"
                                        << " is not valid JSON";

  const std::string repo = BuildRepository();
  ASSERT_FALSE(HasFailure());
  const CommandResult run = RunReport(repo);
  ASSERT_FALSE(HasFailure());
  const json actual = json::parse(run.output, nullptr, false);
  ASSERT_FALSE(actual.is_discarded()) << "the output is not JSON:\n" << run.output;

  const std::vector<std::string> errors = leadline::testing::SubsetDifferences(expected, actual);
  std::string report;
  for (const std::string& error : errors) report += "  " + error + "\n";
  EXPECT_TRUE(errors.empty()) << "differences from " << (case_dir / "expected.json").string()
                              << ":\n"
                              << report << "actual output:\n"
                              << run.output;
}

TEST_P(GoldenTest, ChangeCountsAgreeWithGitRevList) {
  const std::string repo = BuildRepository();
  ASSERT_FALSE(HasFailure());
  const CommandResult run = RunReport(repo);
  ASSERT_FALSE(HasFailure());
  const json deployments = json::parse(run.output)["deployments"];

  // The first listed deployment is skipped: its previous one may lie outside the window, and the
  // first deployment in history has no previous one (it is cut at the lookback instead).
  for (std::size_t i = 1; i < deployments.size(); ++i) {
    std::string previous;
    for (std::size_t j = i; j-- > 0;) {
      if (deployments[j]["status"] == "success") {
        previous = deployments[j]["sha"];
        break;
      }
    }
    if (previous.empty()) continue;
    const std::string sha = deployments[i]["sha"];
    const CommandResult count =
        RunCommand("git -C " + ShellQuote(repo) + " rev-list --count " + sha + " ^" + previous);
    ASSERT_EQ(count.exit_code, 0);
    EXPECT_EQ(deployments[i]["change_count"].dump(), Trim(count.output))
        << "deployments[" << i << "] (" << deployments[i]["ref"].get<std::string>() << " " << sha
        << "): change_count differs from git rev-list --count " << sha << " ^" << previous;
  }
}

// gtest names allow only letters, digits and '_'.
std::string CaseTestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenTest, ::testing::ValuesIn(GoldenCases()), CaseTestName);

TEST(GoldenCasesTest, FolderHoldsTheCases) {
  EXPECT_GE(GoldenCases().size(), 8u) << "golden cases are read from " << GoldenRoot();
}

}  // namespace
