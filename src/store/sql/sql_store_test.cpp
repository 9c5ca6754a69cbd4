// The Store's contract, run on every engine (SQLite and PostgreSQL): what one engine stores,
// updates, counts and rolls back, the other does the same.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "store/sql/temp_store_test.h"

namespace leadline::store {
namespace {

using SqlStoreTest = TempStoreTest;

model::Commit MakeCommit(const std::string& sha, std::vector<std::string> parents,
                         common::UnixSeconds t) {
  model::Commit c;
  c.sha = sha;
  c.parents = std::move(parents);
  c.author = {"Ada", "ada@example.com"};
  c.author_time = t - 60;
  c.committer = {"Bob", "bob@example.com"};
  c.committer_time = t;
  c.message = "change " + sha.substr(0, 4) + "\n\nbody";
  return c;
}

std::string Sha(char c) { return std::string(40, c); }

model::Deployment MakeDeployment(const std::string& key, char sha, common::UnixSeconds t) {
  model::Deployment d;
  d.natural_key = key;
  d.source = "tag";
  d.ref = key.substr(4);
  d.sha = Sha(sha);
  d.finished_at = t;
  return d;
}

TEST_P(SqlStoreTest, RepositoryUpsertKeepsItsId) {
  Store* store = store_.get();
  const auto id = AddTestRepository(*store);
  model::Repository renamed{.source = "git",
                            .location = "/src/app",
                            .name = "app2",
                            .default_branch = "trunk",
                            .clone_url = ""};
  EXPECT_EQ(*store->repositories().UpsertRepository(renamed), id);
  auto found = *store->repositories().FindRepository("git", "/src/app");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "app2");
  EXPECT_EQ(found->default_branch, "trunk");
  EXPECT_FALSE(store->repositories().FindRepository("git", "/elsewhere")->has_value());
}

TEST_P(SqlStoreTest, EveryInsertOfCommitsGivesTheHistoryANewVersion) {
  Store* store = store_.get();
  const auto repo = AddTestRepository(*store);
  EXPECT_EQ(*store->history().LoadHistoryVersion(repo), "");  // nothing inserted yet: no version
  ASSERT_EQ(*store->history().InsertCommits(repo, {MakeCommit(Sha('a'), {}, 1000)}), 1);
  const std::string first = *store->history().LoadHistoryVersion(repo);
  EXPECT_FALSE(first.empty());
  EXPECT_TRUE(first.ends_with("/1")) << first;
  EXPECT_EQ(*store->history().LoadHistoryVersion(repo), first);  // reading does not change it
  ASSERT_EQ(*store->history().InsertCommits(repo, {MakeCommit(Sha('b'), {Sha('a')}, 2000)}), 1);
  const std::string second = *store->history().LoadHistoryVersion(repo);
  EXPECT_NE(second, first);
  EXPECT_TRUE(second.ends_with("/2")) << second;
  EXPECT_EQ(*store->history().InsertCommits(repo, {}), 0);
  EXPECT_EQ(*store->history().LoadHistoryVersion(repo), second);  // an empty batch changes nothing
}

TEST_P(SqlStoreTest, CommitsAreStoredOnceAndStreamBack) {
  Store* store = store_.get();
  const auto repo = AddTestRepository(*store);
  std::vector<model::Commit> commits = {MakeCommit(Sha('a'), {}, 1000),
                                        MakeCommit(Sha('b'), {Sha('a')}, 2000),
                                        MakeCommit(Sha('c'), {Sha('b'), Sha('a')}, 3000)};
  EXPECT_EQ(*store->history().InsertCommits(repo, commits), 3);
  EXPECT_EQ(*store->history().InsertCommits(repo, commits), 0);  // idempotent
  EXPECT_EQ(*store->history().CountCommits(repo), 3);
  auto shas = *store->history().LoadCommitShas(repo);
  std::sort(shas.begin(), shas.end());
  EXPECT_EQ(shas, (std::vector<std::string>{Sha('a'), Sha('b'), Sha('c')}));
  std::map<std::string, std::string> parents;
  std::map<std::string, common::UnixSeconds> author_times;
  ASSERT_TRUE(store->history()
                  .ForEachCommit(repo,
                                 [&](const CommitView& c) {
                                   parents[std::string(c.sha)] = std::string(c.parent_shas);
                                   author_times[std::string(c.sha)] = c.author_time;
                                   EXPECT_TRUE(c.message.starts_with("change "));
                                 })
                  .ok());
  EXPECT_EQ(parents[Sha('a')], "");
  EXPECT_EQ(parents[Sha('c')], Sha('b') + " " + Sha('a'));
  EXPECT_EQ(author_times[Sha('b')], 1940);
}

TEST_P(SqlStoreTest, RefsAreReplaced) {
  Store* store = store_.get();
  const auto repo = AddTestRepository(*store);
  std::vector<model::Ref> refs = {{"main", model::RefKind::kBranch, Sha('a'), std::nullopt},
                                  {"v1", model::RefKind::kTag, Sha('a'), 1234}};
  ASSERT_TRUE(store->history().ReplaceRefs(repo, refs).ok());
  EXPECT_EQ(*store->history().LoadRefs(repo), refs);
  refs.pop_back();
  ASSERT_TRUE(store->history().ReplaceRefs(repo, refs).ok());
  EXPECT_EQ(*store->history().LoadRefs(repo), refs);
}

TEST_P(SqlStoreTest, DeploymentsKeepIdsAndChangesWhileUnchanged) {
  Store* store = store_.get();
  const auto repo = AddTestRepository(*store);
  std::vector<model::Deployment> deployments = {MakeDeployment("tag:v2", 'b', 2000),
                                                MakeDeployment("tag:v1", 'a', 1000)};
  EXPECT_TRUE(*store->history().ReplaceDeployments(repo, deployments));
  auto stored = *store->history().LoadDeployments(repo);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].ref, "v1");  // ordered by time
  const auto v1_id = stored[0].id;
  EXPECT_EQ(*store->history().DeploymentChangesBasis(repo), "");
  ASSERT_TRUE(store->history()
                  .ReplaceDeploymentChanges(
                      repo, {{stored[0].id, Sha('a'), true}, {stored[1].id, Sha('b'), false}},
                      "lookback_s=60")
                  .ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM deployment_changes"), 2);
  EXPECT_EQ(*store->history().DeploymentChangesBasis(repo), "lookback_s=60");

  EXPECT_FALSE(*store->history().ReplaceDeployments(repo, deployments));  // nothing changed
  EXPECT_EQ(Count("SELECT COUNT(*) FROM deployment_changes"), 2);

  deployments[0].finished_at = 2500;  // v2 moved: replaced, its changes dropped
  EXPECT_TRUE(*store->history().ReplaceDeployments(repo, deployments));
  stored = *store->history().LoadDeployments(repo);
  EXPECT_EQ(stored[0].id, v1_id);
  EXPECT_EQ(stored[1].finished_at, 2500);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM deployment_changes"), 1);  // v1's change stays

  EXPECT_TRUE(*store->history().ReplaceDeployments(repo, {}));
  EXPECT_TRUE(store->history().LoadDeployments(repo)->empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM deployment_changes"), 0);
}

TEST_P(SqlStoreTest, ConnectionsAreUpsertedByNameWithTheirCheck) {
  Store* store = store_.get();
  model::Connection cloud;
  cloud.name = "bitbucket-cloud/acme";
  cloud.url = "https://api.bitbucket.org/2.0";
  cloud.workspace = "acme";
  cloud.username = "dev@example.com";
  cloud.sealed_secret = "v1:sealed";
  const auto id = *store->connections().UpsertConnection(cloud);
  model::Connection dc;
  dc.name = "bitbucket-dc/git.example.com";
  dc.provider = model::Provider::kBitbucketDataCenter;
  dc.auth = model::AuthMethod::kHttpAccessToken;
  dc.url = "https://git.example.com/bitbucket";
  dc.sealed_secret = "v1:other";
  ASSERT_TRUE(store->connections().UpsertConnection(dc).ok());

  cloud.auth = model::AuthMethod::kAccessToken;  // connecting again replaces, same id
  cloud.sealed_secret = "v1:new";
  EXPECT_EQ(*store->connections().UpsertConnection(cloud), id);
  ASSERT_TRUE(
      store->connections().RecordConnectionCheck(id, 1700000000, "ok: 3 repositories").ok());

  auto loaded = *store->connections().LoadConnections();
  ASSERT_EQ(loaded.size(), 2u);
  cloud.id = id;
  cloud.checked_at = 1700000000;
  cloud.check_outcome = "ok: 3 repositories";
  EXPECT_EQ(loaded[0], cloud);
  EXPECT_EQ(loaded[1].provider, model::Provider::kBitbucketDataCenter);
  EXPECT_EQ(loaded[1].auth, model::AuthMethod::kHttpAccessToken);
  EXPECT_FALSE(loaded[1].checked_at.has_value());
}

TEST_P(SqlStoreTest, ConnectedRepositoriesKeepTheirSelection) {
  Store* store = store_.get();
  model::Connection cloud;
  cloud.name = "bitbucket-cloud/acme";
  cloud.sealed_secret = "v1:x";
  const auto connection = *store->connections().UpsertConnection(cloud);
  AddTestRepository(*store);  // a local git repository: not listed with the connected ones
  model::Repository remote{.source = "bitbucket-cloud",
                           .location = "acme/api",
                           .name = "api",
                           .default_branch = "main",
                           .connection_id = connection,
                           .clone_url = "https://bitbucket.org/acme/api.git"};
  const auto id = *store->repositories().UpsertRepository(remote);
  ASSERT_TRUE(store->repositories().SetSelected(id, true).ok());
  remote.default_branch = "trunk";  // listed again: updated, still selected
  EXPECT_EQ(*store->repositories().UpsertRepository(remote), id);
  auto repos = *store->repositories().LoadConnectedRepositories();
  ASSERT_EQ(repos.size(), 1u);
  EXPECT_EQ(repos[0].location, "acme/api");
  EXPECT_EQ(repos[0].default_branch, "trunk");
  EXPECT_EQ(repos[0].connection_id, connection);
  EXPECT_TRUE(repos[0].selected);
  EXPECT_EQ(repos[0].clone_url, "https://bitbucket.org/acme/api.git");
  EXPECT_TRUE(repos[0].visible);
  ASSERT_TRUE(store->repositories().SetVisible(id, false).ok());
  EXPECT_FALSE((*store->repositories().LoadConnectedRepositories())[0].visible);
  EXPECT_EQ(*store->repositories().UpsertRepository(remote), id);  // listed again: visible again
  EXPECT_TRUE((*store->repositories().LoadConnectedRepositories())[0].visible);
  ASSERT_TRUE(store->repositories().SetSelected(id, false).ok());
  EXPECT_FALSE((*store->repositories().LoadConnectedRepositories())[0].selected);

  EXPECT_FALSE(repos[0].synced_at.has_value());
  EXPECT_EQ(repos[0].webhook_id, "");
  ASSERT_TRUE(store->repositories().SetSyncedAt(id, 1767225600).ok());
  ASSERT_TRUE(store->repositories().SetWebhookId(id, "{5c1a}").ok());
  EXPECT_EQ(*store->repositories().UpsertRepository(remote), id);  // a new listing keeps both
  repos = *store->repositories().LoadConnectedRepositories();
  EXPECT_EQ(repos[0].synced_at, 1767225600);
  EXPECT_EQ(repos[0].webhook_id, "{5c1a}");
}

TEST_P(SqlStoreTest, PullRequestsAreStoredOnceAndCountedWhenTheyChange) {
  Store* store = store_.get();
  const auto repo = AddTestRepository(*store);
  model::PullRequest pr;
  pr.number = 7;
  pr.title = "Add search";
  pr.state = model::PullRequestState::kMerged;
  pr.author = {"{64135f6a-3978-4297-99b1-21827e0faf0b}", "Ada"};
  pr.source_branch = "feature/search";
  pr.target_branch = "main";
  pr.source_commit = "2bfd29a17665";
  pr.merge_commit = "c0e12b61e44b";
  pr.created_at = 1000;
  pr.updated_at = 2000;
  pr.closed_by = "{64135f6a-3978-4297-99b1-21827e0faf0b}";
  pr.comment_count = 2;
  model::PullRequest open = pr;
  open.number = 8;
  open.state = model::PullRequestState::kOpen;
  open.merge_commit.reset();
  open.closed_by.reset();
  EXPECT_EQ(*store->pull_requests().UpsertPullRequests(repo, {pr, open}), 2);
  EXPECT_EQ(*store->pull_requests().UpsertPullRequests(repo, {pr, open}),
            0);  // the same again: nothing changed
  open.updated_at = 3000;
  open.comment_count = 3;
  EXPECT_EQ(*store->pull_requests().UpsertPullRequests(repo, {pr, open}), 1);
  auto loaded = *store->pull_requests().LoadPullRequests(repo);
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[0].merge_commit, "c0e12b61e44b");
  EXPECT_EQ(loaded[0].state, model::PullRequestState::kMerged);
  EXPECT_EQ(loaded[0].author.name, "Ada");
  EXPECT_EQ(loaded[1].comment_count, 3);
  EXPECT_FALSE(loaded[1].merge_commit.has_value());
  EXPECT_FALSE(loaded[0].size.has_value());

  // A size, once read from the mirror, stays through later upserts of the pull request.
  ASSERT_TRUE(
      store->pull_requests().SetPullRequestSizes(repo, {{7, model::DiffStats{3, 40, 12}}}).ok());
  pr.comment_count = 4;
  EXPECT_EQ(*store->pull_requests().UpsertPullRequests(repo, {pr}), 1);
  loaded = *store->pull_requests().LoadPullRequests(repo);
  EXPECT_EQ(loaded[0].size, (model::DiffStats{3, 40, 12}));
  EXPECT_FALSE(loaded[1].size.has_value());

  // Sizes go in statements of many; a number given twice ends with its last size, and a
  // number with no pull request changes nothing.
  std::vector<std::pair<std::int64_t, model::DiffStats>> sizes;
  for (int i = 0; i < 70; ++i) sizes.push_back({1000 + i, model::DiffStats{1, 1, 1}});
  sizes.push_back({7, model::DiffStats{9, 90, 9}});
  sizes.push_back({8, model::DiffStats{2, 20, 2}});
  sizes.push_back({7, model::DiffStats{5, 50, 5}});
  ASSERT_TRUE(store->pull_requests().SetPullRequestSizes(repo, sizes).ok());
  loaded = *store->pull_requests().LoadPullRequests(repo);
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[0].size, (model::DiffStats{5, 50, 5}));
  EXPECT_EQ(loaded[1].size, (model::DiffStats{2, 20, 2}));

  // So does what the host listed of a squashed branch's commits: some, or none (count 0).
  EXPECT_FALSE(loaded[0].branch_commits.has_value());
  ASSERT_TRUE(store->pull_requests()
                  .SetPullRequestBranchCommits(
                      repo, {{7, model::BranchCommits{3, 1'700'000'000, "ada@example.com"}},
                             {8, model::BranchCommits{}}})
                  .ok());
  pr.comment_count = 5;
  EXPECT_EQ(*store->pull_requests().UpsertPullRequests(repo, {pr}), 1);
  loaded = *store->pull_requests().LoadPullRequests(repo);
  EXPECT_EQ(loaded[0].branch_commits, (model::BranchCommits{3, 1'700'000'000, "ada@example.com"}));
  EXPECT_EQ(loaded[1].branch_commits, model::BranchCommits{});
}

TEST_P(SqlStoreTest, APullRequestTwiceInOneCallIsWrittenInOrder) {
  Store* store = store_.get();
  const auto repo = AddTestRepository(*store);
  // More than one statement's worth, one of them listed again after an update (pages by update
  // time list the newest of the last page again).
  std::vector<model::PullRequest> page;
  for (int number = 1; number <= 100; ++number) {
    model::PullRequest pr;
    pr.number = number;
    pr.title = "Change " + std::to_string(number);
    pr.state = model::PullRequestState::kOpen;
    pr.created_at = 1000;
    pr.updated_at = 2000;
    page.push_back(pr);
  }
  model::PullRequest updated = page[40];
  updated.updated_at = 3000;
  updated.state = model::PullRequestState::kMerged;
  page.insert(page.begin() + 50, updated);
  page.push_back(page[0]);  // unchanged: not counted
  EXPECT_EQ(*store->pull_requests().UpsertPullRequests(repo, page), 101);
  const auto loaded = *store->pull_requests().LoadPullRequests(repo);
  ASSERT_EQ(loaded.size(), 100u);
  EXPECT_EQ(loaded[40].updated_at, 3000);
  EXPECT_EQ(loaded[40].state, model::PullRequestState::kMerged);
  EXPECT_EQ(loaded[99].title, "Change 100");
}

TEST_P(SqlStoreTest, CursorsAreKeptPerRepositoryAndEntity) {
  Store* store = store_.get();
  const auto repo = AddTestRepository(*store);
  EXPECT_EQ(*store->cursors().LoadCursor(repo, "pull_requests"), "");
  ASSERT_TRUE(store->cursors().SaveCursor(repo, "pull_requests", "2024-01-01T00:00:00Z").ok());
  ASSERT_TRUE(store->cursors().SaveCursor(repo, "pull_requests", "2024-02-01T00:00:00Z").ok());
  EXPECT_EQ(*store->cursors().LoadCursor(repo, "pull_requests"), "2024-02-01T00:00:00Z");
  EXPECT_EQ(*store->cursors().LoadCursor(repo, "pipelines"), "");
}

TEST_P(SqlStoreTest, RolledBackTransactionLeavesNoTrace) {
  Store* store = store_.get();
  {
    auto transaction = store->Begin();
    ASSERT_TRUE(transaction.ok());
    const auto repo = AddTestRepository(*store);
    ASSERT_EQ(*store->history().InsertCommits(repo, {MakeCommit(Sha('a'), {}, 1)}), 1);
    // no Commit(): rolled back on scope exit
  }
  EXPECT_FALSE(store->repositories().FindRepository("git", "/src/app")->has_value());
  {
    auto transaction = store->Begin();
    ASSERT_TRUE(transaction.ok());
    AddTestRepository(*store);
    ASSERT_TRUE(transaction->Commit().ok());
  }
  EXPECT_TRUE(store->repositories().FindRepository("git", "/src/app")->has_value());
}

// A transaction moved on rolls back once, where it ends; one committed in parts keeps each part
// and rolls back only the part begun again and not committed.
TEST_P(SqlStoreTest, AMovedTransactionRollsBackWhereItEndsAndPartsCommittedStay) {
  Store* store = store_.get();
  {
    auto begun = store->Begin();
    ASSERT_TRUE(begun.ok());
    Transaction moved = std::move(begun).value();
    EXPECT_TRUE(moved.open());
    AddTestRepository(*store);
  }  // `begun`'s emptied transaction does nothing; `moved` rolls back
  EXPECT_FALSE(store->repositories().FindRepository("git", "/src/app")->has_value());
  {
    auto begun = store->Begin();
    ASSERT_TRUE(begun.ok());
    Transaction transaction = std::move(begun).value();
    const auto repo = AddTestRepository(*store);
    ASSERT_TRUE(transaction.Commit().ok());
    EXPECT_FALSE(transaction.open());
    ASSERT_TRUE(transaction.BeginAgain().ok());
    ASSERT_EQ(*store->history().InsertCommits(repo, {MakeCommit(Sha('a'), {}, 1)}), 1);
  }
  // Another transaction can begin: the part begun again was rolled back, not left open.
  auto next = store->Begin();
  ASSERT_TRUE(next.ok()) << next.status().message();
  const auto found = store->repositories().FindRepository("git", "/src/app");
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ(*store->history().CountCommits((*found)->id), 0);
}

LEADLINE_ON_EVERY_ENGINE(SqlStoreTest);

}  // namespace
}  // namespace leadline::store
