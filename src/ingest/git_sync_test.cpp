#include "ingest/git_sync.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "ingest/deployment_sources.h"
#include "store/sql/temp_store_test.h"
#include "testing/git_script.h"

namespace leadline::ingest {
namespace {

using leadline::testing::GitScript;
using leadline::testing::TempDir;

class GitSyncTest : public ::testing::Test {
 protected:
  GitSyncTest() : git_(dir_.Child("repo")) {}

  common::Result<GitSyncResult> Sync(const DeploymentSource& source = {kDefaultDeployTagPattern,
                                                                       std::nullopt}) {
    auto store = store::OpenStore(dir_.Child("leadline.db"));
    EXPECT_TRUE(store.ok());
    store_ = std::move(store).value();
    auto repo = git::GitRepository::Open(git_.path());
    EXPECT_TRUE(repo.ok()) << repo.status().message();
    LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store_->Begin());
    auto state = ReadGitState(*repo, source);
    if (!state.ok()) return state.status();
    auto result = SyncGitRepository(*store_, transaction, *repo, *state);
    if (result.ok()) {
      EXPECT_TRUE(transaction.Commit().ok());
    }
    return result;
  }

  TempDir dir_;
  GitScript git_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(GitSyncTest, FirstRunReadsEverythingSecondRunNothing) {
  const auto a = git_.Commit("one", "2024-01-01T00:00:00Z");
  git_.Commit("two", "2024-01-02T00:00:00Z");
  git_.Tag("v1.0.0", "HEAD", "2024-01-03T00:00:00Z");

  auto first = Sync();
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->new_commits, 2);
  EXPECT_EQ(first->total_commits, 2);
  EXPECT_TRUE(first->refs_changed);
  EXPECT_TRUE(first->deployments_changed);
  EXPECT_TRUE(first->changed());
  EXPECT_EQ(first->repository.default_branch, "main");

  auto second = Sync();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->new_commits, 0);
  EXPECT_FALSE(second->changed());
  EXPECT_EQ(second->repository.id, first->repository.id);

  git_.Commit("three", "2024-01-04T00:00:00Z");
  git_.Tag("v1.1.0", "HEAD", "2024-01-05T00:00:00Z");
  auto third = Sync();
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->new_commits, 1);  // only the new commit was read
  EXPECT_EQ(third->total_commits, 3);
  EXPECT_TRUE(third->refs_changed);
  auto deployments = *store_->history().LoadDeployments(third->repository.id);
  ASSERT_EQ(deployments.size(), 2u);
  EXPECT_EQ(deployments[1].ref, "v1.1.0");
  EXPECT_EQ(deployments[1].finished_at, *common::ParseRfc3339("2024-01-05T00:00:00Z"));
  (void)a;
}

TEST_F(GitSyncTest, ForcePushedHistoryIsReadFromTheNewTips) {
  git_.Commit("one", "2024-01-01T00:00:00Z");
  git_.Commit("two", "2024-01-02T00:00:00Z");
  git_.Tag("v1", "HEAD", "2024-01-03T00:00:00Z");
  ASSERT_TRUE(Sync().ok());
  git_.Git("reset -q --hard HEAD~1");
  git_.Commit("two again", "2024-01-04T00:00:00Z");
  git_.Tag("v2", "HEAD", "2024-01-05T00:00:00Z");
  auto again = Sync();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->new_commits, 1);
  EXPECT_EQ(again->total_commits, 3);  // the replaced commit stays: v1 still points at it
}

// Commits of `repo` reachable from `tip`, by id.
std::map<std::string, model::Commit> CommitsOf(const git::GitRepository& repo,
                                               const std::string& tip) {
  std::map<std::string, model::Commit> out;
  EXPECT_TRUE(repo.ReadCommits(
                      {tip}, [](const std::string&) { return false; },
                      [&](model::Commit&& commit) {
                        out.emplace(commit.sha, std::move(commit));
                        return common::Status::Ok();
                      })
                  .ok());
  return out;
}

// A history stored in several transactions, on each engine.
class HistoryInPartsTest : public store::TempStoreTest {
 protected:
  HistoryInPartsTest() : git_(work_.Child("repo")) {}

  std::int64_t AddRepository() {
    model::Repository repository;
    repository.source = "git";
    repository.location = git_.path();
    repository.name = "repo";
    return *store_->repositories().UpsertRepository(repository);
  }
  // Stores the history as a sync would, in parts of `per_transaction` commits.
  common::Result<HistorySync> Store(std::int64_t repo_id, std::int64_t per_transaction,
                                    const std::function<void(std::int64_t)>& on_batch = {}) {
    LEADLINE_ASSIGN_OR_RETURN(const git::GitRepository repo, git::GitRepository::Open(git_.path()));
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Ref> refs, repo.ReadRefs());
    LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store_->Begin());
    LEADLINE_ASSIGN_OR_RETURN(
        const HistorySync stored,
        StoreGitHistory(*store_, transaction, repo_id, repo, refs, {}, on_batch, per_transaction));
    LEADLINE_RETURN_IF_ERROR(transaction.Commit());
    return stored;
  }

  TempDir work_;  // the git repository's folder
  GitScript git_;
};
LEADLINE_ON_EVERY_ENGINE(HistoryInPartsTest);

TEST_P(HistoryInPartsTest, EachPartIsCommittedAlongTheWayAndMarkedUntilTheLast) {
  for (int i = 1; i <= 7; ++i) {
    git_.Commit("c" + std::to_string(i), "2024-01-0" + std::to_string(i) + "T00:00:00Z");
  }
  const std::int64_t repo_id = AddRepository();
  // Another connection, as the server's intake would have: it sees each part once committed.
  auto other = store::OpenStore(url_);
  ASSERT_TRUE(other.ok());
  std::vector<std::int64_t> seen;
  std::vector<std::string> marks;
  auto stored = Store(repo_id, 2, [&](std::int64_t) {
    seen.push_back(*(*other)->history().CountCommits(repo_id));
    marks.push_back(*(*other)->cursors().LoadCursor(repo_id, "history_incomplete"));
  });
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(stored->new_commits, 7);
  EXPECT_EQ(seen, (std::vector<std::int64_t>{2, 4, 6, 6}));  // the last part with the refs
  EXPECT_EQ(marks, (std::vector<std::string>{"1", "1", "1", "1"}));
  EXPECT_EQ(*(*other)->history().CountCommits(repo_id), 7);
  EXPECT_EQ(*(*other)->cursors().LoadCursor(repo_id, "history_incomplete"), "");
  EXPECT_EQ((*other)->history().LoadRefs(repo_id)->size(), 1u);
}

TEST_P(HistoryInPartsTest, AWalkStoppedBetweenPartsIsCompletedByTheNext) {
  git_.Commit("c1", "2024-01-01T00:00:00Z");
  git_.Commit("c2", "2024-01-02T00:00:00Z");
  const std::int64_t repo_id = AddRepository();
  ASSERT_TRUE(Store(repo_id, 0).ok());  // the refs stored: main at c2
  std::string tip;
  for (int i = 3; i <= 8; ++i) {
    tip = git_.Commit("c" + std::to_string(i), "2024-01-0" + std::to_string(i) + "T00:00:00Z");
  }
  // What a killed sync left: the two newest commits (the walk reads newest first), without
  // their parents, and the mark; the refs still the old ones.
  auto repo = git::GitRepository::Open(git_.path());
  ASSERT_TRUE(repo.ok());
  const auto commits = CommitsOf(*repo, tip);
  const std::string c7 = commits.at(tip).parents.at(0);
  ASSERT_EQ(*store_->history().InsertCommits(repo_id, {commits.at(tip), commits.at(c7)}), 2);
  ASSERT_TRUE(store_->cursors().SaveCursor(repo_id, "history_incomplete", "1").ok());

  auto stored = Store(repo_id, 2);
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(stored->new_commits, 4);  // c3 to c6: the walk went on past c8 and c7
  EXPECT_EQ(*store_->history().CountCommits(repo_id), 8);
  EXPECT_EQ(*store_->cursors().LoadCursor(repo_id, "history_incomplete"), "");
}

TEST_F(GitSyncTest, DeployLogDeploymentsResolveAbbreviatedShas) {
  const auto a = git_.Commit("one", "2024-01-01T00:00:00Z");
  const auto b = git_.Commit("two", "2024-01-02T00:00:00Z");
  const std::string log = dir_.Child("deploys.txt");
  std::ofstream(log) << a.substr(0, 10) << " 2024-01-01T12:00:00Z\n"
                     << b << " 2024-01-02T12:00:00Z failure\n";
  auto result = Sync({"", log});
  ASSERT_TRUE(result.ok()) << result.status().message();
  auto deployments = *store_->history().LoadDeployments(result->repository.id);
  ASSERT_EQ(deployments.size(), 2u);
  EXPECT_EQ(deployments[0].sha, a);
  EXPECT_EQ(deployments[0].source, "deploy-log");
  EXPECT_EQ(deployments[1].status, model::DeploymentStatus::kFailure);
}

TEST_F(GitSyncTest, DeployLogWithUnknownCommitNamesTheLine) {
  git_.Commit("one", "2024-01-01T00:00:00Z");
  const std::string log = dir_.Child("deploys.txt");
  std::ofstream(log) << "# deploys\n"
                     << "deadbeefdeadbeef 2024-01-01T12:00:00Z\n";
  auto result = Sync({"", log});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("line 2"), std::string::npos);
  EXPECT_NE(result.status().message().find("deadbeefdeadbeef"), std::string::npos);
}

TEST_F(GitSyncTest, EmptyDeployLogIsRejected) {
  git_.Commit("one", "2024-01-01T00:00:00Z");
  const std::string log = dir_.Child("deploys.txt");
  std::ofstream(log) << "# nothing\n";
  auto result = Sync({"", log});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("lists no deployments"), std::string::npos);
}

}  // namespace
}  // namespace leadline::ingest
