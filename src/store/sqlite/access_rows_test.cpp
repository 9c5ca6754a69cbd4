#include "store/sqlite/access_rows.h"

#include <gtest/gtest.h>

#include "store/sqlite/temp_store_test.h"

namespace leadline::store::sqlite {
namespace {

class AccessRowsTest : public TempStoreTest {
 protected:
  void SetUp() override {
    TempStoreTest::SetUp();
    api_ =
        *store_->UpsertRepository({0, "bitbucket-cloud", "acme/api", "api", "main", 0, false, ""});
    web_ =
        *store_->UpsertRepository({0, "bitbucket-cloud", "acme/web", "web", "main", 0, false, ""});
  }
  std::int64_t api_ = 0, web_ = 0;
};

TEST_F(AccessRowsTest, ProjectsKeepTheirRepositoriesAndCanBeReplacedOrDeleted) {
  const std::int64_t payments = *store_->SaveProject({0, "payments", {api_, web_}});
  EXPECT_EQ(*store_->SaveProject({0, "empty", {}}) != payments, true);
  EXPECT_EQ(*store_->SaveProject({0, "payments", {web_}}), payments);  // same project, new set
  const auto projects = *store_->LoadProjects();
  ASSERT_EQ(projects.size(), 2u);
  EXPECT_EQ(projects[0].name, "empty");
  EXPECT_TRUE(projects[0].repository_ids.empty());
  EXPECT_EQ(projects[1].repository_ids, std::vector<std::int64_t>{web_});
  EXPECT_TRUE(*store_->DeleteProject("empty"));
  EXPECT_FALSE(*store_->DeleteProject("empty"));
  EXPECT_EQ(store_->LoadProjects()->size(), 1u);
}

TEST_F(AccessRowsTest, TokensAreStoredByHashAndRevokedByName) {
  model::ApiToken token;
  token.name = "ci-bot";
  token.secret_hash = std::string(64, 'a');
  token.scopes = {"read", "write:events"};
  token.projects = {"payments"};
  token.created_at = 100;
  token.expires_at = 200;
  const std::int64_t id = *store_->InsertApiToken(token);
  // A second live token of the same name is refused; after revocation the name is free again.
  model::ApiToken same_name = token;
  same_name.secret_hash = std::string(64, 'b');
  EXPECT_FALSE(store_->InsertApiToken(same_name).ok());
  ASSERT_TRUE(store_->TouchApiToken(id, 150).ok());
  EXPECT_TRUE(*store_->RevokeApiToken("ci-bot", 160));
  EXPECT_FALSE(*store_->RevokeApiToken("ci-bot", 170));  // already revoked
  EXPECT_TRUE(store_->InsertApiToken(same_name).ok());

  const auto tokens = *store_->LoadApiTokens();
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].scopes, (std::vector<std::string>{"read", "write:events"}));
  EXPECT_EQ(tokens[0].projects, std::vector<std::string>{"payments"});
  EXPECT_EQ(tokens[0].expires_at, 200);
  EXPECT_EQ(tokens[0].revoked_at, 160);
  EXPECT_EQ(tokens[0].last_used_at, 150);
  EXPECT_FALSE(tokens[1].revoked_at.has_value());
}

TEST_F(AccessRowsTest, AuditLogReadsNewestFirst) {
  ASSERT_TRUE(store_
                  ->AppendAudit({{10, "ci-bot", "POST", "/v1/deployments", 202},
                                 {11, "", "GET", "/v1/repositories", 401}})
                  .ok());
  const auto entries = *store_->LoadAudit(10);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].status, 401);
  EXPECT_EQ(entries[1].token_name, "ci-bot");
  EXPECT_EQ(store_->LoadAudit(1)->size(), 1u);
}

}  // namespace
}  // namespace leadline::store::sqlite
