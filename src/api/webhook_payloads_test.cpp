#include "api/webhook_payloads.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace leadline::api {
namespace {

using nlohmann::json;

TEST(WebhookPayloadsTest, CloudEventsNameTheRepositoryByFullName) {
  const json body = {{"repository", {{"full_name", "acme/api"}, {"name", "api"}}}};
  EXPECT_EQ(RepositoryOf("pullrequest:updated", body), "acme/api");
  EXPECT_EQ(RepositoryOf("repo:push", body), "acme/api");
  EXPECT_EQ(RepositoryOf("repo:push", json{{"repository", {{"full_name", 7}}}}), "");
  EXPECT_EQ(RepositoryOf("repo:push", json{{"repository", "acme/api"}}), "");
}

TEST(WebhookPayloadsTest, DataCenterEventsNameTheProjectAndSlug) {
  const json repository = {{"slug", "api"}, {"project", {{"key", "PROJ"}}}};
  EXPECT_EQ(RepositoryOf("repo:refs_changed", json{{"repository", repository}}), "PROJ/api");
  EXPECT_EQ(
      RepositoryOf("pr:merged", json{{"pullRequest", {{"toRef", {{"repository", repository}}}}}}),
      "PROJ/api");
  EXPECT_EQ(RepositoryOf("pr:merged", json{{"pullRequest", {{"toRef", 3}}}}), "");
  EXPECT_EQ(RepositoryOf("repo:refs_changed", json{{"repository", {{"slug", "api"}}}}), "");
}

TEST(WebhookPayloadsTest, OnlyPushesPullRequestsAndStatusesAreUsed) {
  for (const char* key : {"repo:push", "pullrequest:fulfilled", "repo:commit_status_updated",
                          "repo:refs_changed", "pr:reviewer:approved"}) {
    EXPECT_TRUE(IsUsedEvent(key)) << key;
  }
  for (const char* key : {"issue:created", "repo:fork", "diagnostics:ping", "project:updated"}) {
    EXPECT_FALSE(IsUsedEvent(key)) << key;
  }
  EXPECT_EQ(RepositoryOf("repo:push", json::array()), "");
}

}  // namespace
}  // namespace leadline::api
