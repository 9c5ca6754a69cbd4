// End-to-end tests of `leadline feedback preview|enable|disable|status` over a repository synced
// from the Bitbucket double: a merged pull request's comment as it would be posted, a bot's gets
// nothing, and an unknown repository or number is a clear error; feedback turned on and off by
// pattern, kept in the store, and shown by status. Nothing is posted: the double sees no write.
#include <gtest/gtest.h>

#include <string>

#include "bitbucket_cli_fixture.h"

namespace {

using leadline::testing::LeadlineRun;

class FeedbackCliTest : public leadline::testing::BitbucketCliTest {
 protected:
  void SetUp() override {
    ConnectAndSelect(ConnectCloud(), "acme/repo-1");
    ASSERT_EQ(Leadline("sync").exit_code, 0);
  }
};

TEST_F(FeedbackCliTest, PreviewPrintsTheCommentAMergedPullRequestWouldGet) {
  const std::string number = Query(
      "SELECT MIN(number) FROM pull_requests WHERE state = 'MERGED' AND author_name NOT "
      "LIKE '%bot%'");
  ASSERT_FALSE(number.empty());
  const LeadlineRun run = Leadline("feedback preview acme/repo-1 " + number +
                                   " --dashboard-url https://leadline.example.com/ --fields");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(run.out.starts_with("<!-- leadline -->\n**Leadline** · ")) << run.out;
  EXPECT_NE(run.out.find("| | this pull request | repository median, 90 days |"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("| review | "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("[Open in Leadline](https://leadline.example.com/?repo=acme/repo-1#/)"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("Code Insights fields:\n  Status"), std::string::npos) << run.out;
}

TEST_F(FeedbackCliTest, UnknownRepositoriesAndPullRequestsAreClearErrors) {
  LeadlineRun run = Leadline("feedback preview acme/nope 1");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("no selected repository 'acme/nope'"), std::string::npos) << run.err;
  run = Leadline("feedback preview acme/repo-1 99999");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("no pull request #99999 in acme/repo-1"), std::string::npos) << run.err;
  run = Leadline("feedback preview acme/repo-1 0");
  EXPECT_NE(run.exit_code, 0);
}

TEST_F(FeedbackCliTest, EnableDisableAndStatusByPattern) {
  LeadlineRun run = Leadline("feedback status");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("feedback is off for every repository"), std::string::npos) << run.out;
  run = Leadline("feedback enable --repos 'acme/*' --mode comment");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "feedback on for acme/repo-1 (comment)\n");
  EXPECT_EQ(Query("SELECT mode FROM feedback_repositories"), "comment");
  run = Leadline("feedback status");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("acme/repo-1"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("comment"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("never"), std::string::npos) << run.out;
  run = Leadline("feedback disable --repos acme/repo-1");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "feedback off for acme/repo-1\n");
  EXPECT_EQ(Query("SELECT COUNT(*) FROM feedback_repositories"), "0");
}

TEST_F(FeedbackCliTest, PatternsThatMatchNothingAndBadModesAreRefused) {
  LeadlineRun run = Leadline("feedback enable --repos 'other/*'");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("no selected repository of a connection matches 'other/*'"),
            std::string::npos)
      << run.err;
  run = Leadline("feedback enable --repos acme/repo-1 --mode loud");
  EXPECT_EQ(run.exit_code, 2) << run.err;
  run = Leadline("feedback disable --repos acme/repo-1");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("no repository with feedback on matches 'acme/repo-1'"), std::string::npos)
      << run.err;
  EXPECT_EQ(Query("SELECT COUNT(*) FROM feedback_repositories"), "0");
}

}  // namespace
