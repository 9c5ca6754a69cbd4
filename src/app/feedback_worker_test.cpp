// The feedback worker's backoff (the first retry after `retry_after`, doubling with each failed
// attempt, never past an hour, and at least a second) and how long into its lease a batch posts.
#include "app/feedback_worker.h"

#include <gtest/gtest.h>

namespace leadline::app {
namespace {

TEST(FeedbackBackoff, DoublesFromTheFirstDelayUpToAnHour) {
  EXPECT_EQ(FeedbackBackoff(30, 0), 30);
  EXPECT_EQ(FeedbackBackoff(30, 1), 60);
  EXPECT_EQ(FeedbackBackoff(30, 3), 240);
  EXPECT_EQ(FeedbackBackoff(30, 7), common::kHour);
  EXPECT_EQ(FeedbackBackoff(30, 1'000'000), common::kHour);
  EXPECT_EQ(FeedbackBackoff(0, 0), 1);
}

TEST(FeedbackLease, ABatchPostsOnlyWhileHalfItsLeaseIsLeftButAlwaysItsFirstRow) {
  EXPECT_TRUE(MayPostInLease(1000, 60, 1029, false));
  EXPECT_FALSE(MayPostInLease(1000, 60, 1030, false));
  EXPECT_FALSE(MayPostInLease(1000, 60, 1100, false));
  EXPECT_TRUE(MayPostInLease(1000, 60, 1100, true));
}

}  // namespace
}  // namespace leadline::app
