#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "store/migrations.h"
#include "store/sql/temp_store_test.h"
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

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(SqliteStoreTest, MigratesFromEmptyAndRerunsAsNoOp) {
  {
    auto store = Open();
    EXPECT_EQ(*store->SchemaVersion(), SqliteMigrations().back().version);
    AddTestRepository(*store);
  }
  auto again = Open();  // re-running migrations keeps data and version
  EXPECT_EQ(*again->SchemaVersion(), SqliteMigrations().back().version);
  EXPECT_TRUE(again->repositories().FindRepository("git", "/src/app")->has_value());
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
  EXPECT_EQ(*store->SchemaVersion(), SqliteMigrations().back().version);
  auto repo = *store->repositories().FindRepository("git", "/src/app");
  ASSERT_TRUE(repo.has_value());
  EXPECT_EQ(repo->name, "app");
  EXPECT_TRUE(store->connections().LoadConnections()->empty());  // tables of later migrations exist
  EXPECT_TRUE(store->repositories().LoadConnectedRepositories()->empty());
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
  EXPECT_EQ(*store->SchemaVersion(), SqliteMigrations().back().version);
  const std::vector<model::Incident> kept = *store->incidents().LoadIncidents();
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
  EXPECT_EQ(*store->incidents().UpsertIncidents({pushed}), 1);
  EXPECT_EQ(*store->incidents().UpsertIncidents({pushed}), 0);
  EXPECT_EQ(store->incidents().LoadIncidents()->size(), 3u);
  EXPECT_EQ(*store->incidents().FindIncident("import", "INC-1"), kept[0]);
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
  EXPECT_EQ(*store->SchemaVersion(), SqliteMigrations().back().version);
  const auto kept = *store->pull_requests().LoadPullRequestActivity(1);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].kind, model::PullRequestActivityKind::kComment);
  EXPECT_EQ(kept[0].upstream_id, "");
  EXPECT_EQ(kept[1].new_state, model::PullRequestState::kMerged);
  // The activity is walked again, so that the comments the old key folded together are read.
  EXPECT_EQ(*store->cursors().LoadCursor(1, "pull_request_activity"), "");
  EXPECT_EQ(*store->cursors().LoadCursor(1, "pipelines"), "2026-01-01T00:00:00Z");

  // Read again with their ids, the three comments of that second replace the row that stood
  // for them; the update, which has no id, is stored once.
  std::vector<model::PullRequestActivity> read = {kept[1]};
  for (const char* id : {"501", "502", "503"}) {
    read.push_back(kept[0]);
    read.back().upstream_id = id;
  }
  EXPECT_EQ(*store->pull_requests().InsertPullRequestActivity(1, read), 3);
  const auto now = *store->pull_requests().LoadPullRequestActivity(1);
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
  EXPECT_EQ(*store->cursors().LoadCursor(1, "pull_requests"), "");
  EXPECT_EQ(*store->cursors().LoadCursor(1, "pipelines"), "42");
  std::vector<model::PullRequest> loaded = *store->pull_requests().LoadPullRequests(1);
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0].target_commit, "");
  // Read again unchanged but for its target commit: that is a change, and it is kept.
  model::PullRequest again = loaded[0];
  again.target_commit = "c0e12b61e44b";
  EXPECT_EQ(*store->pull_requests().UpsertPullRequests(1, {again}), 1);
  EXPECT_EQ(*store->pull_requests().UpsertPullRequests(1, {again}), 0);
  EXPECT_EQ(store->pull_requests().LoadPullRequests(1)->at(0).target_commit, "c0e12b61e44b");
}

TEST_F(SqliteStoreTest, ProvidersBecomeFieldsKeepingConnectionsRepositoriesAndDeployments) {
  {
    // A store of version 15: deployments CI pushed were kept as "push:<id>" beside Bitbucket's.
    std::unique_ptr<Database> db = OlderStore(15);
    ASSERT_TRUE(db->Exec("INSERT INTO connections (id, name, edition, url, auth_method, "
                         "sealed_secret) VALUES (1, 'bitbucket-dc/git.example.com', "
                         "'bitbucket-dc', 'https://git.example.com', 'http-access-token', 's')")
                    .ok());
    ASSERT_TRUE(db->Exec("INSERT INTO repositories (id, source, location, name, connection_id, "
                         "selected) VALUES (7, 'bitbucket-cloud', 'acme/api', 'api', 1, 1)")
                    .ok());
    ASSERT_TRUE(db->Exec("INSERT INTO platform_deployments (repo_id, uuid, state, commit_sha, "
                         "release_name) VALUES (7, '{d-1}', 'COMPLETED', 'abc', '#1'), (7, "
                         "'push:build-9', 'COMPLETED', 'def', 'deploy #9')")
                    .ok());
  }
  auto store = Open();
  EXPECT_EQ(*store->SchemaVersion(), SqliteMigrations().back().version);
  // Rebuilding the connections table (repositories refer to it) deleted nothing.
  const std::vector<model::Connection> connections = *store->connections().LoadConnections();
  ASSERT_EQ(connections.size(), 1u);
  EXPECT_EQ(connections[0].provider, model::Provider::kBitbucketDataCenter);
  const std::vector<model::Repository> repositories =
      *store->repositories().LoadConnectedRepositories();
  ASSERT_EQ(repositories.size(), 1u);
  EXPECT_EQ(repositories[0].connection_id, 1);
  const std::vector<model::PlatformDeployment> deployments =
      *store->pipelines().LoadPlatformDeployments(7);
  ASSERT_EQ(deployments.size(), 2u);
  std::map<std::string, model::Provider> by_id;
  for (const model::PlatformDeployment& d : deployments) by_id[d.uuid] = d.provider;
  EXPECT_EQ(by_id.at("{d-1}"), model::Provider::kBitbucketCloud);
  EXPECT_EQ(by_id.at("build-9"), model::Provider::kPush);
  // Deleting the connection still deletes its repositories: the references were kept.
  auto raw = Database::Open(path_);
  ASSERT_TRUE(raw.ok());
  ASSERT_TRUE((*raw)->Exec("DELETE FROM connections").ok());
  EXPECT_TRUE(store->repositories().LoadConnectedRepositories()->empty());
}

TEST_F(SqliteStoreTest, AConnectionOfAnUnknownProviderIsAnErrorNotAnotherProvider) {
  auto store = Open();
  model::Connection gitlab;
  gitlab.name = "gitlab/gitlab.example.com";
  gitlab.provider = model::Provider::kGitLab;
  gitlab.url = "https://gitlab.example.com";
  gitlab.auth = model::AuthMethod::kGitLabToken;
  gitlab.sealed_secret = "s";
  ASSERT_TRUE(store->connections().UpsertConnection(gitlab).ok());
  EXPECT_EQ(store->connections().LoadConnections()->at(0).provider, model::Provider::kGitLab);
  // The schema refuses a provider it does not know.
  auto raw = Database::Open(path_);
  ASSERT_TRUE(raw.ok());
  EXPECT_FALSE((*raw)->Exec("UPDATE connections SET provider = 'gitea'").ok());
}

}  // namespace
}  // namespace leadline::store::sqlite
