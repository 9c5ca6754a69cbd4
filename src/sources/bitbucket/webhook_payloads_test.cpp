#include "sources/bitbucket/webhook_payloads.h"

#include <gtest/gtest.h>

#include <string>

namespace leadline::sources::bitbucket {
namespace {

std::string RepositoryOf(const std::string& event_key, const std::string& body) {
  return ReadPayload(event_key, body).repository;
}

TEST(WebhookPayloadsTest, CloudEventsNameTheRepositoryByFullName) {
  const std::string body = R"({"repository": {"full_name": "acme/api", "name": "api"}})";
  EXPECT_EQ(RepositoryOf("pullrequest:updated", body), "acme/api");
  EXPECT_EQ(RepositoryOf("repo:push", body), "acme/api");
  EXPECT_EQ(RepositoryOf("repo:push", R"({"repository": {"full_name": 7}})"), "");
  EXPECT_EQ(RepositoryOf("repo:push", R"({"repository": "acme/api"})"), "");
}

TEST(WebhookPayloadsTest, DataCenterEventsNameTheProjectAndSlug) {
  const std::string repository = R"({"slug": "api", "project": {"key": "PROJ"}})";
  EXPECT_EQ(RepositoryOf("repo:refs_changed", R"({"repository": )" + repository + "}"), "PROJ/api");
  EXPECT_EQ(RepositoryOf("pr:merged",
                         R"({"pullRequest": {"toRef": {"repository": )" + repository + "}}}"),
            "PROJ/api");
  EXPECT_EQ(RepositoryOf("pr:merged", R"({"pullRequest": {"toRef": 3}})"), "");
  EXPECT_EQ(RepositoryOf("repo:refs_changed", R"({"repository": {"slug": "api"}})"), "");
  // Events Leadline does not use still name their repository, for `webhooks status`.
  EXPECT_EQ(RepositoryOf("repo:comment:added", R"({"repository": )" + repository + "}"),
            "PROJ/api");
}

TEST(WebhookPayloadsTest, OnlyPushesPullRequestsAndStatusesAreUsed) {
  for (const char* key : {"repo:push", "pullrequest:fulfilled", "repo:commit_status_updated",
                          "repo:refs_changed", "pr:reviewer:approved"}) {
    EXPECT_TRUE(IsUsedEvent(key)) << key;
  }
  for (const char* key : {"issue:created", "repo:fork", "diagnostics:ping", "project:updated"}) {
    EXPECT_FALSE(IsUsedEvent(key)) << key;
  }
  EXPECT_EQ(RepositoryOf("repo:push", "[]"), "");
}

TEST(WebhookPayloadsTest, OnlyOneCompleteJsonTextIsJson) {
  for (const char* body : {"", "not json", "{\"repository\": ", "{} {}", "{\"a\": 1,}",
                           "{\"a\": \"\xff\"}", "{\"a\": tru}"}) {
    const WebhookPayload payload = ReadPayload("repo:push", body);
    EXPECT_FALSE(payload.is_json) << body;
    EXPECT_FALSE(payload.has_shape) << body;
  }
  EXPECT_TRUE(ReadPayload("repo:push", " {\"repository\": {\"full_name\": \"a/b\"}} \n").is_json);
}

TEST(WebhookPayloadsTest, UsedEventsNeedWhatTheyAreAbout) {
  struct Case {
    const char* event_key;
    const char* body;
    bool has_shape;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"pullrequest:updated", R"({"repository": {"full_name": "acme/api"}})", true},
           {"pullrequest:updated", R"({"repository": {"name": "api"}})", false},
           {"pullrequest:updated", R"({"pullrequest": {"id": 1}})", false},
           {"repo:push", R"({"repository": {"full_name": null}})", false},
           {"repo:refs_changed", R"({"repository": {"slug": "api"}})", true},
           {"repo:refs_changed", R"({"repository": {"full_name": "acme/api"}})", false},
           {"pr:opened", R"({"pullRequest": {"toRef": {}}})", true},
           {"pr:opened", R"({"pullRequest": {"fromRef": {}}})", false},
           {"pr:opened", R"({"pullRequest": [1]})", false},
           // Unused events (Data Center's repo:modified sends "old" and "new") need only an object.
           {"repo:modified", R"({"old": {"slug": "a"}, "new": {"slug": "b"}})", true},
           {"diagnostics:ping", R"({"test": true})", true},
           {"diagnostics:ping", R"([1, 2])", false},
           {"repo:push", R"("acme/api")", false},
       }) {
    const WebhookPayload payload = ReadPayload(c.event_key, c.body);
    EXPECT_TRUE(payload.is_json) << c.event_key << " " << c.body;
    EXPECT_EQ(payload.has_shape, c.has_shape) << c.event_key << " " << c.body;
  }
}

TEST(WebhookPayloadsTest, ALargeBodyIsReadAndItsBuffersLetGo) {
  std::string padding(3 << 20, 'x');
  const std::string body =
      R"({"padding": ")" + padding + R"(", "repository": {"full_name": "acme/big"}})";
  EXPECT_EQ(RepositoryOf("repo:push", body), "acme/big");
  // The same thread's parser still reads small bodies after letting the large one go.
  EXPECT_EQ(RepositoryOf("repo:push", R"({"repository": {"full_name": "acme/small"}})"),
            "acme/small");
}

}  // namespace
}  // namespace leadline::sources::bitbucket
