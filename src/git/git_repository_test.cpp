#include "git/git_repository.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "testing/git_script.h"

namespace leadline::git {
namespace {

using leadline::testing::GitScript;
using leadline::testing::TempDir;

std::map<std::string, model::Commit> ReadAll(const GitRepository& repo,
                                             const std::vector<std::string>& tips,
                                             const std::set<std::string>& known = {}) {
  std::map<std::string, model::Commit> out;
  auto is_known = [&](const std::string& sha) { return known.contains(sha); };
  const Status status = repo.ReadCommits(tips, is_known, [&](model::Commit&& c) {
    out[c.sha] = std::move(c);
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.message();
  return out;
}

TEST(GitRepository, ReadsCommitsWithParentsPeopleTimesAndMessages) {
  TempDir dir;
  GitScript git(dir.Child("repo"));
  const auto a = git.Commit("first", "2024-01-01T10:00:00Z", "2023-12-31T09:00:00Z");
  git.Branch("feature/x");
  git.Checkout("feature/x");
  const auto b = git.Commit("feature work", "2024-01-02T10:00:00Z");
  git.Checkout("main");
  const auto c = git.Commit("main work", "2024-01-03T10:00:00Z");
  const auto m = git.Merge("feature/x", "2024-01-04T10:00:00+02:00");

  auto repo = GitRepository::Open(git.path());
  ASSERT_TRUE(repo.ok()) << repo.status().message();
  const auto commits = ReadAll(*repo, {m});
  ASSERT_EQ(commits.size(), 4u);
  const model::Commit& first = commits.at(a);
  EXPECT_TRUE(first.parents.empty());
  EXPECT_EQ(first.author.name, "Ada Lovelace");
  EXPECT_EQ(first.author.email, "ada@example.com");
  EXPECT_EQ(first.author_time, *common::ParseRfc3339("2023-12-31T09:00:00Z"));
  EXPECT_EQ(first.committer_time, *common::ParseRfc3339("2024-01-01T10:00:00Z"));
  EXPECT_EQ(first.message, "first\n");
  const model::Commit& merge = commits.at(m);
  EXPECT_EQ(merge.parents, (std::vector<std::string>{c, b}));  // first parent first
  EXPECT_EQ(merge.committer_time, *common::ParseRfc3339("2024-01-04T08:00:00Z"));
  EXPECT_EQ(merge.message, "Merge branch 'feature/x'\n");
  EXPECT_EQ(repo->DefaultBranch(), "main");
  EXPECT_EQ(repo->name(), "repo");
}

TEST(GitRepository, StopsAtKnownHistory) {
  TempDir dir;
  GitScript git(dir.Child("repo"));
  git.Commit("one", "2024-01-01T00:00:00Z");
  const auto two = git.Commit("two", "2024-01-02T00:00:00Z");
  const auto three = git.Commit("three", "2024-01-03T00:00:00Z");
  const auto four = git.Commit("four", "2024-01-04T00:00:00Z");
  auto repo = GitRepository::Open(git.path());
  ASSERT_TRUE(repo.ok());
  const auto fresh = ReadAll(*repo, {four, three}, {two});
  EXPECT_EQ(fresh.size(), 2u);  // each commit once, though both tips reach three
  EXPECT_TRUE(fresh.count(three) && fresh.count(four));
}

// A linear history longer than the batches the reading thread runs ahead (9 of 1,024 commits),
// written once by git fast-import (quicker than `git commit`) and shared by the tests below.
class LongHistoryTest : public ::testing::Test {
 protected:
  static constexpr int kCommits = 9500;

  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const std::string repo = dir_->Child("long");
    leadline::testing::RunCommand("git init -q -b main " + repo);
    std::ofstream stream(dir_->Child("stream"));
    for (int i = 1; i <= kCommits; ++i) {
      const std::string message = "commit " + std::to_string(i) + "\n";
      stream << "commit refs/heads/main\ncommitter Ada <ada@example.com> " << 1704067200 + i
             << " +0000\ndata " << message.size() << "\n"
             << message << "\n";
    }
    stream << "done\n";
    stream.close();
    leadline::testing::RunCommand("git -C " + repo + " fast-import --quiet --done < " +
                                  dir_->Child("stream"));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  void SetUp() override {
    auto repo = GitRepository::Open(dir_->Child("long"));
    ASSERT_TRUE(repo.ok()) << repo.status().message();
    repo_.emplace(std::move(repo).value());
    auto refs = repo_->ReadRefs();
    ASSERT_TRUE(refs.ok() && refs->size() == 1);
    tip_ = refs->front().target_sha;
  }

  static TempDir* dir_;
  std::optional<GitRepository> repo_;
  std::string tip_;
};
TempDir* LongHistoryTest::dir_ = nullptr;

TEST_F(LongHistoryTest, ReadsEachCommitOnce) {
  const auto commits = ReadAll(*repo_, {tip_});
  EXPECT_EQ(commits.size(), static_cast<std::size_t>(kCommits));
  EXPECT_EQ(commits.at(tip_).message, "commit 9500\n");
}

TEST_F(LongHistoryTest, AFailingVisitStopsTheReadAndIsReturned) {
  // The reading thread runs ahead until its batches are full, then must see the cancellation.
  int visited = 0;
  const Status status = repo_->ReadCommits(
      {tip_}, [](const std::string&) { return false; },
      [&](model::Commit&&) {
        return ++visited == 5 ? Status::IoError("disk full") : Status::Ok();
      });
  EXPECT_EQ(status.code(), common::StatusCode::kIoError);
  EXPECT_EQ(status.message(), "disk full");
  EXPECT_EQ(visited, 5);
  // A tip that is not a commit id fails on the reading thread, and says so.
  const Status bad = repo_->ReadCommits(
      {"not-a-sha"}, [](const std::string&) { return false; },
      [](model::Commit&&) { return Status::Ok(); });
  EXPECT_EQ(bad.code(), common::StatusCode::kInvalidArgument);
}

TEST(GitRepository, ReadsBranchesAndAnnotatedAndLightweightTags) {
  TempDir dir;
  GitScript git(dir.Child("repo"));
  const auto a = git.Commit("one", "2024-01-01T00:00:00Z");
  const auto b = git.Commit("two", "2024-01-02T00:00:00Z");
  git.Tag("v1.0", a, "2024-01-05T00:00:00Z");
  git.Tag("v1.1", b);
  git.Branch("release/1.0", a);
  git.Git("tag -a -m tree-tag tree-tag HEAD^{tree}");               // not a commit: skipped
  git.Git("tag -a -m nested nested v1.0", "2024-01-06T00:00:00Z");  // a tag of a tag

  auto repo = GitRepository::Open(git.path());
  ASSERT_TRUE(repo.ok());
  auto refs = repo->ReadRefs();
  ASSERT_TRUE(refs.ok());
  std::vector<model::Ref> expected = {
      {"main", model::RefKind::kBranch, b, std::nullopt},
      {"release/1.0", model::RefKind::kBranch, a, std::nullopt},
      {"nested", model::RefKind::kTag, a, *common::ParseRfc3339("2024-01-06T00:00:00Z")},
      {"v1.0", model::RefKind::kTag, a, *common::ParseRfc3339("2024-01-05T00:00:00Z")},
      {"v1.1", model::RefKind::kTag, b, std::nullopt},
  };
  EXPECT_EQ(*refs, expected);
  EXPECT_EQ(*repo->ResolveCommit(b.substr(0, 8)), b);
  EXPECT_FALSE(repo->ResolveCommit("deadbeef").ok());
  EXPECT_FALSE(repo->ResolveCommit("not-hex").ok());
  EXPECT_EQ(*repo->CommitterTime(a), *common::ParseRfc3339("2024-01-01T00:00:00Z"));
}

TEST(GitRepository, OpensBareRepositoriesAndDotGitFolders) {
  TempDir dir;
  GitScript git(dir.Child("repo"));
  git.Commit("one", "2024-01-01T00:00:00Z");
  leadline::testing::RunCommand("git clone -q --bare " + git.path() + " " + dir.Child("bare.git"));
  auto bare = GitRepository::Open(dir.Child("bare.git"));
  ASSERT_TRUE(bare.ok()) << bare.status().message();
  EXPECT_EQ(bare->name(), "bare");
  auto dot_git = GitRepository::Open(git.path() + "/.git");
  ASSERT_TRUE(dot_git.ok());
  EXPECT_EQ(dot_git->location(), git.path());  // the same identity as the work tree
}

TEST(GitRepository, ExplainsWhatIsWrongWithBadPaths) {
  TempDir dir;
  auto missing = GitRepository::Open(dir.Child("nothing-here"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("does not exist"), std::string::npos);

  auto plain = GitRepository::Open(dir.path());
  ASSERT_FALSE(plain.ok());
  EXPECT_NE(plain.status().message().find("is not a git repository"), std::string::npos);

  leadline::testing::RunCommand("git init -q " + dir.Child("empty"));
  auto empty = GitRepository::Open(dir.Child("empty"));
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("no commits"), std::string::npos);
}

TEST(GitRepository, RefusesShallowClonesAndSaysHowToFix) {
  TempDir dir;
  GitScript git(dir.Child("repo"));
  for (int i = 0; i < 4; ++i)
    git.Commit("c" + std::to_string(i), "2024-01-0" + std::to_string(i + 1) + "T00:00:00Z");
  const auto clone = leadline::testing::RunCommand(
      "git clone -q --depth 2 file://" + git.path() + " " + dir.Child("shallow"), true);
  ASSERT_EQ(clone.exit_code, 0) << clone.output;
  auto shallow = GitRepository::Open(dir.Child("shallow"));
  ASSERT_FALSE(shallow.ok());
  EXPECT_NE(shallow.status().message().find("shallow clone"), std::string::npos);
  EXPECT_NE(shallow.status().message().find("1 boundary commit"), std::string::npos);
  EXPECT_NE(shallow.status().message().find("--unshallow"), std::string::npos);
}

}  // namespace
}  // namespace leadline::git

namespace leadline::git {
namespace {

TEST(GitRepositoryDiff, AMergeCountsEverythingItsBranchBroughtIn) {
  TempDir dir;
  GitScript script(dir.Child("repo"));
  const std::string root = script.Commit("root", "2024-03-01T09:00:00Z");
  script.Branch("feature/x");
  script.Checkout("feature/x");
  script.Commit("one", "2024-03-01T10:00:00Z");  // each commit adds a one-line file
  script.Commit("two", "2024-03-01T11:00:00Z");
  script.Checkout("main");
  script.Commit("main work", "2024-03-01T11:30:00Z");
  const std::string merge = script.Merge("feature/x", "2024-03-01T12:00:00Z");

  auto repo = GitRepository::Open(script.path());
  ASSERT_TRUE(repo.ok()) << repo.status().message();
  // The merge against main's side: the branch's two files, not main's own commit.
  EXPECT_EQ(*repo->FirstParentDiff(merge), (model::DiffStats{2, 2, 0}));
  EXPECT_EQ(*repo->FirstParentDiff(merge.substr(0, 12)), (model::DiffStats{2, 2, 0}));
  EXPECT_EQ(*repo->FirstParentDiff(root), (model::DiffStats{1, 1, 0}));  // vs. the empty tree
  const auto unknown = repo->FirstParentDiff("0123456789ab");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), common::StatusCode::kNotFound);
}

}  // namespace
}  // namespace leadline::git
