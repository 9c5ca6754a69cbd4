#include "ingest/pull_request_sizes.h"

#include <gtest/gtest.h>

#include "testing/git_script.h"

namespace leadline::ingest {
namespace {

using leadline::testing::GitScript;
using leadline::testing::TempDir;

model::PullRequest Merged(std::int64_t number, const std::string& merge_commit) {
  model::PullRequest pr;
  pr.number = number;
  pr.title = "Change";
  pr.state = model::PullRequestState::kMerged;
  pr.author = {"{ann}", "Ann"};
  pr.source_branch = "feature";
  pr.target_branch = "main";
  pr.merge_commit = merge_commit;
  return pr;
}

TEST(PullRequestSizesTest, ReadsEachMergedPullRequestOnceFromTheMirror) {
  TempDir dir;
  GitScript git(dir.Child("repo"));
  git.Commit("root", "2024-03-01T09:00:00Z");
  git.Branch("feature");
  git.Checkout("feature");
  git.Commit("one", "2024-03-01T10:00:00Z");
  git.Commit("two", "2024-03-01T11:00:00Z");
  git.Commit("three", "2024-03-01T11:30:00Z");
  git.Checkout("main");
  const std::string merge = git.Merge("feature", "2024-03-01T12:00:00Z");

  auto opened = store::OpenStore(dir.Child("leadline.db"));
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  std::unique_ptr<store::Store> store = std::move(opened).value();
  const std::int64_t repo = *store->repositories().UpsertRepository(
      {0, "bitbucket-cloud", "acme/api", "api", "main", 0, false, ""});
  model::PullRequest open = Merged(3, "");
  open.state = model::PullRequestState::kOpen;
  open.merge_commit.reset();
  // #1 merged as `merge` (abbreviated, as Cloud sends it); #2's merge commit is not mirrored yet.
  ASSERT_TRUE(store->pull_requests()
                  .UpsertPullRequests(
                      repo, {Merged(1, merge.substr(0, 12)), Merged(2, "0123456789ab"), open})
                  .ok());

  auto sized = SizeMergedPullRequests(*store, repo, git.path());
  ASSERT_TRUE(sized.ok()) << sized.status().message();
  EXPECT_EQ(*sized, 1u);
  const auto loaded = *store->pull_requests().LoadPullRequests(repo);
  EXPECT_EQ(loaded[0].size, (model::DiffStats{3, 3, 0}));            // three one-line files
  EXPECT_FALSE(loaded[1].size.has_value());                          // tried again next time
  EXPECT_FALSE(loaded[2].size.has_value());                          // open: no size
  EXPECT_EQ(*SizeMergedPullRequests(*store, repo, git.path()), 0u);  // nothing new to read

  // No mirror yet (the fetch failed, or the repository is empty): nothing to do.
  EXPECT_EQ(*SizeMergedPullRequests(*store, repo, dir.Child("missing.git")), 0u);
}

}  // namespace
}  // namespace leadline::ingest
