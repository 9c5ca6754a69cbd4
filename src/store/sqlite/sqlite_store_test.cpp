#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "store/migrations.h"
#include "store/sqlite/sqlite_db.h"

namespace leadline::store::sqlite {
namespace {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("leadline-store-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "leadline.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A store as an older release left it: migrations 1 to `version` applied and recorded.
  std::unique_ptr<Database> OlderStore(int version) {
    auto db = Database::Open(path_);
    EXPECT_TRUE(db.ok());
    EXPECT_TRUE((*db)
                    ->Exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                           "description TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT "
                           "CURRENT_TIMESTAMP)")
                    .ok());
    for (const Migration& migration : SqliteMigrations()) {
      if (migration.version > version) break;
      EXPECT_TRUE((*db)->Exec(migration.sql).ok()) << migration.version;
      EXPECT_TRUE((*db)
                      ->Exec("INSERT INTO schema_migrations (version, description) VALUES (" +
                             std::to_string(migration.version) + ", 'x')")
                      .ok());
    }
    return std::move(db).value();
  }

  std::unique_ptr<Store> Open() {
    auto store = OpenSqliteStore(path_);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return std::move(store).value();
  }

  std::int64_t AddRepo(Store& store) {
    model::Repository repo{.source = "git",
                           .location = "/src/app",
                           .name = "app",
                           .default_branch = "main",
                           .clone_url = ""};
    return *store.UpsertRepository(repo);
  }

  // Rows of deployment_changes, read through a second connection.
  std::int64_t CountChanges() {
    auto db = Database::Open(path_);
    auto stmt = (*db)->Prepare("SELECT COUNT(*) FROM deployment_changes");
    EXPECT_TRUE(stmt.ok() && *stmt->Step());
    return stmt->ColumnInt(0);
  }

  std::filesystem::path dir_;
  std::string path_;
};

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

TEST_F(SqliteStoreTest, MigratesFromEmptyAndRerunsAsNoOp) {
  {
    auto store = Open();
    EXPECT_EQ(*store->SchemaVersion(), static_cast<int>(SqliteMigrations().size()));
    AddRepo(*store);
  }
  auto again = Open();  // re-running migrations keeps data and version
  EXPECT_EQ(*again->SchemaVersion(), static_cast<int>(SqliteMigrations().size()));
  EXPECT_TRUE(again->FindRepository("git", "/src/app")->has_value());
}

TEST_F(SqliteStoreTest, UpgradesAnOlderStoreKeepingItsData) {
  {
    // A store as the first release wrote it: migration 1 only, with a repository in it.
    std::unique_ptr<Database> db = OlderStore(1);
    ASSERT_TRUE(db->Exec("INSERT INTO repositories (source, location, name) "
                         "VALUES ('git', '/src/app', 'app')")
                    .ok());
  }
  auto store = Open();
  EXPECT_EQ(*store->SchemaVersion(), static_cast<int>(SqliteMigrations().size()));
  auto repo = *store->FindRepository("git", "/src/app");
  ASSERT_TRUE(repo.has_value());
  EXPECT_EQ(repo->name, "app");
  EXPECT_TRUE(store->LoadConnections()->empty());  // tables of later migrations exist
  EXPECT_TRUE(store->LoadConnectedRepositories()->empty());
}

TEST_F(SqliteStoreTest, KeysIncidentsBySourceKeepingThoseStoredBefore) {
  {
    // A store of the migrations before incidents were keyed by source (13), where an incident
    // id was unique across sources.
    std::unique_ptr<Database> db = OlderStore(12);
    ASSERT_TRUE(db->Exec("INSERT INTO incidents VALUES ('INC-1', 'import', 'api', 'P1', 'Down', "
                         "100, 160, 'acme/api', '#12', '0123456789ab'), ('INC-2', 'api', '', "
                         "'P2', '', 200, NULL, 'acme/web', '', '')")
                    .ok());
  }
  auto store = Open();
  EXPECT_EQ(*store->SchemaVersion(), static_cast<int>(SqliteMigrations().size()));
  const std::vector<model::Incident> kept = *store->LoadIncidents();
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0], (model::Incident{.id = "INC-1",
                                      .source = "import",
                                      .service = "api",
                                      .severity = "P1",
                                      .title = "Down",
                                      .started_at = 100,
                                      .resolved_at = 160,
                                      .repository = "acme/api",
                                      .deployment = "#12",
                                      .commit = "0123456789ab"}));
  EXPECT_EQ(kept[1].source, "api");
  EXPECT_EQ(kept[1].repository, "acme/web");
  EXPECT_FALSE(kept[1].resolved_at.has_value());
  // The id another source used is free for this one; re-pushing updates in place.
  model::Incident pushed = kept[0];
  pushed.source = "api";
  EXPECT_EQ(*store->UpsertIncidents({pushed}), 1);
  EXPECT_EQ(*store->UpsertIncidents({pushed}), 0);
  EXPECT_EQ(store->LoadIncidents()->size(), 3u);
  EXPECT_EQ(*store->FindIncident("import", "INC-1"), kept[0]);
}

TEST_F(SqliteStoreTest, KeysActivityByTheHostsIdKeepingTheRowsStoredBefore) {
  {
    // A store of the migrations before activity was keyed by the host's id (15): one comment
    // row stands for the comments of its second, and the activity walk has a cursor.
    std::unique_ptr<Database> db = OlderStore(14);
    ASSERT_TRUE(db->Exec("INSERT INTO repositories (id, source, location, name) VALUES (1, "
                         "'bitbucket-cloud', 'acme/api', 'api'); INSERT INTO "
                         "pull_request_activity VALUES (1, 7, 100, 'comment', '{bob}', NULL), (1, "
                         "7, 300, 'update', '{ann}', 'MERGED'); INSERT INTO sync_cursors VALUES "
                         "(1, 'pull_request_activity', '2026-01-01T00:00:00Z'), (1, "
                         "'pipelines', '2026-01-01T00:00:00Z')")
                    .ok());
  }
  auto store = Open();
  EXPECT_EQ(*store->SchemaVersion(), static_cast<int>(SqliteMigrations().size()));
  const auto kept = *store->LoadPullRequestActivity(1);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].kind, model::PullRequestActivityKind::kComment);
  EXPECT_EQ(kept[0].upstream_id, "");
  EXPECT_EQ(kept[1].new_state, model::PullRequestState::kMerged);
  // The activity is walked again, so that the comments the old key folded together are read.
  EXPECT_EQ(*store->LoadCursor(1, "pull_request_activity"), "");
  EXPECT_EQ(*store->LoadCursor(1, "pipelines"), "2026-01-01T00:00:00Z");

  // Read again with their ids, the three comments of that second replace the row that stood
  // for them; the update, which has no id, is stored once.
  std::vector<model::PullRequestActivity> read = {kept[1]};
  for (const char* id : {"501", "502", "503"}) {
    read.push_back(kept[0]);
    read.back().upstream_id = id;
  }
  EXPECT_EQ(*store->InsertPullRequestActivity(1, read), 3);
  const auto now = *store->LoadPullRequestActivity(1);
  ASSERT_EQ(now.size(), 4u);
  EXPECT_EQ(now[0].upstream_id, "501");
  EXPECT_EQ(now[2].upstream_id, "503");
  EXPECT_EQ(now[3].kind, model::PullRequestActivityKind::kUpdate);
}

TEST_F(SqliteStoreTest, UsesWalMode) {
  Open();
  auto db = Database::Open(path_);
  ASSERT_TRUE(db.ok());
  auto stmt = (*db)->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(stmt.ok());
  ASSERT_TRUE(*stmt->Step());
  EXPECT_EQ(stmt->ColumnText(0), "wal");
}

TEST_F(SqliteStoreTest, RefusesASchemaNewerThanItKnows) {
  Open();
  {
    auto db = Database::Open(path_);
    ASSERT_TRUE(
        (*db)->Exec("INSERT INTO schema_migrations (version, description) VALUES (999, 'x')").ok());
  }
  auto store = OpenSqliteStore(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("schema version 999"), std::string::npos);
  EXPECT_NE(store.status().message().find("upgrade Leadline"), std::string::npos);
}

TEST_F(SqliteStoreTest, UnwritableLocationIsAClearError) {
  auto store = OpenSqliteStore("/nonexistent-dir/leadline.db");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("/nonexistent-dir/leadline.db"), std::string::npos);
}

TEST_F(SqliteStoreTest, RepositoryUpsertKeepsItsId) {
  auto store = Open();
  const auto id = AddRepo(*store);
  model::Repository renamed{.source = "git",
                            .location = "/src/app",
                            .name = "app2",
                            .default_branch = "trunk",
                            .clone_url = ""};
  EXPECT_EQ(*store->UpsertRepository(renamed), id);
  auto found = *store->FindRepository("git", "/src/app");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "app2");
  EXPECT_EQ(found->default_branch, "trunk");
  EXPECT_FALSE(store->FindRepository("git", "/elsewhere")->has_value());
}

TEST_F(SqliteStoreTest, CommitsAreStoredOnceAndStreamBack) {
  auto store = Open();
  const auto repo = AddRepo(*store);
  std::vector<model::Commit> commits = {MakeCommit(Sha('a'), {}, 1000),
                                        MakeCommit(Sha('b'), {Sha('a')}, 2000),
                                        MakeCommit(Sha('c'), {Sha('b'), Sha('a')}, 3000)};
  EXPECT_EQ(*store->InsertCommits(repo, commits), 3);
  EXPECT_EQ(*store->InsertCommits(repo, commits), 0);  // idempotent
  EXPECT_EQ(*store->CountCommits(repo), 3);
  auto shas = *store->LoadCommitShas(repo);
  std::sort(shas.begin(), shas.end());
  EXPECT_EQ(shas, (std::vector<std::string>{Sha('a'), Sha('b'), Sha('c')}));
  std::map<std::string, std::string> parents;
  std::map<std::string, common::UnixSeconds> author_times;
  ASSERT_TRUE(store
                  ->ForEachCommit(repo,
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

TEST_F(SqliteStoreTest, RefsAreReplaced) {
  auto store = Open();
  const auto repo = AddRepo(*store);
  std::vector<model::Ref> refs = {{"main", model::RefKind::kBranch, Sha('a'), std::nullopt},
                                  {"v1", model::RefKind::kTag, Sha('a'), 1234}};
  ASSERT_TRUE(store->ReplaceRefs(repo, refs).ok());
  EXPECT_EQ(*store->LoadRefs(repo), refs);
  refs.pop_back();
  ASSERT_TRUE(store->ReplaceRefs(repo, refs).ok());
  EXPECT_EQ(*store->LoadRefs(repo), refs);
}

TEST_F(SqliteStoreTest, DeploymentsKeepIdsAndChangesWhileUnchanged) {
  auto store = Open();
  const auto repo = AddRepo(*store);
  std::vector<model::Deployment> deployments = {MakeDeployment("tag:v2", 'b', 2000),
                                                MakeDeployment("tag:v1", 'a', 1000)};
  EXPECT_TRUE(*store->ReplaceDeployments(repo, deployments));
  auto stored = *store->LoadDeployments(repo);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].ref, "v1");  // ordered by time
  const auto v1_id = stored[0].id;
  EXPECT_EQ(*store->DeploymentChangesBasis(repo), "");
  ASSERT_TRUE(store
                  ->ReplaceDeploymentChanges(
                      repo, {{stored[0].id, Sha('a'), true}, {stored[1].id, Sha('b'), false}},
                      "lookback_s=60")
                  .ok());
  EXPECT_EQ(CountChanges(), 2);
  EXPECT_EQ(*store->DeploymentChangesBasis(repo), "lookback_s=60");

  EXPECT_FALSE(*store->ReplaceDeployments(repo, deployments));  // nothing changed
  EXPECT_EQ(CountChanges(), 2);

  deployments[0].finished_at = 2500;  // v2 moved: replaced, its changes dropped
  EXPECT_TRUE(*store->ReplaceDeployments(repo, deployments));
  stored = *store->LoadDeployments(repo);
  EXPECT_EQ(stored[0].id, v1_id);
  EXPECT_EQ(stored[1].finished_at, 2500);
  EXPECT_EQ(CountChanges(), 1);  // v1's change stays

  EXPECT_TRUE(*store->ReplaceDeployments(repo, {}));
  EXPECT_TRUE(store->LoadDeployments(repo)->empty());
  EXPECT_EQ(CountChanges(), 0);
}

TEST_F(SqliteStoreTest, ConnectionsAreUpsertedByNameWithTheirCheck) {
  auto store = Open();
  model::Connection cloud;
  cloud.name = "bitbucket-cloud/acme";
  cloud.url = "https://api.bitbucket.org/2.0";
  cloud.workspace = "acme";
  cloud.username = "dev@example.com";
  cloud.sealed_secret = "v1:sealed";
  const auto id = *store->UpsertConnection(cloud);
  model::Connection dc;
  dc.name = "bitbucket-dc/git.example.com";
  dc.edition = model::Edition::kBitbucketDataCenter;
  dc.auth = model::AuthMethod::kHttpAccessToken;
  dc.url = "https://git.example.com/bitbucket";
  dc.sealed_secret = "v1:other";
  ASSERT_TRUE(store->UpsertConnection(dc).ok());

  cloud.auth = model::AuthMethod::kAccessToken;  // connecting again replaces, same id
  cloud.sealed_secret = "v1:new";
  EXPECT_EQ(*store->UpsertConnection(cloud), id);
  ASSERT_TRUE(store->RecordConnectionCheck(id, 1700000000, "ok: 3 repositories").ok());

  auto loaded = *store->LoadConnections();
  ASSERT_EQ(loaded.size(), 2u);
  cloud.id = id;
  cloud.checked_at = 1700000000;
  cloud.check_outcome = "ok: 3 repositories";
  EXPECT_EQ(loaded[0], cloud);
  EXPECT_EQ(loaded[1].edition, model::Edition::kBitbucketDataCenter);
  EXPECT_EQ(loaded[1].auth, model::AuthMethod::kHttpAccessToken);
  EXPECT_FALSE(loaded[1].checked_at.has_value());
}

TEST_F(SqliteStoreTest, ConnectedRepositoriesKeepTheirSelection) {
  auto store = Open();
  model::Connection cloud;
  cloud.name = "bitbucket-cloud/acme";
  cloud.sealed_secret = "v1:x";
  const auto connection = *store->UpsertConnection(cloud);
  AddRepo(*store);  // a local git repository: not listed with the connected ones
  model::Repository remote{.source = "bitbucket-cloud",
                           .location = "acme/api",
                           .name = "api",
                           .default_branch = "main",
                           .connection_id = connection,
                           .clone_url = "https://bitbucket.org/acme/api.git"};
  const auto id = *store->UpsertRepository(remote);
  ASSERT_TRUE(store->SetSelected(id, true).ok());
  remote.default_branch = "trunk";  // listed again: updated, still selected
  EXPECT_EQ(*store->UpsertRepository(remote), id);
  auto repos = *store->LoadConnectedRepositories();
  ASSERT_EQ(repos.size(), 1u);
  EXPECT_EQ(repos[0].location, "acme/api");
  EXPECT_EQ(repos[0].default_branch, "trunk");
  EXPECT_EQ(repos[0].connection_id, connection);
  EXPECT_TRUE(repos[0].selected);
  EXPECT_EQ(repos[0].clone_url, "https://bitbucket.org/acme/api.git");
  EXPECT_TRUE(repos[0].visible);
  ASSERT_TRUE(store->SetVisible(id, false).ok());
  EXPECT_FALSE((*store->LoadConnectedRepositories())[0].visible);
  EXPECT_EQ(*store->UpsertRepository(remote), id);  // listed again: visible again
  EXPECT_TRUE((*store->LoadConnectedRepositories())[0].visible);
  ASSERT_TRUE(store->SetSelected(id, false).ok());
  EXPECT_FALSE((*store->LoadConnectedRepositories())[0].selected);

  EXPECT_FALSE(repos[0].synced_at.has_value());
  EXPECT_EQ(repos[0].webhook_id, "");
  ASSERT_TRUE(store->SetSyncedAt(id, 1767225600).ok());
  ASSERT_TRUE(store->SetWebhookId(id, "{5c1a}").ok());
  EXPECT_EQ(*store->UpsertRepository(remote), id);  // a new listing keeps both
  repos = *store->LoadConnectedRepositories();
  EXPECT_EQ(repos[0].synced_at, 1767225600);
  EXPECT_EQ(repos[0].webhook_id, "{5c1a}");
}

TEST_F(SqliteStoreTest, PullRequestsAreStoredOnceAndCountedWhenTheyChange) {
  auto store = Open();
  const auto repo = AddRepo(*store);
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
  EXPECT_EQ(*store->UpsertPullRequests(repo, {pr, open}), 2);
  EXPECT_EQ(*store->UpsertPullRequests(repo, {pr, open}), 0);  // the same again: nothing changed
  open.updated_at = 3000;
  open.comment_count = 3;
  EXPECT_EQ(*store->UpsertPullRequests(repo, {pr, open}), 1);
  auto loaded = *store->LoadPullRequests(repo);
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[0].merge_commit, "c0e12b61e44b");
  EXPECT_EQ(loaded[0].state, model::PullRequestState::kMerged);
  EXPECT_EQ(loaded[0].author.name, "Ada");
  EXPECT_EQ(loaded[1].comment_count, 3);
  EXPECT_FALSE(loaded[1].merge_commit.has_value());
  EXPECT_FALSE(loaded[0].size.has_value());

  // A size, once read from the mirror, stays through later upserts of the pull request.
  ASSERT_TRUE(store->SetPullRequestSizes(repo, {{7, model::DiffStats{3, 40, 12}}}).ok());
  pr.comment_count = 4;
  EXPECT_EQ(*store->UpsertPullRequests(repo, {pr}), 1);
  loaded = *store->LoadPullRequests(repo);
  EXPECT_EQ(loaded[0].size, (model::DiffStats{3, 40, 12}));
  EXPECT_FALSE(loaded[1].size.has_value());
}

TEST_F(SqliteStoreTest, PullRequestsSyncedBeforeTheTargetCommitWasReadAreReadAgain) {
  {
    // A store from before the target commit was kept (13), with a merged pull request and the
    // pull request cursor of its last sync.
    std::unique_ptr<Database> db = OlderStore(13);
    ASSERT_TRUE(db->Exec("INSERT INTO repositories (id, source, location, name) VALUES "
                         "(1, 'bitbucket-cloud', 'acme/api', 'api')")
                    .ok());
    ASSERT_TRUE(db->Exec("INSERT INTO pull_requests (repo_id, number, title, state, author_id, "
                         "author_name, source_branch, target_branch, source_commit, "
                         "merge_commit, created_at, updated_at, comment_count, draft) VALUES "
                         "(1, 7, 'Add search', 'MERGED', '{a}', 'Ada', 'feature/search', "
                         "'main', '2bfd29a17665', '2bfd29a17665', 1000, 2000, 0, 0)")
                    .ok());
    ASSERT_TRUE(db->Exec("INSERT INTO sync_cursors VALUES (1, 'pull_requests', "
                         "'2024-03-01T00:00:00Z'), (1, 'pipelines', '42')")
                    .ok());
  }
  auto store = Open();
  // The next sync starts the pull requests over (from its --since), other cursors stay.
  EXPECT_EQ(*store->LoadCursor(1, "pull_requests"), "");
  EXPECT_EQ(*store->LoadCursor(1, "pipelines"), "42");
  std::vector<model::PullRequest> loaded = *store->LoadPullRequests(1);
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0].target_commit, "");
  // Read again unchanged but for its target commit: that is a change, and it is kept.
  model::PullRequest again = loaded[0];
  again.target_commit = "c0e12b61e44b";
  EXPECT_EQ(*store->UpsertPullRequests(1, {again}), 1);
  EXPECT_EQ(*store->UpsertPullRequests(1, {again}), 0);
  EXPECT_EQ(store->LoadPullRequests(1)->at(0).target_commit, "c0e12b61e44b");
}

TEST_F(SqliteStoreTest, CursorsAreKeptPerRepositoryAndEntity) {
  auto store = Open();
  const auto repo = AddRepo(*store);
  EXPECT_EQ(*store->LoadCursor(repo, "pull_requests"), "");
  ASSERT_TRUE(store->SaveCursor(repo, "pull_requests", "2024-01-01T00:00:00Z").ok());
  ASSERT_TRUE(store->SaveCursor(repo, "pull_requests", "2024-02-01T00:00:00Z").ok());
  EXPECT_EQ(*store->LoadCursor(repo, "pull_requests"), "2024-02-01T00:00:00Z");
  EXPECT_EQ(*store->LoadCursor(repo, "pipelines"), "");
}

TEST_F(SqliteStoreTest, RolledBackTransactionLeavesNoTrace) {
  auto store = Open();
  {
    Transaction transaction(*store);
    ASSERT_TRUE(transaction.Begin().ok());
    const auto repo = AddRepo(*store);
    ASSERT_EQ(*store->InsertCommits(repo, {MakeCommit(Sha('a'), {}, 1)}), 1);
    // no Commit(): rolled back on scope exit
  }
  EXPECT_FALSE(store->FindRepository("git", "/src/app")->has_value());
  {
    Transaction transaction(*store);
    ASSERT_TRUE(transaction.Begin().ok());
    AddRepo(*store);
    ASSERT_TRUE(transaction.Commit().ok());
  }
  EXPECT_TRUE(store->FindRepository("git", "/src/app")->has_value());
}

TEST(OpenStore, PostgresUrlIsExplainedNotCreatedAsAFile) {
  auto store = OpenStore("postgres://localhost/leadline");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("PostgreSQL"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists("postgres://localhost/leadline"));
}

}  // namespace
}  // namespace leadline::store::sqlite
