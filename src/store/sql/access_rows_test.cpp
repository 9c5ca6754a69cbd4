#include "store/sql/access_rows.h"

#include <gtest/gtest.h>

#include "store/sql/temp_store_test.h"

namespace leadline::store::sql {
namespace {

class AccessRowsTest : public TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    api_ = *store_->repositories().UpsertRepository(
        {0, "bitbucket-cloud", "acme/api", "api", "main", 0, false, ""});
    web_ = *store_->repositories().UpsertRepository(
        {0, "bitbucket-cloud", "acme/web", "web", "main", 0, false, ""});
  }
  std::int64_t api_ = 0, web_ = 0;
};

TEST_P(AccessRowsTest, ProjectsKeepTheirRepositoriesAndCanBeReplacedOrDeleted) {
  const std::int64_t payments = *store_->access().SaveProject({0, "payments", {api_, web_}});
  EXPECT_EQ(*store_->access().SaveProject({0, "empty", {}}) != payments, true);
  EXPECT_EQ(*store_->access().SaveProject({0, "payments", {web_}}),
            payments);  // same project, new set
  const auto projects = *store_->access().LoadProjects();
  ASSERT_EQ(projects.size(), 2u);
  EXPECT_EQ(projects[0].name, "empty");
  EXPECT_TRUE(projects[0].repository_ids.empty());
  EXPECT_EQ(projects[1].repository_ids, std::vector<std::int64_t>{web_});
  EXPECT_TRUE(*store_->access().DeleteProject("empty"));
  EXPECT_FALSE(*store_->access().DeleteProject("empty"));
  EXPECT_EQ(store_->access().LoadProjects()->size(), 1u);
}

TEST_P(AccessRowsTest, TokensAreStoredByHashAndRevokedByName) {
  model::ApiToken token;
  token.name = "ci-bot";
  token.secret_hash = std::string(64, 'a');
  token.scopes = {"read", "write:events"};
  token.projects = {"payments"};
  token.created_at = 100;
  token.expires_at = 200;
  const std::int64_t id = *store_->access().InsertApiToken(token);
  // A second live token of the same name is refused; after revocation the name is free again.
  model::ApiToken same_name = token;
  same_name.secret_hash = std::string(64, 'b');
  EXPECT_FALSE(store_->access().InsertApiToken(same_name).ok());
  ASSERT_TRUE(store_->access().TouchApiToken(id, 150).ok());
  EXPECT_TRUE(*store_->access().RevokeApiToken("ci-bot", 160));
  EXPECT_FALSE(*store_->access().RevokeApiToken("ci-bot", 170));  // already revoked
  EXPECT_TRUE(store_->access().InsertApiToken(same_name).ok());

  const auto tokens = *store_->access().LoadApiTokens();
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].scopes, (std::vector<std::string>{"read", "write:events"}));
  EXPECT_EQ(tokens[0].projects, std::vector<std::string>{"payments"});
  EXPECT_EQ(tokens[0].expires_at, 200);
  EXPECT_EQ(tokens[0].revoked_at, 160);
  EXPECT_EQ(tokens[0].last_used_at, 150);
  EXPECT_FALSE(tokens[1].revoked_at.has_value());
}

TEST_P(AccessRowsTest, AuditLogReadsNewestFirst) {
  ASSERT_TRUE(store_->audit()
                  .AppendAudit({{10, "ci-bot", "POST", "/v1/deployments", 202},
                                {11, "", "GET", "/v1/repositories", 401}})
                  .ok());
  const auto entries = *store_->audit().LoadAudit(10);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].status, 401);
  EXPECT_EQ(entries[1].token_name, "ci-bot");
  EXPECT_EQ(store_->audit().LoadAudit(1)->size(), 1u);
}

TEST_P(AccessRowsTest, RefusalCountsAddUpPerMinuteAddressAndReason) {
  ASSERT_TRUE(store_->audit()
                  .AddAuditRefusals({{600, "203.0.113.9", "no_token", 40, 401, "GET", "/v1/a"},
                                     {600, "203.0.113.9", "unknown_path", 2, 404, "GET", "/x"},
                                     {660, "198.51.100.7", "no_token", 1, 401, "POST", "/v1/b"}})
                  .ok());
  // The same minute, address and reason again: one row, its count summed, the last path kept.
  ASSERT_TRUE(store_->audit()
                  .AddAuditRefusals({{600, "203.0.113.9", "no_token", 5, 401, "POST", "/v1/c"}})
                  .ok());
  const auto counts = *store_->audit().LoadAuditRefusals(10);
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_EQ(counts[0].minute, 660);  // the latest minute first
  EXPECT_EQ(counts[0].client_address, "198.51.100.7");
  EXPECT_EQ(counts[1].reason, "no_token");  // then the largest count
  EXPECT_EQ(counts[1].count, 45);
  EXPECT_EQ(counts[1].method, "POST");
  EXPECT_EQ(counts[1].path, "/v1/c");
  EXPECT_EQ(counts[1].status, 401);
  EXPECT_EQ(counts[2].reason, "unknown_path");
  EXPECT_EQ(store_->audit().LoadAuditRefusals(1)->size(), 1u);
}

TEST_P(AccessRowsTest, PruningDropsOldEntriesAndCountsInBatchesAndKeepsNewerOnes) {
  // More old rows than one batch deletes, so that the batches must go on until none is left.
  std::vector<model::AuditEntry> entries;
  std::vector<model::AuditRefusal> refusals;
  for (int i = 0; i < 1200; ++i) {
    entries.push_back({1000 + i, "ci-bot", "GET", "/v1/repositories", 200});
    refusals.push_back({60 * i, "203.0.113.9", "no_token", 1, 401, "GET", "/v1/repositories"});
  }
  entries.push_back({100'000, "ci-bot", "GET", "/v1/metrics/dora", 200});
  refusals.push_back({100'020, "203.0.113.9", "no_token", 3, 401, "GET", "/v1/metrics/dora"});
  ASSERT_TRUE(store_->audit().AppendAudit(entries).ok());
  ASSERT_TRUE(store_->audit().AddAuditRefusals(refusals).ok());

  const auto pruned = store_->audit().PruneAudit(100'000);
  ASSERT_TRUE(pruned.ok()) << pruned.status().message();
  EXPECT_EQ(*pruned, 1200 + 1200);
  const auto kept = *store_->audit().LoadAudit(10);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].at, 100'000);
  const auto counts = *store_->audit().LoadAuditRefusals(10);
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].minute, 100'020);
  EXPECT_EQ(*store_->audit().PruneAudit(100'000), 0);  // nothing more to do
}

LEADLINE_ON_EVERY_ENGINE(AccessRowsTest);

}  // namespace
}  // namespace leadline::store::sql
