#include "ingest/bitbucket_pull_requests.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bitbucket_double/bitbucket_double.h"
#include "http/curl_http_client.h"
#include "http/testing_fakes.h"
#include "testing/git_script.h"

namespace leadline::ingest {
namespace {

using leadline::testing::BitbucketDouble;
using leadline::testing::BitbucketDoubleConfig;
using leadline::testing::TempDir;
using sources::bitbucket::ConnectionSettings;

class PullRequestSyncTest : public ::testing::Test {
 protected:
  PullRequestSyncTest() {
    config_.pull_requests_per_repo = 120;
    bitbucket_ = std::make_unique<BitbucketDouble>(config_);
    store_ = std::move(store::OpenStore(dir_.Child("leadline.db"))).value();
    repo_.source = "bitbucket-cloud";
    repo_.location = "acme/repo-1";
    repo_.name = "repo-1";
    repo_.id = *store_->UpsertRepository(repo_);
    settings_ = {model::Edition::kBitbucketCloud,
                 bitbucket_->cloud_api_url(),
                 "acme",
                 model::AuthMethod::kApiToken,
                 config_.email,
                 config_.api_token};
  }

  common::Result<PullRequestSyncResult> Sync() {
    return SyncCloudPullRequests(*store_, client_, settings_, repo_);
  }

  TempDir dir_;
  BitbucketDoubleConfig config_;
  std::unique_ptr<BitbucketDouble> bitbucket_;
  std::unique_ptr<store::Store> store_;
  model::Repository repo_;
  ConnectionSettings settings_;
  http::CurlHttpClient client_;
};

TEST_F(PullRequestSyncTest, BackfillsEveryStateOnceAndThenOnlyWhatChanged) {
  auto first = Sync();
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->pages, 3);  // 120 pull requests, 50 a page
  EXPECT_EQ(first->received, 120);
  EXPECT_EQ(first->changed, 120);
  const auto stored = *store_->LoadPullRequests(repo_.id);
  ASSERT_EQ(stored.size(), 120u);
  EXPECT_EQ(stored[2].state, model::PullRequestState::kMerged);    // #3: every third is merged
  EXPECT_EQ(stored[2].merge_commit->size(), 12u);                  // Cloud's abbreviated hash
  EXPECT_EQ(stored[4].state, model::PullRequestState::kDeclined);  // #5
  EXPECT_EQ(stored[0].state, model::PullRequestState::kOpen);
  // Pull request 120 was updated at 2026-01-01T00:00Z + 120 h + 30 min.
  EXPECT_EQ(*store_->LoadCursor(repo_.id, kPullRequestsCursor), "2026-01-06T00:30:00Z");

  const int before = bitbucket_->requests();
  auto again = Sync();
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(bitbucket_->requests() - before, 1);  // one page from the cursor
  EXPECT_EQ(again->received, 1);                  // the newest again (>=), unchanged
  EXPECT_EQ(again->changed, 0);
}

TEST_F(PullRequestSyncTest, AnInterruptedSyncContinuesFromItsLastPage) {
  bitbucket_->FailNext(1, 500, /*pass_first=*/1);  // the second page fails
  auto interrupted = Sync();
  ASSERT_FALSE(interrupted.ok());
  EXPECT_NE(interrupted.status().message().find("pull requests of acme/repo-1"), std::string::npos)
      << interrupted.status().message();
  EXPECT_EQ(store_->LoadPullRequests(repo_.id)->size(), 50u);  // the first page was kept
  // Pull request 50: updated 50 h 30 min after 2026-01-01.
  EXPECT_EQ(*store_->LoadCursor(repo_.id, kPullRequestsCursor), "2026-01-03T02:30:00Z");

  auto resumed = Sync();
  ASSERT_TRUE(resumed.ok()) << resumed.status().message();
  EXPECT_EQ(resumed->received, 71);  // 50 again (>=) and 51..120
  EXPECT_EQ(resumed->changed, 70);
  EXPECT_EQ(store_->LoadPullRequests(repo_.id)->size(), 120u);  // each once
}

TEST(PullRequestSyncPages, APageThatDoesNotParseWritesNothing) {
  TempDir dir;
  auto store = std::move(store::OpenStore(dir.Child("leadline.db"))).value();
  model::Repository repo{0, "bitbucket-cloud", "acme/api", "api", "main", 0, true};
  repo.id = *store->UpsertRepository(repo);
  const std::string url =
      "https://api.example/2.0/repositories/acme/api/pullrequests?state=OPEN&state=MERGED&state="
      "DECLINED&state=SUPERSEDED&pagelen=50&sort=updated_on";
  const nlohmann::json good = {
      {"id", 1},
      {"title", "ok"},
      {"state", "OPEN"},
      {"author", {{"uuid", "{u}"}, {"display_name", "A"}}},
      {"source", {{"branch", {{"name", "f"}}}, {"commit", {{"hash", "abcdef123456"}}}}},
      {"destination", {{"branch", {{"name", "main"}}}, {"commit", {{"hash", "0123456789ab"}}}}},
      {"merge_commit", nullptr},
      {"created_on", "2026-01-01T00:00:00+00:00"},
      {"updated_on", "2026-01-01T01:00:00+00:00"}};
  nlohmann::json bad = good;
  bad["id"] = 2;
  bad["state"] = "MAYBE";
  http::testing::ScriptedClient client;
  client.Answer(url, 200, nlohmann::json{{"values", {good, bad}}}.dump());
  const ConnectionSettings settings{model::Edition::kBitbucketCloud,
                                    "https://api.example/2.0",
                                    "acme",
                                    model::AuthMethod::kAccessToken,
                                    "",
                                    "t"};
  auto result = SyncCloudPullRequests(*store, client, settings, repo);
  ASSERT_FALSE(result.ok());
  const std::string& message = result.status().message();
  EXPECT_NE(message.find("acme/api"), std::string::npos) << message;
  EXPECT_NE(message.find("pull request 1 of https://api.example/2.0/repositories/acme/api"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("field 'state': unknown pull request state 'MAYBE'"), std::string::npos)
      << message;
  EXPECT_TRUE(store->LoadPullRequests(repo.id)->empty());
  EXPECT_EQ(*store->LoadCursor(repo.id, kPullRequestsCursor), "");
}

}  // namespace
}  // namespace leadline::ingest
