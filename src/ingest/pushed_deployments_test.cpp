#include "ingest/pushed_deployments.h"

#include <gtest/gtest.h>

#include "ingest/connected_store_test.h"

namespace leadline::ingest {
namespace {

using PushedDeploymentsTest = ConnectedStoreTest;

sources::PushedDeployment Pushed(const std::string& id, const std::string& repository,
                                 model::PlatformDeploymentStatus status) {
  sources::PushedDeployment pushed;
  pushed.repository = repository;
  pushed.deployment.provider = model::Provider::kPush;
  pushed.deployment.uuid = id;
  pushed.deployment.environment_name = "production";
  pushed.deployment.state = model::PlatformDeploymentState::kCompleted;
  pushed.deployment.status = status;
  pushed.deployment.commit_sha = "abcdef0";
  pushed.deployment.completed_at = 100;
  pushed.deployment.release_name = id;
  return pushed;
}

constexpr auto kSuccessful = model::PlatformDeploymentStatus::kSuccessful;
constexpr auto kFailed = model::PlatformDeploymentStatus::kFailed;

TEST_F(PushedDeploymentsTest, AScopedWriterNeverReachesAnotherRepositorysDeployment) {
  ASSERT_EQ(StorePushedDeployments(*store_, {Pushed("d1", "acme/web", kSuccessful)}, {})->changed,
            1u);
  const WriteScope api{{{cloud_api_, dc_api_}}};
  auto refused = StorePushedDeployments(*store_, {Pushed("d1", "acme/web", kFailed)}, api);
  EXPECT_EQ(refused.status().code(), common::StatusCode::kNotFound);
  EXPECT_EQ(refused.status().message(), "no repository 'acme/web'");
  // The same id in its own repository is its own deployment.
  EXPECT_EQ(StorePushedDeployments(*store_, {Pushed("d1", "acme/api", kFailed)}, api)->changed, 1u);
  const auto web = *store_->pipelines().LoadPlatformDeployments(cloud_web_);
  ASSERT_EQ(web.size(), 1u);
  EXPECT_EQ(web[0].status, kSuccessful);
  ASSERT_EQ(store_->pipelines().LoadPlatformDeployments(cloud_api_)->size(), 1u);
}

TEST_F(PushedDeploymentsTest, OfTwoRepositoriesAtOneLocationOnlyOneItMayWriteIsWritten) {
  const WriteScope dc{{{dc_api_}}};
  EXPECT_EQ(StorePushedDeployments(*store_, {Pushed("d1", "acme/api", kFailed)}, dc)->changed, 1u);
  EXPECT_EQ(store_->pipelines().LoadPlatformDeployments(dc_api_)->size(), 1u);
  EXPECT_TRUE(store_->pipelines().LoadPlatformDeployments(cloud_api_)->empty());
}

TEST_F(PushedDeploymentsTest, StoresNothingWhenOneRepositoryIsUnknown) {
  auto refused = StorePushedDeployments(
      *store_, {Pushed("d1", "acme/web", kFailed), Pushed("d2", "acme/none", kFailed)}, {});
  EXPECT_EQ(refused.status().message(), "no repository 'acme/none'");
  EXPECT_TRUE(store_->pipelines().LoadPlatformDeployments(cloud_web_)->empty());
}

}  // namespace
}  // namespace leadline::ingest
