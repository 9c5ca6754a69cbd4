#include "store/store_copy.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/open_connection.h"
#include "store/store.h"
#include "store/testing/postgres_server.h"

namespace leadline::store {
namespace {

// A SQLite store with a row or more in most tables, copied to a SQLite file or a PostgreSQL
// database.
class StoreCopyTest : public ::testing::TestWithParam<sql::Engine> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("leadline-copy-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    source_ = (dir_ / "old.db").string();
    if (GetParam() == sql::Engine::kPostgres) {
      testing::PostgresServer* server = testing::PostgresForTest();
      if (server == nullptr) GTEST_SKIP() << "PostgreSQL is not installed";
      destination_ = server->CreateDatabase();
    } else {
      destination_ = "sqlite:" + (dir_ / "new.db").string();
    }
    Fill();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void Fill() {
    auto store = std::move(OpenStore(source_)).value();
    model::Connection connection;
    connection.name = "bitbucket-cloud/acme";
    connection.url = "https://api.bitbucket.org/2.0";
    connection.workspace = "acme";
    connection.sealed_secret = "v1:sealed";
    connection.id = *store->connections().UpsertConnection(connection);
    ASSERT_TRUE(
        store->connections().RecordConnectionCheck(connection.id, 1'700'000'000, "ok").ok());
    model::Repository repo;
    repo.source = "bitbucket-cloud";
    repo.location = "acme/api";
    repo.name = "api";
    repo.connection_id = connection.id;
    repo_ = *store->repositories().UpsertRepository(repo);
    ASSERT_TRUE(store->repositories().SetSelected(repo_, true).ok());
    std::vector<model::Commit> commits;
    for (int i = 0; i < 150; ++i) {  // more than one statement's rows
      model::Commit c;
      c.sha = std::string(38, 'a') + std::to_string(10 + i);
      if (i > 0) c.parents = {commits.back().sha};
      c.author = {"Ada", "ada@example.com"};
      c.author_time = 1'700'000'000 + i * 60;
      c.committer = c.author;
      c.committer_time = c.author_time + 5;
      c.message = "change " + std::to_string(i) + "\n\nwith 'quotes', \"more\" and ü";
      commits.push_back(c);
    }
    ASSERT_EQ(*store->history().InsertCommits(repo_, commits), 150);
    model::Deployment d;
    d.natural_key = "tag:v1";
    d.source = "tag";
    d.ref = "v1";
    d.sha = commits.back().sha;
    d.finished_at = 1'700'100'000;
    ASSERT_TRUE(store->history().ReplaceDeployments(repo_, {d}).ok());
    const std::int64_t deployment = store->history().LoadDeployments(repo_)->at(0).id;
    ASSERT_TRUE(store->history()
                    .ReplaceDeploymentChanges(
                        repo_,
                        {{deployment, commits[0].sha, true}, {deployment, commits[1].sha, false}},
                        "lookback=90d")
                    .ok());
    model::PullRequest pr;
    pr.number = 7;
    pr.title = "Add things";
    pr.state = model::PullRequestState::kMerged;
    pr.created_at = 1'700'000'100;
    pr.updated_at = 1'700'000'200;
    pr.closed_at = 1'700'000'300;
    pr.draft = true;
    ASSERT_EQ(*store->pull_requests().UpsertPullRequests(repo_, {pr}), 1);
    ASSERT_TRUE(store->cursors().SaveCursor(repo_, "pull_requests", "2023-11-14T22:13:20Z").ok());
    model::Project project;
    project.name = "payments";
    project.repository_ids = {repo_};
    ASSERT_TRUE(store->access().SaveProject(project).ok());
    model::ApiToken token;
    token.name = "ci";
    token.secret_hash = "ab12";
    token.scopes = {"read", "write:events"};
    token.created_at = 1'700'000'000;
    token.expires_at = 1'800'000'000;
    ASSERT_TRUE(store->access().InsertApiToken(token).ok());
    ASSERT_TRUE(
        store->audit().AppendAudit({{1'700'000'500, "ci", "GET", "/v1/metrics", 200}}).ok());
    model::Incident incident;
    incident.source = "api";
    incident.id = "INC-1";
    incident.title = "Checkout down";
    incident.started_at = 1'700'200'000;
    ASSERT_EQ(*store->incidents().UpsertIncidents({incident}), 1);
    ASSERT_TRUE(
        store->incidents()
            .UpsertIncidentServices(connection.id, {{connection.id, "PSVC1", "Checkout", ""}})
            .ok());
    ASSERT_TRUE(*store->incidents().MapIncidentService(connection.id, "PSVC1", "acme/*"));
    ASSERT_TRUE(store->incidents().SaveIncidentCounts(connection.id, {"P1", "P2"}).ok());
    ASSERT_TRUE(store->incidents().SaveIncidentCursor(connection.id, "after 1700000000").ok());
    model::WebhookDelivery delivery;
    delivery.delivery_id = "d-1";
    delivery.connection_id = connection.id;
    delivery.event_key = "repo:push";
    delivery.received_at = 1'700'000'600;
    delivery.body = R"({"repository":{"full_name":"acme/api"}})";
    ASSERT_TRUE(*store->webhook_inbox().InsertDelivery(delivery));
    ASSERT_TRUE(*store->coordination().ClaimDueJob("reconcile", "server-1", 1'700'000'700,
                                                   1'700'000'760, 1'700'000'700));
    ASSERT_TRUE(
        store->feedback().EnableFeedback(repo_, FeedbackMode::kComment, 1'700'000'800).ok());
    ASSERT_TRUE(
        *store->feedback().EnqueueFeedback(repo_, 7, "merged", 1'700'000'800, 1'700'000'830));
    ASSERT_TRUE(store->change_events()
                    .EnableChangeEvents(connection.id, "PSVC1", "v1:sealed-key",
                                        "https://events.pagerduty.com", 1'700'000'900)
                    .ok());
    ASSERT_TRUE(*store->change_events().EnqueueChangeEvent(connection.id, "PSVC1", repo_, "tag:v1",
                                                           R"({"payload":{}})", 1'700'000'950));
    ASSERT_TRUE(store->analytics()
                    .SaveLookerConnection({"https://acme.cloud.looker.com", "looker-id",
                                           "v1:looker", 1'700'000'900, std::nullopt, ""})
                    .ok());
    ASSERT_TRUE(store->analytics().RecordLookerTrigger(1'700'000'950, "triggered m::d").ok());
  }

  std::filesystem::path dir_;
  std::string source_, destination_;
  std::int64_t repo_ = 0;
};

TEST_P(StoreCopyTest, EveryTableArrivesWhole) {
  auto copies = CopyStore(source_, destination_);
  ASSERT_TRUE(copies.ok()) << copies.status().message();
  ASSERT_EQ(copies->size(), 30u);
  for (const TableCopy& copy : *copies) {
    EXPECT_TRUE(copy.verified()) << copy.table;
    EXPECT_EQ(copy.copied_rows, copy.source_rows) << copy.table;
  }
  auto source = std::move(OpenStore(source_)).value();
  auto copied = std::move(OpenStore(destination_)).value();
  const auto prs = *copied->pull_requests().LoadPullRequests(repo_);
  ASSERT_EQ(prs.size(), 1u);
  EXPECT_EQ(prs[0].title, "Add things");
  EXPECT_EQ(prs[0].closed_at, 1'700'000'300);
  EXPECT_TRUE(prs[0].draft);
  EXPECT_EQ(*copied->history().LoadDeployments(repo_), *source->history().LoadDeployments(repo_));
  EXPECT_EQ(copied->connections().LoadConnections()->at(0).sealed_secret, "v1:sealed");
  EXPECT_EQ(copied->connections().LoadConnections()->at(0).checked_at, 1'700'000'000);
  EXPECT_EQ(*copied->incidents().LoadIncidents(), *source->incidents().LoadIncidents());
  EXPECT_EQ(*copied->history().CountCommits(repo_), 150);
  EXPECT_EQ(*copied->cursors().LoadCursor(repo_, "pull_requests"), "2023-11-14T22:13:20Z");
  EXPECT_EQ(copied->access().LoadApiTokens()->at(0).expires_at, 1'800'000'000);
  EXPECT_TRUE(copied->webhook_inbox().FindDelivery("d-1")->has_value());
  EXPECT_EQ(*copied->webhook_inbox().CountUnappliedDeliveries(),
            1);  // still waiting to be applied there
  const auto outbox = *copied->feedback().LoadFeedbackOutbox(10);
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].due_at, 1'700'000'830);
  EXPECT_EQ(copied->feedback().LoadFeedbackRepositories()->at(0).mode, FeedbackMode::kComment);
  ASSERT_EQ(copies->size(), 30u);
  // New rows get ids after the copied ones.
  model::ApiToken next;
  next.name = "next";
  next.secret_hash = "cd34";
  EXPECT_GT(*copied->access().InsertApiToken(next), copied->access().LoadApiTokens()->at(0).id);
}

TEST_P(StoreCopyTest, ARerunSkipsWhatIsEqualAndFinishesWhatWasCutShort) {
  ASSERT_TRUE(CopyStore(source_, destination_).ok());
  {  // as if the copy had stopped part-way through the commits
    auto destination = std::move(OpenConnection(*ParseStoreUrl(destination_))).value();
    ASSERT_TRUE(destination->Exec("DELETE FROM commits WHERE message LIKE 'change 1%'").ok());
  }
  auto again = CopyStore(source_, destination_);
  ASSERT_TRUE(again.ok()) << again.status().message();
  for (const TableCopy& copy : *again) {
    EXPECT_TRUE(copy.verified()) << copy.table;
    if (copy.table == "commits") {
      EXPECT_EQ(copy.copied_rows, 61);  // change 1, 10-19, 100-149
    } else {
      EXPECT_EQ(copy.copied_rows, 0) << copy.table;
    }
  }
}

TEST_P(StoreCopyTest, ADestinationHoldingOtherRowsIsReportedNotMerged) {
  ASSERT_TRUE(MigrateStore(destination_).ok());
  {
    auto destination = std::move(OpenStore(destination_)).value();
    model::Project project;
    project.name = "someone-elses";
    ASSERT_TRUE(destination->access().SaveProject(project).ok());
  }
  auto copies = CopyStore(source_, destination_);
  ASSERT_TRUE(copies.ok()) << copies.status().message();
  bool projects_differ = false;
  for (const TableCopy& copy : *copies) {
    if (copy.table == "projects") projects_differ = !copy.verified();
  }
  EXPECT_TRUE(projects_differ);
}

TEST(StoreCopy, BadStoresAreClearErrors) {
  EXPECT_FALSE(CopyStore("mysql://x/y", "sqlite:/tmp/x.db").ok());
  auto same = CopyStore("/tmp/leadline-same.db", "sqlite:/tmp/leadline-same.db");
  ASSERT_FALSE(same.ok());
  EXPECT_NE(same.status().message().find("same store"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreCopyTest,
                         ::testing::Values(sql::Engine::kSqlite, sql::Engine::kPostgres),
                         [](const ::testing::TestParamInfo<sql::Engine>& engine) {
                           return engine.param == sql::Engine::kPostgres ? "ToPostgres"
                                                                         : "ToSqlite";
                         });

}  // namespace
}  // namespace leadline::store
