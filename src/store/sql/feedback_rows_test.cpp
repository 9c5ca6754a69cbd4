// The feedback outbox on both engines: one row per pull request however many triggers, debounced;
// claims held by one owner at a time and taken over after the lease; deleted only when posted at
// the generation claimed; failures retried with their last error, then kept as failed until a
// new trigger; repositories without feedback queue nothing; bad input is refused.
#include "store/sql/feedback_rows.h"

#include <gtest/gtest.h>

#include "store/sql/temp_store_test.h"

namespace leadline::store::sql {
namespace {

constexpr common::UnixSeconds kNow = 1'767'225'600;  // 2026-01-01T00:00:00Z

class FeedbackRowsTest : public TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    repo_id_ = AddTestRepository(*store_);
    ASSERT_TRUE(outbox().EnableFeedback(repo_id_, FeedbackMode::kComment, kNow).ok());
  }
  FeedbackOutbox& outbox() { return store_->feedback(); }
  bool Enqueue(std::int64_t number, const std::string& reason, common::UnixSeconds now,
               common::Seconds delay = 30) {
    auto queued = outbox().EnqueueFeedback(repo_id_, number, reason, now, now + delay);
    EXPECT_TRUE(queued.ok()) << queued.status().message();
    return queued.ok() && *queued;
  }
  std::vector<FeedbackOutboxRow> Claim(const std::string& owner, common::UnixSeconds now) {
    auto claimed = outbox().ClaimDueFeedback(owner, now, now + 60, 10);
    EXPECT_TRUE(claimed.ok()) << claimed.status().message();
    return claimed.ok() ? *claimed : std::vector<FeedbackOutboxRow>();
  }

  std::int64_t repo_id_ = 0;
};

TEST_P(FeedbackRowsTest, RepositoriesAreEnabledWithAModeAndDisabled) {
  auto repos = outbox().LoadFeedbackRepositories();
  ASSERT_TRUE(repos.ok()) << repos.status().message();
  ASSERT_EQ(repos->size(), 1u);
  EXPECT_EQ((*repos)[0].location, "/src/app");
  EXPECT_EQ((*repos)[0].mode, FeedbackMode::kComment);
  EXPECT_EQ((*repos)[0].enabled_at, kNow);
  EXPECT_EQ((*repos)[0].posts, 0);
  ASSERT_TRUE(outbox().EnableFeedback(repo_id_, FeedbackMode::kInsights, kNow + 5).ok());
  repos = outbox().LoadFeedbackRepositories();
  ASSERT_EQ(repos->size(), 1u);
  EXPECT_EQ((*repos)[0].mode, FeedbackMode::kInsights);
  EXPECT_EQ((*repos)[0].enabled_at, kNow);  // still since it was first enabled
  ASSERT_TRUE(Enqueue(1, "opened", kNow));
  ASSERT_TRUE(outbox().DisableFeedback(repo_id_).ok());
  EXPECT_TRUE(outbox().LoadFeedbackRepositories()->empty());
  EXPECT_TRUE(outbox().LoadFeedbackOutbox(10)->empty());  // its rows went with it
  EXPECT_FALSE(Enqueue(1, "opened", kNow));               // and nothing queues now
  EXPECT_EQ(Count("SELECT COUNT(*) FROM feedback_outbox"), 0);
}

TEST_P(FeedbackRowsTest, TriggersForOnePullRequestMakeOneDebouncedRow) {
  ASSERT_TRUE(Enqueue(7, "opened", kNow));
  ASSERT_TRUE(Enqueue(7, "reviewed", kNow + 10));
  ASSERT_TRUE(Enqueue(8, "opened", kNow + 10));
  const auto rows = *outbox().LoadFeedbackOutbox(10);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].number, 7);
  EXPECT_EQ(rows[0].reason, "reviewed");
  EXPECT_EQ(rows[0].queued_at, kNow);
  EXPECT_EQ(rows[0].due_at, kNow + 40);  // pushed back by the second trigger
  EXPECT_EQ(rows[0].generation, 2);
  EXPECT_EQ(rows[0].location, "/src/app");
  EXPECT_TRUE(Claim("a", kNow + 39).empty());  // not due yet
  const auto claimed = Claim("a", kNow + 40);
  ASSERT_EQ(claimed.size(), 2u);
  EXPECT_EQ(claimed[0].number, 7);
  EXPECT_EQ(claimed[1].number, 8);
}

TEST_P(FeedbackRowsTest, AClaimIsOneOwnersUntilItsLeaseEnds) {
  ASSERT_TRUE(Enqueue(7, "opened", kNow, 0));
  ASSERT_EQ(Claim("a", kNow).size(), 1u);
  // a, killed and started again under its slot's name (app/server_slot.h), takes it back at once.
  EXPECT_EQ(Claim("a", kNow).size(), 1u);
  EXPECT_TRUE(Claim("b", kNow + 60).empty());  // a's lease runs to kNow + 60
  const auto taken = Claim("b", kNow + 61);    // a died: b takes it over
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_FALSE(*outbox().FinishFeedback(taken[0].id, "a", taken[0].generation, kNow + 62));
  EXPECT_TRUE(*outbox().FinishFeedback(taken[0].id, "b", taken[0].generation, kNow + 62));
  EXPECT_TRUE(outbox().LoadFeedbackOutbox(10)->empty());
  const auto repos = *outbox().LoadFeedbackRepositories();
  EXPECT_EQ(repos[0].posts, 1);
  EXPECT_EQ(repos[0].last_posted_at, kNow + 62);
}

TEST_P(FeedbackRowsTest, ATriggerDuringAPostKeepsTheRowToPostAgain) {
  ASSERT_TRUE(Enqueue(7, "opened", kNow, 0));
  const auto claimed = Claim("a", kNow);
  ASSERT_EQ(claimed.size(), 1u);
  ASSERT_TRUE(Enqueue(7, "merged", kNow + 5));
  EXPECT_TRUE(*outbox().FinishFeedback(claimed[0].id, "a", claimed[0].generation, kNow + 6));
  const auto rows = *outbox().LoadFeedbackOutbox(10);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].reason, "merged");
  const auto again = Claim("b", kNow + 35);  // released: anyone may take it once due
  ASSERT_EQ(again.size(), 1u);
  EXPECT_TRUE(*outbox().FinishFeedback(again[0].id, "b", again[0].generation, kNow + 36));
  EXPECT_TRUE(outbox().LoadFeedbackOutbox(10)->empty());
}

TEST_P(FeedbackRowsTest, FailuresRetryWithTheLastErrorThenStayFailedUntilANewTrigger) {
  ASSERT_TRUE(Enqueue(7, "opened", kNow, 0));
  auto claimed = Claim("a", kNow);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_TRUE(*outbox().FailFeedback(claimed[0].id, "a", "HTTP 500", kNow + 30, 2));
  auto rows = *outbox().LoadFeedbackOutbox(10);
  EXPECT_EQ(rows[0].attempts, 1);
  EXPECT_FALSE(rows[0].failed);
  EXPECT_EQ(rows[0].last_error, "HTTP 500");
  EXPECT_EQ(rows[0].due_at, kNow + 30);
  EXPECT_TRUE(Claim("a", kNow + 29).empty());  // backing off
  claimed = Claim("a", kNow + 30);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_FALSE(*outbox().FailFeedback(claimed[0].id, "b", "not b's", kNow + 90, 2));
  const std::string long_error(3000, 'x');
  EXPECT_TRUE(*outbox().FailFeedback(claimed[0].id, "a", long_error, kNow + 90, 2));
  rows = *outbox().LoadFeedbackOutbox(10);
  EXPECT_TRUE(rows[0].failed);
  EXPECT_EQ(rows[0].attempts, 2);
  EXPECT_EQ(rows[0].last_error.size(), kMostFeedbackErrorBytes);
  EXPECT_TRUE(Claim("a", kNow + 1000).empty());  // given up
  ASSERT_TRUE(Enqueue(7, "deployed", kNow + 1000));
  rows = *outbox().LoadFeedbackOutbox(10);
  EXPECT_FALSE(rows[0].failed);
  EXPECT_EQ(rows[0].attempts, 0);
  EXPECT_EQ(rows[0].due_at, kNow + 1030);
  EXPECT_EQ(Claim("a", kNow + 1030).size(), 1u);
}

TEST_P(FeedbackRowsTest, ABackoffIsNotCutShortByATrigger) {
  ASSERT_TRUE(Enqueue(7, "opened", kNow, 0));
  const auto claimed = Claim("a", kNow);
  ASSERT_TRUE(*outbox().FailFeedback(claimed[0].id, "a", "HTTP 429", kNow + 600, 5));
  ASSERT_TRUE(Enqueue(7, "reviewed", kNow + 10));
  EXPECT_EQ((*outbox().LoadFeedbackOutbox(10))[0].due_at, kNow + 600);
}

TEST_P(FeedbackRowsTest, BadInputIsRefused) {
  EXPECT_EQ(outbox().EnqueueFeedback(repo_id_, 0, "opened", kNow, kNow).status().code(),
            common::StatusCode::kInvalidArgument);
  EXPECT_EQ(outbox().EnqueueFeedback(repo_id_, 1, "", kNow, kNow).status().code(),
            common::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      outbox()
          .EnqueueFeedback(repo_id_, 1, std::string(kMostFeedbackReasonBytes + 1, 'r'), kNow, kNow)
          .status()
          .code(),
      common::StatusCode::kInvalidArgument);
  EXPECT_EQ(outbox().EnqueueFeedback(repo_id_, 1, "opened", kNow, kNow - 1).status().code(),
            common::StatusCode::kInvalidArgument);
  EXPECT_EQ(outbox().ClaimDueFeedback("", kNow, kNow + 1, 1).status().code(),
            common::StatusCode::kInvalidArgument);
  EXPECT_EQ(outbox().ClaimDueFeedback("a", kNow, kNow + 1, 0).status().code(),
            common::StatusCode::kInvalidArgument);
  EXPECT_EQ(outbox().ClaimDueFeedback("a", kNow, kNow, 1).status().code(),
            common::StatusCode::kInvalidArgument);
  EXPECT_EQ(outbox().FailFeedback(1, "a", "e", kNow, 0).status().code(),
            common::StatusCode::kInvalidArgument);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM feedback_outbox"), 0);
}

TEST_P(FeedbackRowsTest, ARefusalStopsQueuingAndClaimingUntilEnabledAgain) {
  ASSERT_TRUE(Enqueue(7, "opened", kNow, 0));
  ASSERT_TRUE(Enqueue(8, "opened", kNow, 0));
  auto refused = outbox().RefuseFeedback(repo_id_, "HTTP 403: needs write", kNow + 1);
  ASSERT_TRUE(refused.ok()) << refused.status().message();
  EXPECT_TRUE(*refused);
  auto repos = *outbox().LoadFeedbackRepositories();
  ASSERT_EQ(repos.size(), 1u);
  EXPECT_EQ(repos[0].refused_at, kNow + 1);
  EXPECT_EQ(repos[0].refused_reason, "HTTP 403: needs write");
  EXPECT_TRUE(Claim("a", kNow + 10).empty());  // its rows wait
  EXPECT_FALSE(Enqueue(9, "opened", kNow + 10));
  EXPECT_EQ(outbox().LoadFeedbackOutbox(10)->size(), 2u);
  // Enabled again (the credentials were fixed): the refusal is cleared and the rows post.
  ASSERT_TRUE(outbox().EnableFeedback(repo_id_, FeedbackMode::kComment, kNow + 20).ok());
  repos = *outbox().LoadFeedbackRepositories();
  EXPECT_EQ(repos[0].refused_at, 0);
  EXPECT_EQ(repos[0].refused_reason, "");
  EXPECT_EQ(Claim("a", kNow + 20).size(), 2u);
  EXPECT_TRUE(Enqueue(9, "opened", kNow + 20));
  // A repository without feedback on has nothing to refuse; a refusal names its reason.
  EXPECT_FALSE(*outbox().RefuseFeedback(repo_id_ + 1000, "x", kNow));
  EXPECT_EQ(outbox().RefuseFeedback(repo_id_, "", kNow).status().code(),
            common::StatusCode::kInvalidArgument);
}

TEST_P(FeedbackRowsTest, StaleRowsAreDroppedAndCounted) {
  ASSERT_TRUE(Enqueue(7, "opened", kNow, 0));
  ASSERT_TRUE(Enqueue(8, "opened", kNow + 100, 0));
  ASSERT_EQ(Claim("a", kNow + 100).size(), 2u);
  // #7 failed for good; a trigger revives it, and it counts its age from then.
  ASSERT_TRUE(
      *outbox().FailFeedback((*outbox().LoadFeedbackOutbox(10))[0].id, "a", "e", kNow + 200, 1));
  auto dropped = outbox().DropStaleFeedback(kNow + 50);
  ASSERT_TRUE(dropped.ok()) << dropped.status().message();
  EXPECT_EQ(*dropped, 1);  // #7, claimed or not
  EXPECT_EQ(outbox().LoadFeedbackOutbox(10)->size(), 1u);
  EXPECT_EQ((*outbox().LoadFeedbackRepositories())[0].dropped, 1);
  ASSERT_TRUE(Enqueue(7, "reviewed", kNow + 300, 0));
  const auto again = Claim("a", kNow + 300);
  ASSERT_EQ(again.size(), 2u);
  ASSERT_EQ(again[1].number, 7);
  ASSERT_TRUE(*outbox().FailFeedback(again[1].id, "a", "e", kNow + 400, 1));
  ASSERT_TRUE(Enqueue(7, "merged", kNow + 500, 0));  // revived: its age starts again
  EXPECT_EQ((*outbox().LoadFeedbackOutbox(10))[1].queued_at, kNow + 500);
  EXPECT_EQ(*outbox().DropStaleFeedback(kNow + 400), 1);  // #8 only
  EXPECT_EQ(*outbox().DropStaleFeedback(kNow + 400), 0);
  EXPECT_EQ((*outbox().LoadFeedbackRepositories())[0].dropped, 2);
  EXPECT_EQ((*outbox().LoadFeedbackOutbox(10))[0].number, 7);
}

TEST_P(FeedbackRowsTest, RowsOutliveTheStoreThatQueuedThem) {
  ASSERT_TRUE(Enqueue(7, "opened", kNow, 0));
  store_.reset();  // as a process killed before posting
  auto reopened = OpenStore(url_);
  ASSERT_TRUE(reopened.ok()) << reopened.status().message();
  store_ = std::move(reopened).value();
  EXPECT_EQ(Claim("b", kNow).size(), 1u);
}

LEADLINE_ON_EVERY_ENGINE(FeedbackRowsTest);

}  // namespace
}  // namespace leadline::store::sql
