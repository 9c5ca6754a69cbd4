#include "app/git_report.h"

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_db.h"
#include "testing/git_script.h"

namespace leadline::app {
namespace {

using leadline::testing::GitScript;
using leadline::testing::TempDir;

// Credited and uncredited rows of deployment_changes.
std::pair<std::int64_t, std::int64_t> StoredChanges(const config::Paths& paths) {
  auto db = store::sqlite::Database::Open(paths.store);
  EXPECT_TRUE(db.ok());
  auto stmt = (*db)->Prepare("SELECT SUM(credited), SUM(1 - credited) FROM deployment_changes");
  EXPECT_TRUE(stmt.ok() && *stmt->Step());
  return {stmt->ColumnInt(0), stmt->ColumnInt(1)};
}

TEST(GitReport, StoredChangesFollowTheLookback) {
  TempDir dir;
  GitScript git(dir.Child("repo"));
  git.Commit("old", "2024-01-01T00:00:00Z");
  git.Commit("recent", "2024-03-30T00:00:00Z");
  git.Tag("v1.0", "HEAD", "2024-04-01T00:00:00Z");

  GitReportRequest request;
  request.git_path = git.path();
  request.paths = config::PathsBeside(dir.Child("leadline.db"));
  request.deployments.tag_pattern = "^v";
  request.until = *common::ParseRfc3339("2024-05-01T00:00:00Z");

  // 90 days before v1.0 reaches back to 2024-01-02: "old" is shipped but not credited.
  ASSERT_TRUE(RunGitReport(request).ok());
  EXPECT_EQ(StoredChanges(request.paths), std::make_pair(std::int64_t{1}, std::int64_t{1}));

  // Nothing in the repository changed, but a longer lookback credits both commits.
  request.analysis.first_lookback = 120 * common::kDay;
  auto report = RunGitReport(request);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->sync.changed());
  EXPECT_EQ(StoredChanges(request.paths), std::make_pair(std::int64_t{2}, std::int64_t{0}));
}

}  // namespace
}  // namespace leadline::app
