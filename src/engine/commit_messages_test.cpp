#include "engine/commit_messages.h"

#include <gtest/gtest.h>

#include <string>

namespace leadline::engine {
namespace {

constexpr char kSha[] = "0123456789abcdef0123456789abcdef01234567";

TEST(SubjectTest, IsTheFirstLine) {
  EXPECT_EQ(Subject("Add login\n\nLong description\n"), "Add login");
  EXPECT_EQ(Subject("Add login"), "Add login");
}

TEST(SubjectTest, DropsTrailingSpacesAndCarriageReturns) {
  EXPECT_EQ(Subject("Add login  \r\nbody"), "Add login");
  EXPECT_EQ(Subject("Add login \r"), "Add login");
  EXPECT_EQ(Subject("  Add login"), "  Add login");  // leading spaces are kept
}

TEST(SubjectTest, EmptyMessages) {
  EXPECT_EQ(Subject(""), "");
  EXPECT_EQ(Subject("\nbody"), "");
  EXPECT_EQ(Subject("   \nbody"), "");
}

TEST(ParseRevertTest, ReadsGitsDefaultMessage) {
  const std::string message =
      std::string("Revert \"Add login\"\n\nThis reverts commit ") + kSha + ".\n";
  const auto revert = ParseRevert(message);
  ASSERT_TRUE(revert.has_value());
  EXPECT_EQ(revert->sha, kSha);
  EXPECT_EQ(revert->subject, "Add login");
}

TEST(ParseRevertTest, ReadsARevertOfAMergeWithItsParentNote) {
  // git revert -m 1 adds ", reversing\nchanges made to <sha>."
  const std::string message = std::string("Revert \"Merge branch 'feature/x'\"\n\n") +
                              "This reverts commit " + kSha + ", reversing\n" +
                              "changes made to ffffffffffffffffffffffffffffffffffffffff.\n";
  const auto revert = ParseRevert(message);
  ASSERT_TRUE(revert.has_value());
  EXPECT_EQ(revert->sha, kSha);
  EXPECT_EQ(revert->subject, "Merge branch 'feature/x'");
}

TEST(ParseRevertTest, ReadsAnAbbreviatedSha) {
  const auto revert = ParseRevert("Revert \"Add login\"\n\nThis reverts commit 0123abc.");
  ASSERT_TRUE(revert.has_value());
  EXPECT_EQ(revert->sha, "0123abc");
  EXPECT_EQ(revert->subject, "Add login");
}

TEST(ParseRevertTest, ShaLengthLimits) {
  // 7 digits is the shortest abbreviation read (git's default); 6 is too short; 41 is too long.
  EXPECT_EQ(ParseRevert("Undo\n\nThis reverts commit abcdef1.")->sha, "abcdef1");
  EXPECT_FALSE(ParseRevert("Undo\n\nThis reverts commit abcdef.").has_value());
  EXPECT_FALSE(ParseRevert(std::string("Undo\n\nThis reverts commit ") + kSha + "8.").has_value());
  // Upper case is hex too.
  EXPECT_EQ(ParseRevert("Undo\n\nThis reverts commit ABCDEF12.")->sha, "ABCDEF12");
}

TEST(ParseRevertTest, AHexLookingWordIsNotACommit) {
  // "added" is all hex letters, but a word goes on after it ("addedd..." is not hex either):
  // the id must end the word.
  EXPECT_FALSE(ParseRevert("Undo\n\nThis reverts commit deadbeefs from yesterday.").has_value());
  EXPECT_EQ(ParseRevert("Undo\n\nThis reverts commit deadbeef, see #12.")->sha, "deadbeef");
}

TEST(ParseRevertTest, ReadsTheSubjectWhenThereIsNoSha) {
  const auto revert = ParseRevert("Revert \"Add login\"");
  ASSERT_TRUE(revert.has_value());
  EXPECT_EQ(revert->sha, "");
  EXPECT_EQ(revert->subject, "Add login");
}

TEST(ParseRevertTest, ReadsTheShaWhenTheSubjectWasEdited) {
  const auto revert =
      ParseRevert(std::string("Back out the login page\n\nThis reverts commit ") + kSha + ".");
  ASSERT_TRUE(revert.has_value());
  EXPECT_EQ(revert->sha, kSha);
  EXPECT_EQ(revert->subject, "");
}

TEST(ParseRevertTest, RevertOfARevertNamesTheInnerRevert) {
  const std::string message =
      std::string("Revert \"Revert \"Add login\"\"\n\n") + "This reverts commit " + kSha + ".";
  const auto revert = ParseRevert(message);
  ASSERT_TRUE(revert.has_value());
  EXPECT_EQ(revert->sha, kSha);
  // The reverted commit's subject is the inner revert's whole subject.
  EXPECT_EQ(revert->subject, "Revert \"Add login\"");
}

TEST(ParseRevertTest, IgnoresOrdinaryMessages) {
  EXPECT_FALSE(ParseRevert("Add login").has_value());
  EXPECT_FALSE(ParseRevert("").has_value());
  EXPECT_FALSE(ParseRevert("Revert the login change").has_value());          // no quotes
  EXPECT_FALSE(ParseRevert("Revert \"Add login").has_value());               // no closing quote
  EXPECT_FALSE(ParseRevert("Revert \"\"").has_value());                      // nothing quoted
  EXPECT_FALSE(ParseRevert("Fix\n\nThis reverts commit xyz.").has_value());  // not hex
  // The quoted subject must be the first line.
  EXPECT_FALSE(ParseRevert("Fix\n\nRevert \"Add login\"").has_value());
}

TEST(ParseMergedBranchTest, GitDefaultMerge) {
  EXPECT_EQ(ParseMergedBranch("Merge branch 'hotfix/x'"), "hotfix/x");
  EXPECT_EQ(ParseMergedBranch("Merge branch 'hotfix/x' into develop"), "hotfix/x");
  EXPECT_EQ(ParseMergedBranch("Merge branch 'hotfix/x'\n\n* hotfix/x:\n  Fix crash"), "hotfix/x");
  EXPECT_EQ(ParseMergedBranch("Merge branch 'main' of github.com:owner/repo"), "main");
}

TEST(ParseMergedBranchTest, GitLabMerge) {
  EXPECT_EQ(ParseMergedBranch("Merge branch 'x' into 'main'"), "x");
  EXPECT_EQ(ParseMergedBranch("Merge branch 'hotfix/db-timeout' into 'main'\n\nFix the timeout\n\n"
                              "See merge request group/project!42"),
            "hotfix/db-timeout");
}

TEST(ParseMergedBranchTest, GitHubPullRequest) {
  EXPECT_EQ(ParseMergedBranch("Merge pull request #12 from owner/hotfix/x"), "hotfix/x");
  EXPECT_EQ(ParseMergedBranch("Merge pull request #12 from owner/hotfix/x\n\nFix crash"),
            "hotfix/x");
  EXPECT_EQ(ParseMergedBranch("Merge pull request #7 from owner:fix/y"), "fix/y");
  EXPECT_FALSE(ParseMergedBranch("Merge pull request #12").has_value());  // no "from"
  // Bitbucket Data Center's default merge message: the branch is in the body.
  EXPECT_EQ(ParseMergedBranch("Pull request #3: Feat/user system backend\n\nMerge in "
                              "TP/first-repo from feat/user-system-backend to develop\n\n"
                              "* commit '3312945e':\n  fix: security hole\n"),
            "feat/user-system-backend");
  EXPECT_FALSE(ParseMergedBranch("Pull request #3: no merge line\n\nJust text").has_value());
  // Older Bitbucket Server names the repository, then the branch itself.
  EXPECT_EQ(ParseMergedBranch("Merge pull request #12 in PROJ/app from hotfix/x to main"),
            "hotfix/x");
}

TEST(ParseMergedBranchTest, BitbucketCloudPullRequest) {
  EXPECT_EQ(ParseMergedBranch("Merged in hotfix/x (pull request #12)"), "hotfix/x");
  EXPECT_EQ(ParseMergedBranch("Merged in hotfix/x (pull request #12)\n\nApproved-by: Ann"),
            "hotfix/x");
}

TEST(ParseMergedBranchTest, RemoteTrackingBranchDropsTheRemote) {
  EXPECT_EQ(ParseMergedBranch("Merge remote-tracking branch 'origin/hotfix/x'"), "hotfix/x");
  EXPECT_EQ(ParseMergedBranch("Merge remote-tracking branch 'upstream/main' into main"), "main");
}

TEST(ParseMergedBranchTest, IgnoresMessagesThatNameNoBranch) {
  EXPECT_FALSE(ParseMergedBranch("Fix crash").has_value());
  EXPECT_FALSE(ParseMergedBranch("").has_value());
  EXPECT_FALSE(ParseMergedBranch("Merge tag 'v1.2.0'").has_value());
  EXPECT_FALSE(ParseMergedBranch("Merge branch ''").has_value());
  EXPECT_FALSE(ParseMergedBranch("Revert \"Merge branch 'hotfix/x'\"").has_value());
  // Only the subject counts.
  EXPECT_FALSE(ParseMergedBranch("Fix crash\n\nMerge branch 'hotfix/x'").has_value());
}

}  // namespace
}  // namespace leadline::engine
