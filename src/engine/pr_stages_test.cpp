#include "engine/pr_stages.h"

#include <gtest/gtest.h>

#include "engine/dora_report.h"
#include "testing/snapshot_script.h"

namespace leadline::engine {
namespace {

constexpr common::UnixSeconds kHour = 3600;

model::PullRequest Merged(std::int64_t number, const std::string& merge, const std::string& source,
                          common::UnixSeconds created) {
  model::PullRequest pr;
  pr.number = number;
  pr.state = model::PullRequestState::kMerged;
  pr.author = {"{dev}", "Dev Eloper"};
  pr.target_branch = "main";
  pr.merge_commit = merge.substr(0, 12);
  pr.source_commit = source.substr(0, 12);
  pr.created_at = created;
  return pr;
}

model::PullRequestActivity Entry(std::int64_t number, model::PullRequestActivityKind kind,
                                 const std::string& actor, common::UnixSeconds at) {
  return {number, kind, actor, at, std::nullopt, ""};
}

class PrStagesTest : public ::testing::Test {
 protected:
  // main: A; feature f1, f2 (authored at 1 h and 2 h) merged by M at 10 h; g1 squashed as S at
  // 20 h; deployment of M at 12 h and of S at 30 h.
  void SetUp() override {
    git_.Commit("A", {}, 0);
    git_.Commit("f1", {"A"}, 1 * kHour);
    git_.Commit("f2", {"f1"}, 2 * kHour);
    git_.Commit("M", {"A", "f2"}, 10 * kHour);
    git_.Commit("g1", {"A"}, 15 * kHour, 14 * kHour);  // rebased: authored before committed
    git_.Commit("S", {"M"}, 20 * kHour);
    git_.Build();
    deployments_ = {Deployment(git_.Sha("M"), 12 * kHour), Deployment(git_.Sha("S"), 30 * kHour)};
    analysis_ = AnalyzeDeployments(git_.snapshot(), deployments_, {});
  }

  static model::Deployment Deployment(const std::string& sha, common::UnixSeconds at) {
    model::Deployment d;
    d.sha = sha;
    d.finished_at = at;
    d.natural_key = sha;
    return d;
  }

  std::vector<PullRequestStages> Stages(const std::vector<model::PullRequest>& prs,
                                        const std::vector<model::PullRequestActivity>& activity,
                                        const StageOptions& options = {}) {
    return ComputeStages(git_.snapshot(), prs, activity, deployments_, analysis_.attribution,
                         options);
  }

  testing::SnapshotScript git_;
  std::vector<model::Deployment> deployments_;
  DeploymentAnalysis analysis_;
};

TEST_F(PrStagesTest, MergeCommitStagesFromTheBranchsFirstCommit) {
  model::PullRequest pr = Merged(1, git_.Sha("M"), git_.Sha("f2"), 3 * kHour);
  pr.closed_at = 10 * kHour;
  const auto rows =
      Stages({pr}, {Entry(1, model::PullRequestActivityKind::kComment, "{dev}", 3 * kHour + 60),
                    Entry(1, model::PullRequestActivityKind::kApproval, "{rita}", 5 * kHour)});
  ASSERT_EQ(rows.size(), 1u);
  const PullRequestStages& r = rows[0];
  EXPECT_EQ(r.commits, 2u);  // f1, f2: the author's own comment is not review
  EXPECT_EQ(r.review_comments, 0u);
  EXPECT_EQ(r.reviewers, 1u);
  EXPECT_EQ(r.progress, PullRequestProgress::kDeployed);
  EXPECT_FALSE(r.commits_estimated());
  EXPECT_EQ(r.first_commit_at, 1 * kHour);
  EXPECT_EQ(r.coding, 2 * kHour);
  EXPECT_EQ(r.pickup, 2 * kHour);  // approval only, no comment: still review activity
  EXPECT_EQ(r.review, 5 * kHour);
  EXPECT_EQ(r.deploy, 2 * kHour);  // deployed at 12 h
  EXPECT_EQ(r.total, 11 * kHour);
  EXPECT_EQ(r.deployment, 0u);
}

TEST(PrStagesEmailTest, ThePullRequestKeepsTheEmailThatWroteMostOfItsCommits) {
  testing::SnapshotScript git;
  git.Commit("A", {}, 0);
  git.AuthoredBy("Ann@Example.com");
  git.Commit("f1", {"A"}, 1 * kHour);
  git.AuthoredBy("bob@example.com");
  git.Commit("f2", {"f1"}, 2 * kHour);
  git.AuthoredBy("ann@example.com");
  git.Commit("f3", {"f2"}, 3 * kHour);
  git.AuthoredBy("");
  git.Commit("M", {"A", "f3"}, 10 * kHour);
  git.Build();
  const Attribution none = AnalyzeDeployments(git.snapshot(), {}, {}).attribution;
  const std::vector<model::PullRequest> prs = {Merged(1, git.Sha("M"), git.Sha("f3"), 0)};
  const auto rows = ComputeStages(git.snapshot(), prs, {}, {}, none, {});
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_NE(rows[0].commit_email, kNoEmail);
  EXPECT_EQ(git.snapshot().author_emails[rows[0].commit_email], "ann@example.com");

  const std::vector<model::PullRequest> unknown_branch = {
      Merged(2, git.Sha("A"), std::string(40, 'f'), 0)};
  EXPECT_EQ(ComputeStages(git.snapshot(), unknown_branch, {}, {}, none, {})[0].commit_email,
            kNoEmail);
}

TEST_F(PrStagesTest, SquashMergeCountsTheBranchCommitsNotTheSquashTime) {
  model::PullRequest pr = Merged(2, git_.Sha("S"), git_.Sha("g1"), 16 * kHour);
  const auto rows = Stages(
      {pr}, {Entry(2, model::PullRequestActivityKind::kChangesRequested, "{rita}", 17 * kHour),
             {2, model::PullRequestActivityKind::kUpdate, "{dev}", 20 * kHour,
              model::PullRequestState::kMerged, ""}});
  const PullRequestStages& r = rows[0];
  EXPECT_EQ(r.commits, 1u);
  EXPECT_EQ(r.first_commit_at, 14 * kHour);  // g1's author time, not the squash commit's
  EXPECT_EQ(r.merged_at, 20 * kHour);        // from the MERGED update
  EXPECT_EQ(r.deployed_at, 30 * kHour);
  EXPECT_EQ(r.total, 16 * kHour);
}

TEST_F(PrStagesTest, UnknownBranchFallsBackToTheMergeCommitAndMarksIt) {
  model::PullRequest pr = Merged(3, git_.Sha("S"), "0123456789ab", 16 * kHour);
  const auto r = Stages({pr}, {})[0];
  EXPECT_EQ(r.commits_unknown, CommitsUnknown::kBranchNotSeen);
  EXPECT_EQ(r.commits, 1u);
  EXPECT_FALSE(r.first_commit_at.has_value());  // not the squash commit's time
  EXPECT_FALSE(r.coding.has_value());
  EXPECT_FALSE(r.total.has_value());
  EXPECT_EQ(r.deploy, 10 * kHour);     // merged at 20 h, deployed at 30 h
  EXPECT_FALSE(r.pickup.has_value());  // never reviewed: still waiting for pickup
  EXPECT_EQ(r.merged_at, 20 * kHour);  // the merge commit's time, nothing better known
}

TEST(PrStagesBranchCommitsTest, WhatTheHostListsStandsInForAnUnmirroredBranch) {
  testing::SnapshotScript git;
  git.Commit("A", {}, 0);
  git.AuthoredBy("Ann@Example.com");
  git.Commit("S", {"A"}, 20 * kHour);
  git.Build();
  const Attribution none = AnalyzeDeployments(git.snapshot(), {}, {}).attribution;
  model::PullRequest listed = Merged(1, git.Sha("S"), "0123456789ab", 16 * kHour);
  listed.branch_commits = model::BranchCommits{3, 9 * kHour, "ANN@example.com"};
  model::PullRequest gone = Merged(2, git.Sha("S"), "0123456789ac", 16 * kHour);
  gone.branch_commits = model::BranchCommits{};
  model::PullRequest stranger = listed;  // listed by someone the history does not know
  stranger.number = 3;
  stranger.branch_commits->author_email = "eve@example.com";
  const auto rows =
      ComputeStages(git.snapshot(), std::vector{listed, gone, stranger}, {}, {}, none, {});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].commits_unknown, CommitsUnknown::kNo);
  EXPECT_EQ(rows[0].commits, 3u);
  EXPECT_EQ(rows[0].first_commit_at, 9 * kHour);
  EXPECT_EQ(rows[0].coding, 7 * kHour);
  ASSERT_NE(rows[0].commit_email, kNoEmail);
  EXPECT_EQ(git.snapshot().author_emails[rows[0].commit_email], "ann@example.com");

  EXPECT_EQ(rows[1].commits_unknown, CommitsUnknown::kBranchGone);
  EXPECT_TRUE(rows[1].commits_estimated());
  EXPECT_EQ(rows[1].commits, 1u);
  EXPECT_FALSE(rows[1].first_commit_at.has_value());

  EXPECT_EQ(rows[2].first_commit_at, 9 * kHour);
  EXPECT_EQ(rows[2].commit_email, kNoEmail);
}

TEST(PrStagesBranchCommitsTest, AMirroredBranchWinsOverTheHostsList) {
  testing::SnapshotScript git;
  git.Commit("A", {}, 0);
  git.Commit("g1", {"A"}, 5 * kHour);
  git.Commit("S", {"A"}, 20 * kHour);
  git.Build();
  const Attribution none = AnalyzeDeployments(git.snapshot(), {}, {}).attribution;
  model::PullRequest pr = Merged(1, git.Sha("S"), git.Sha("g1"), 16 * kHour);
  pr.branch_commits = model::BranchCommits{4, 1 * kHour, ""};
  const auto row = ComputeStages(git.snapshot(), std::vector{pr}, {}, {}, none, {})[0];
  EXPECT_EQ(row.commits, 1u);
  EXPECT_EQ(row.first_commit_at, 5 * kHour);
}

TEST_F(PrStagesTest, AReviewBeforeTheOpeningIsNeverANegativeStage) {
  model::PullRequest pr = Merged(4, git_.Sha("M"), git_.Sha("f2"), 6 * kHour);
  pr.closed_at = 10 * kHour;
  const auto r =
      Stages({pr}, {Entry(4, model::PullRequestActivityKind::kApproval, "{rita}", 5 * kHour)})[0];
  EXPECT_EQ(r.pickup, 0);
  EXPECT_EQ(r.review, 5 * kHour);
}

TEST_F(PrStagesTest, OpenPullRequestsHaveOnlyTheStagesThatEnded) {
  model::PullRequest pr;
  pr.number = 5;
  pr.author = {"{dev}", "Dev Eloper"};
  pr.created_at = 25 * kHour;
  const auto r = Stages({pr}, {})[0];
  EXPECT_FALSE(r.merged_at.has_value());
  EXPECT_EQ(r.progress, PullRequestProgress::kOpen);
  EXPECT_FALSE(r.review.has_value());
  EXPECT_FALSE(r.deploy.has_value());
  EXPECT_FALSE(r.total.has_value());
}

TEST_F(PrStagesTest, BotsAreRecognisedByNameOrId) {
  model::PullRequest renovate = Merged(6, git_.Sha("M"), git_.Sha("f2"), 3 * kHour);
  renovate.author = {"{b0t}", "Renovate Bot"};
  model::PullRequest dependabot = renovate;
  dependabot.author = {"dependabot[bot]", ""};
  const auto rows = Stages({renovate, dependabot, Merged(7, git_.Sha("M"), "", 3 * kHour)}, {});
  EXPECT_TRUE(rows[0].bot);
  EXPECT_TRUE(rows[1].bot);
  EXPECT_FALSE(rows[2].bot);
  StageOptions none;
  none.bot_patterns.clear();
  EXPECT_FALSE(Stages({renovate}, {}, none)[0].bot);
  // doctor names the authors that look automated but that no pattern matches.
  EXPECT_EQ(BotLikeAuthors(std::vector<model::PullRequest>{renovate, dependabot}, none),
            (std::vector<std::string>{"Renovate Bot", "dependabot[bot]"}));
  EXPECT_TRUE(BotLikeAuthors(std::vector<model::PullRequest>{renovate, dependabot}, {}).empty());
}

TEST_F(PrStagesTest, TheSummaryCoversPullRequestsMergedInTheWindowWithoutBots) {
  model::PullRequest first = Merged(1, git_.Sha("M"), git_.Sha("f2"), 3 * kHour);
  first.closed_at = 10 * kHour;
  model::PullRequest second = Merged(2, git_.Sha("S"), git_.Sha("g1"), 16 * kHour);
  second.closed_at = 20 * kHour;
  model::PullRequest bot = second;
  bot.number = 3;
  bot.author = {"{r}", "renovate[bot]"};
  const auto rows = Stages({first, second, bot}, {});
  const StageSummary all = SummarizeStages(rows, 0, 40 * kHour);
  EXPECT_EQ(all.merged, 3u);
  EXPECT_EQ(all.bots_excluded, 1u);
  EXPECT_EQ(all.coding.count, 2u);
  EXPECT_EQ(all.coding.median, 2 * kHour);  // f1 at 1 h to 3 h; g1 at 14 h to 16 h
  EXPECT_EQ(all.pickup.count, 0u);          // nobody reviewed
  EXPECT_EQ(all.total.count, 2u);
  const StageSummary late = SummarizeStages(rows, 15 * kHour, 40 * kHour);
  EXPECT_EQ(late.merged, 2u);  // the first was merged before the window
}

TEST_F(PrStagesTest, AFastForwardNeedsTheTargetBeforeTheMerge) {
  // S fast-forwarded: the pull request's source commit is the merge commit itself.
  model::PullRequest pr = Merged(4, git_.Sha("S"), git_.Sha("S"), 19 * kHour);
  pr.target_commit = git_.Sha("M").substr(0, 12);
  const PullRequestStages known = Stages({pr}, {})[0];
  EXPECT_FALSE(known.commits_estimated());
  EXPECT_EQ(known.commits, 1u);  // rev-list S ^M
  EXPECT_EQ(known.first_commit_at, 20 * kHour);

  // No target commit stored, or one that is not before the merge (the tip after it): unknown,
  // and said why.
  for (const std::string& target : {std::string(), git_.Sha("S")}) {
    pr.target_commit = target;
    const PullRequestStages unknown = Stages({pr}, {})[0];
    EXPECT_EQ(unknown.commits_unknown, CommitsUnknown::kTargetNotRead) << target;
    EXPECT_FALSE(unknown.coding.has_value());
  }
}

}  // namespace
}  // namespace leadline::engine
