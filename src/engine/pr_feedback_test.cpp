#include "engine/pr_feedback.h"

#include <gtest/gtest.h>

namespace leadline::engine {
namespace {

using common::kDay;
using common::kHour;
using common::kMinute;

constexpr common::UnixSeconds kNow = 1'800'000'000;

Distribution Median(double seconds) {
  Distribution d;
  d.count = 12;
  d.median = seconds;
  return d;
}

StageSummary RepositoryMedians() {
  StageSummary s;
  s.coding = Median(20 * kHour);
  s.pickup = Median(2 * kHour);
  s.review = Median(3 * kHour + 30 * kMinute);
  s.deploy = Median(5 * kHour);
  s.size_lines = Median(85);
  return s;
}

PullRequestStages Opened() {
  PullRequestStages pr;
  pr.number = 42;
  pr.title = "Retry card payments";
  pr.created_at = kNow - 2 * kDay - 4 * kHour;
  pr.first_commit_at = pr.created_at - kDay - 2 * kHour;
  pr.coding = kDay + 2 * kHour;
  pr.size = model::DiffStats{3, 100, 20};
  return pr;
}

TEST(PrFeedbackTest, AnOpenPullRequestAwaitingItsFirstReview) {
  const Feedback feedback =
      RenderFeedback(Opened(), RepositoryMedians(), kNow,
                     "https://leadline.example.com/#/pull-requests/acme/api/42");
  EXPECT_EQ(feedback.status, "awaiting first review for 2d 4h");
  EXPECT_EQ(feedback.markdown,
            "<!-- leadline -->\n"
            "**Leadline** · awaiting first review for 2d 4h\n"
            "\n"
            "| | this pull request | repository median, 90 days |\n"
            "| --- | --- | --- |\n"
            "| coding | 1d 2h | 20h |\n"
            "| pickup | 2d 4h so far | 2h |\n"
            "| review | – | 3h 30m |\n"
            "| deploy | – | 5h |\n"
            "| size | 120 lines | 85 lines |\n"
            "\n"
            "[Open in Leadline](https://leadline.example.com/#/pull-requests/acme/api/42)\n");
  ASSERT_EQ(feedback.fields.size(), 4u);
  EXPECT_EQ(feedback.fields[0].text, "awaiting first review for 2d 4h");
  EXPECT_EQ(feedback.fields[2].title, "Pickup");
  EXPECT_EQ(feedback.fields[2].number, 2 * kDay + 4 * kHour);
  EXPECT_EQ(feedback.fields[3].type, FeedbackField::Type::kNumber);
  EXPECT_EQ(feedback.fields[3].number, 120);
}

TEST(PrFeedbackTest, InReviewThenMergedThenDeployed) {
  PullRequestStages pr = Opened();
  pr.first_review_at = kNow - 3 * kHour;
  pr.pickup = *pr.first_review_at - pr.created_at;
  EXPECT_EQ(RenderFeedback(pr, RepositoryMedians(), kNow, "").status, "in review for 3h");
  EXPECT_NE(RenderFeedback(pr, RepositoryMedians(), kNow, "")
                .markdown.find("| review | 3h so far | 3h 30m |"),
            std::string::npos);

  pr.state = model::PullRequestState::kMerged;
  pr.merged_at = kNow - 90 * kMinute;
  pr.review = *pr.merged_at - *pr.first_review_at;
  Feedback merged = RenderFeedback(pr, RepositoryMedians(), kNow, "");
  EXPECT_EQ(merged.status, "merged, awaiting production deploy (1h 30m so far)");
  EXPECT_NE(merged.markdown.find("| deploy | 1h 30m so far | 5h |"), std::string::npos);
  EXPECT_EQ(merged.markdown.find("Open in Leadline"), std::string::npos);

  pr.deployed_at = *pr.merged_at + 3 * kHour;
  pr.deploy = 3 * kHour;
  const Feedback deployed = RenderFeedback(pr, RepositoryMedians(), kNow + 2 * kHour, "");
  EXPECT_EQ(deployed.status, "deployed to production 3h after merge");
  EXPECT_EQ(deployed.markdown,
            "<!-- leadline -->\n"
            "**Leadline** · deployed to production 3h after merge\n"
            "\n"
            "| | this pull request | repository median, 90 days |\n"
            "| --- | --- | --- |\n"
            "| coding | 1d 2h | 20h |\n"
            "| pickup | 2d 1h | 2h |\n"
            "| review | 1h 30m | 3h 30m |\n"
            "| deploy | 3h | 5h |\n"
            "| size | 120 lines | 85 lines |\n");
  EXPECT_EQ(deployed.fields.size(), 6u);  // Code Insights' most
}

TEST(PrFeedbackTest, UnknownCommitsDeclinedAndAnEmptyRepositorySayWhatTheyKnow) {
  PullRequestStages pr = Opened();
  pr.coding.reset();
  pr.size.reset();
  pr.commits_unknown = CommitsUnknown::kBranchNotSeen;
  pr.state = model::PullRequestState::kDeclined;
  const Feedback declined = RenderFeedback(pr, StageSummary(), kNow, "");
  EXPECT_EQ(declined.status, "closed without merging");
  EXPECT_NE(declined.markdown.find("| coding | – | – |"), std::string::npos) << declined.markdown;
  EXPECT_NE(declined.markdown.find("| pickup | – | – |"), std::string::npos) << declined.markdown;
  EXPECT_NE(declined.markdown.find("| size | – | – |"), std::string::npos) << declined.markdown;
  EXPECT_NE(declined.markdown.find("own commits were not seen"), std::string::npos);
  EXPECT_EQ(declined.fields.size(), 1u);

  pr.size = model::DiffStats{1, 1, 0};
  StageSummary one_line;
  one_line.size_lines = Median(1);
  EXPECT_NE(RenderFeedback(pr, one_line, kNow, "").markdown.find("| size | 1 line | 1 line |"),
            std::string::npos);
}

}  // namespace
}  // namespace leadline::engine
