// What queues feedback posts: pull requests new or changed since the marks (opened, merged,
// updated), merged ones whose merge commit a new deployment released (abbreviated hashes either
// way), nothing for unchanged ones or repositories with feedback off; the debounce sets when the
// post is due.
#include "ingest/feedback_triggers.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace leadline::ingest {
namespace {

constexpr common::UnixSeconds kNow = 1'767'225'600;

class FeedbackTriggersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("leadline-triggers-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = std::move(store::OpenStore((dir_ / "leadline.db").string())).value();
    model::Repository repo;
    repo.source = "bitbucket-cloud";
    repo.location = "acme/api";
    repo.name = "api";
    repo_id_ = *store_->repositories().UpsertRepository(repo);
    ASSERT_TRUE(store_->pull_requests()
                    .UpsertPullRequests(repo_id_, {Pr(1, model::PullRequestState::kOpen),
                                                   Pr(2, model::PullRequestState::kOpen)})
                    .ok());
    SetFeedbackDebounce(30);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  static model::PullRequest Pr(std::int64_t number, model::PullRequestState state) {
    model::PullRequest pr;
    pr.number = number;
    pr.title = "Change " + std::to_string(number);
    pr.state = state;
    pr.source_branch = "feature/" + std::to_string(number);
    pr.target_branch = "main";
    pr.source_commit = std::string(12, 'a');
    pr.created_at = kNow - 3600;
    pr.updated_at = kNow - 3600;
    if (state == model::PullRequestState::kMerged) pr.merge_commit = "abcdef123456";
    return pr;
  }
  std::vector<store::FeedbackOutboxRow> Outbox() {
    return *store_->feedback().LoadFeedbackOutbox(10);
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::int64_t repo_id_ = 0;
};

TEST_F(FeedbackTriggersTest, RepositoriesWithFeedbackOffQueueNothing) {
  EXPECT_FALSE(MarkForFeedback(*store_, repo_id_)->has_value());
  EXPECT_EQ(*QueueDeployedPullRequests(*store_, repo_id_, {"abcdef1234567890"}, kNow), 0u);
  EXPECT_TRUE(Outbox().empty());
}

TEST_F(FeedbackTriggersTest, NewAndChangedPullRequestsAreQueuedWithTheirReason) {
  ASSERT_TRUE(
      store_->feedback().EnableFeedback(repo_id_, store::FeedbackMode::kComment, kNow).ok());
  const auto marks = MarkForFeedback(*store_, repo_id_);
  ASSERT_TRUE(marks.ok() && marks->has_value());
  // #1 merged, #3 opened, #2 unchanged.
  ASSERT_TRUE(store_->pull_requests()
                  .UpsertPullRequests(repo_id_, {Pr(1, model::PullRequestState::kMerged),
                                                 Pr(3, model::PullRequestState::kOpen)})
                  .ok());
  EXPECT_EQ(*QueueFeedbackChanges(*store_, repo_id_, **marks, kNow), 2u);
  const auto rows = Outbox();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].number, 1);
  EXPECT_EQ(rows[0].reason, "merged");
  EXPECT_EQ(rows[0].due_at, kNow + 30);
  EXPECT_EQ(rows[1].number, 3);
  EXPECT_EQ(rows[1].reason, "opened");
  // Nothing changed since: nothing more.
  const auto again = MarkForFeedback(*store_, repo_id_);
  EXPECT_EQ(*QueueFeedbackChanges(*store_, repo_id_, **again, kNow), 0u);
}

TEST_F(FeedbackTriggersTest, ANewDeploymentOfAMergeCommitQueuesItsPullRequest) {
  ASSERT_TRUE(store_->pull_requests()
                  .UpsertPullRequests(repo_id_, {Pr(1, model::PullRequestState::kMerged)})
                  .ok());
  ASSERT_TRUE(
      store_->feedback().EnableFeedback(repo_id_, store::FeedbackMode::kComment, kNow).ok());
  SetFeedbackDebounce(5);
  const auto marks = MarkForFeedback(*store_, repo_id_);
  model::PlatformDeployment deployment;
  deployment.uuid = "{d-1}";
  deployment.environment_name = "production";
  deployment.state = model::PlatformDeploymentState::kCompleted;
  deployment.commit_sha = "abcdef1234567890abcdef1234567890abcdef12";  // the merge, in full
  ASSERT_TRUE(store_->pipelines().UpsertPlatformDeployments(repo_id_, {deployment}).ok());
  EXPECT_EQ(*QueueFeedbackChanges(*store_, repo_id_, **marks, kNow), 1u);
  const auto rows = Outbox();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].reason, "deployed");
  EXPECT_EQ(rows[0].due_at, kNow + 5);
  // Another commit releases nothing of it; a hash too short to mean one commit neither.
  EXPECT_EQ(*QueueDeployedPullRequests(*store_, repo_id_, {std::string(40, 'f'), "abc"}, kNow), 0u);
}

TEST_F(FeedbackTriggersTest, OldPullRequestsAndDeploymentsAreHistoryNotEvents) {
  ASSERT_TRUE(
      store_->feedback().EnableFeedback(repo_id_, store::FeedbackMode::kComment, kNow).ok());
  const auto marks = MarkForFeedback(*store_, repo_id_);
  model::PullRequest old = Pr(4, model::PullRequestState::kMerged);
  old.updated_at = kNow - kMostFeedbackEventAge - 1;
  ASSERT_TRUE(store_->pull_requests().UpsertPullRequests(repo_id_, {old}).ok());
  model::PlatformDeployment deployment;
  deployment.uuid = "{d-old}";
  deployment.environment_name = "production";
  deployment.state = model::PlatformDeploymentState::kCompleted;
  deployment.completed_at = kNow - kMostFeedbackEventAge - 1;
  deployment.commit_sha = "abcdef1234567890abcdef1234567890abcdef12";
  ASSERT_TRUE(store_->pipelines().UpsertPlatformDeployments(repo_id_, {deployment}).ok());
  EXPECT_EQ(*QueueFeedbackChanges(*store_, repo_id_, **marks, kNow), 0u);
  EXPECT_TRUE(Outbox().empty());
}

TEST_F(FeedbackTriggersTest, TheDebounceStaysWithinAnHour) {
  SetFeedbackDebounce(-5);
  EXPECT_EQ(FeedbackDebounce(), 0);
  SetFeedbackDebounce(10 * common::kHour);
  EXPECT_EQ(FeedbackDebounce(), common::kHour);
}

}  // namespace
}  // namespace leadline::ingest
