#include "sources/bitbucket/connection_check.h"

#include <gtest/gtest.h>

#include "bitbucket_double/bitbucket_double.h"
#include "http/curl_http_client.h"
#include "http/retrying_http_client.h"
#include "http/testing_fakes.h"

namespace leadline::sources::bitbucket {
namespace {

using leadline::testing::BitbucketDouble;
using leadline::testing::BitbucketDoubleConfig;

ConnectionSettings Cloud(const BitbucketDouble& bitbucket, AuthMethod auth,
                         const std::string& username, const std::string& secret,
                         const std::string& workspace = "acme") {
  return {Provider::kBitbucketCloud, bitbucket.cloud_api_url(), workspace, auth, username, secret};
}

ConnectionSettings DataCenter(const std::string& url, const std::string& token) {
  return {Provider::kBitbucketDataCenter, url, "", AuthMethod::kHttpAccessToken, "", token};
}

// Checks through the real libcurl client.
common::Result<CheckResult> Check(const ConnectionSettings& settings) {
  http::CurlHttpClient client;
  return CheckConnection(client, settings);
}

void ExpectError(const common::Result<CheckResult>& result, common::StatusCode code,
                 const std::string& words) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), code) << result.status().message();
  EXPECT_NE(result.status().message().find(words), std::string::npos) << result.status().message();
}

TEST(CloudCheck, ApiTokenNamesTheUserAndCountsRepositories) {
  BitbucketDoubleConfig config;
  config.repositories = 250;  // more than one page: the count comes from `size`
  BitbucketDouble bitbucket(config);
  auto result = Check(Cloud(bitbucket, AuthMethod::kApiToken, config.email, config.api_token));
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->user, "Dev Eloper (devnick)");
  EXPECT_EQ(result->repositories, 250);
}

TEST(CloudCheck, WithoutSizeTheRepositoriesAreCountedPageByPage) {
  BitbucketDoubleConfig config;
  config.repositories = 250;
  config.cloud_sends_size = false;
  BitbucketDouble bitbucket(config);
  auto result = Check(Cloud(bitbucket, AuthMethod::kApiToken, config.email, config.api_token));
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->repositories, 250);
  // /user, the first page, then pages 1..3 of 100 counted through `next`.
  EXPECT_EQ(bitbucket.requests(), 5);
}

TEST(CloudCheck, AccessTokenSkipsTheUserEndpoint) {
  BitbucketDouble bitbucket;
  auto result = Check(Cloud(bitbucket, AuthMethod::kAccessToken, "", "cloud-access-token"));
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->user, "access token");
  EXPECT_EQ(result->repositories, 3);
}

TEST(CloudCheck, WrongTokenOrNicknameExplainsTheEmailRule) {
  BitbucketDouble bitbucket;
  ExpectError(Check(Cloud(bitbucket, AuthMethod::kApiToken, "dev@example.com", "wrong")),
              common::StatusCode::kUnauthenticated, "must be the e-mail, not the");
  ExpectError(Check(Cloud(bitbucket, AuthMethod::kApiToken, "devnick", "cloud-api-token")),
              common::StatusCode::kUnauthenticated,
              "'devnick' is not the Atlassian account e-mail");
  ExpectError(Check(Cloud(bitbucket, AuthMethod::kAccessToken, "", "revoked")),
              common::StatusCode::kUnauthenticated, "access token is wrong, expired or revoked");
}

TEST(CloudCheck, AppPasswordsAreExplainedAsSwitchedOff) {
  BitbucketDouble bitbucket;
  ExpectError(Check(Cloud(bitbucket, AuthMethod::kAppPassword, "devnick", "app-password")),
              common::StatusCode::kUnauthenticated, "switched app passwords off on 2026-06-09");
}

TEST(CloudCheck, MissingScopeIsNamed) {
  BitbucketDoubleConfig config;
  config.granted_scopes = {"read:user:bitbucket"};
  BitbucketDouble bitbucket(config);
  ExpectError(Check(Cloud(bitbucket, AuthMethod::kApiToken, config.email, config.api_token)),
              common::StatusCode::kPermissionDenied, "lacks the scope read:repository:bitbucket");
}

TEST(CloudCheck, UnknownWorkspaceIsNamed) {
  BitbucketDouble bitbucket;
  ExpectError(
      Check(Cloud(bitbucket, AuthMethod::kApiToken, "dev@example.com", "cloud-api-token", "nope")),
      common::StatusCode::kNotFound, "is the workspace 'nope' right");
}

TEST(CloudCheck, RateLimitStormsAreWaitedOut) {
  BitbucketDouble bitbucket;
  bitbucket.FailNext(3, 429);
  http::CurlHttpClient curl;
  http::testing::FakeClock clock;  // retries wait on the fake clock, not for real
  http::RetryingHttpClient client(curl, {}, 1000, clock);
  auto result = CheckConnection(
      client, Cloud(bitbucket, AuthMethod::kApiToken, "dev@example.com", "cloud-api-token"));
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(client.counts().rate_limited, 3u);
  EXPECT_EQ(bitbucket.requests(), 5);  // 3 refused, /user, the repositories' first page
}

TEST(DataCenterCheck, TokenNamesTheUserAndPagesThroughRepositories) {
  BitbucketDoubleConfig config;
  config.repositories = 1500;  // two pages of 1000
  BitbucketDouble bitbucket(config);
  auto result = Check(DataCenter(bitbucket.dc_url(), config.dc_token));
  ASSERT_TRUE(result.ok()) << result.status().message();
  EXPECT_EQ(result->user, "dc-user");
  EXPECT_EQ(result->repositories, 1500);
  EXPECT_EQ(result->server_version, "9.2.3");
}

TEST(DataCenterCheck, WrongTokenIsExplained) {
  BitbucketDouble bitbucket;
  ExpectError(Check(DataCenter(bitbucket.dc_url(), "wrong")), common::StatusCode::kUnauthenticated,
              "HTTP access token is wrong");
}

TEST(DataCenterCheck, WrongBaseUrlsGetTheRightOneSuggested) {
  BitbucketDoubleConfig config;
  config.dc_context_path = "/bitbucket";
  BitbucketDouble bitbucket(config);
  const std::string right = bitbucket.dc_url();
  const std::string host = right.substr(0, right.size() - std::string("/bitbucket").size());
  for (const std::string& wrong :
       {right + "/", right + "/projects/PROJ/repos/repo-1/browse", host}) {
    ExpectError(Check(DataCenter(wrong, config.dc_token)), common::StatusCode::kNotFound,
                "use --url " + right);
  }
  ExpectError(Check(DataCenter(host + "/elsewhere/x", config.dc_token)),
              common::StatusCode::kNotFound, "use --url " + right);
}

TEST(DataCenterCheck, NothingListeningIsUnavailable) {
  std::string url;
  {
    BitbucketDouble stopped;
    url = stopped.dc_url();
  }
  ExpectError(Check(DataCenter(url, "token")), common::StatusCode::kUnavailable, "cannot connect");
}

TEST(DataCenterBaseCandidates, ShortensPathsThenTriesContextPaths) {
  EXPECT_EQ(
      DataCenterBaseCandidates("https://git.example.com/bitbucket/projects/P/"),
      (std::vector<std::string>{"https://git.example.com/bitbucket/projects/P",
                                "https://git.example.com/bitbucket/projects",
                                "https://git.example.com/bitbucket", "https://git.example.com",
                                "https://git.example.com/stash", "https://git.example.com/git"}));
}

}  // namespace
}  // namespace leadline::sources::bitbucket
