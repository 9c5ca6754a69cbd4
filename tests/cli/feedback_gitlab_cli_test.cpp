// End-to-end test of feedback on GitLab merge requests: with feedback on, merge requests a sync
// finds get one note each from `leadline serve`, and a deployment pushed with the merge commit of
// one of them edits that note in place, never a second one.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "bitbucket_cli_fixture.h"
#include "common/time.h"
#include "gitlab_double/gitlab_double.h"
#include "testing/server_process.h"

namespace {

using leadline::testing::GitLabDouble;
using leadline::testing::GitLabDoubleConfig;
using leadline::testing::LeadlineRun;
using leadline::testing::ServerProcess;
using leadline::testing::ShellQuote;

constexpr const char* kQuickSync = "LEADLINE_FEEDBACK_DEBOUNCE=1";

GitLabDoubleConfig Config() {
  GitLabDoubleConfig config;
  config.merge_requests_per_project = 30;
  config.pipelines_per_project = 2;
  config.deployments_per_project = 2;
  // Ending a few hours ago: the merge requests added (31 to 33) are recent, events.
  config.history_start = leadline::common::NowUnixSeconds() - 36 * leadline::common::kHour;
  return config;
}

class GitLabFeedbackTest : public leadline::testing::BitbucketCliTest {
 protected:
  GitLabFeedbackTest() : gitlab_(Config()) {
    std::ofstream(dir_.Child("gitlab-token")) << "glpat-personal-token\n";
  }
  bool WaitFor(const std::function<bool()>& done) {
    for (int i = 0; i < 600 && !done(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return done();
  }
  GitLabDouble gitlab_;
};

TEST_F(GitLabFeedbackTest, OneNotePerMergeRequestEditedWhenItsMergeCommitIsDeployed) {
  ASSERT_EQ(Leadline("connect gitlab --url " + ShellQuote(gitlab_.url()) + " --token-file " +
                     ShellQuote(dir_.Child("gitlab-token")))
                .exit_code,
            0);
  ASSERT_EQ(Leadline("repos list").exit_code, 0);
  ASSERT_EQ(Leadline("repos select acme/web").exit_code, 0);
  ASSERT_EQ(Leadline("sync").exit_code, 0);
  ASSERT_EQ(Leadline("feedback enable --repos acme/web").exit_code, 0);
  gitlab_.Advance(3);  // merge requests 31 to 33
  ASSERT_EQ(Leadline("sync", kQuickSync).exit_code, 0);
  // The three new ones, and older ones the new deployments released.
  EXPECT_EQ(Query("SELECT COUNT(*) FROM feedback_outbox WHERE reason = 'opened'"), "3");
  ServerProcess server(db(), dir_.Child("serve.log"),
                       "--feedback-debounce 1s --feedback-retry 1s --reconcile-every off");
  ASSERT_TRUE(WaitFor([&] { return Query("SELECT COUNT(*) FROM feedback_outbox") == "0"; }));
  for (int iid = 31; iid <= 33; ++iid) {
    ASSERT_EQ(gitlab_.notes("acme/web", iid).size(), 1u) << iid;
    EXPECT_TRUE(gitlab_.notes("acme/web", iid)[0].starts_with("<!-- leadline -->")) << iid;
  }

  const std::string merged = Query(
      "SELECT number FROM pull_requests WHERE state = 'MERGED' AND number > 30 AND merge_commit "
      "IS NOT NULL ORDER BY number LIMIT 1");
  ASSERT_FALSE(merged.empty());
  const std::string commit =
      Query("SELECT merge_commit FROM pull_requests WHERE number = " + merged);
  const std::string file = dir_.Child("deployment.json");
  std::ofstream(file) << R"({"id": "deploy-1", "repository": "acme/web", "environment": )"
                      << R"("production", "commit": ")" << commit
                      << R"(", "status": "success", "finished_at": ")"
                      << leadline::common::FormatRfc3339(leadline::common::NowUnixSeconds())
                      << "\"}";
  const LeadlineRun imported = Leadline("deployments import " + ShellQuote(file), kQuickSync);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const int iid = std::stoi(merged);
  ASSERT_TRUE(WaitFor([&] { return gitlab_.note_edits("acme/web", iid) == 1; }));
  EXPECT_EQ(gitlab_.notes("acme/web", iid).size(), 1u);
}

}  // namespace
