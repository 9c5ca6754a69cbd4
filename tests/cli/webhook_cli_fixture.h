// Test support for the end-to-end webhook tests: a Cloud delivery as Bitbucket sends it, and a
// fixture with a connected workspace, acme/repo-1 selected and the webhook secret made. Tests
// only; not thread-safe (Deliver and Sign are, for senders on several threads).
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "bitbucket_cli_fixture.h"
#include "sources/contract/webhook_signature.h"

namespace leadline::testing {

// A Cloud pullrequest:updated delivery of about 10 KB, as Bitbucket sends it.
inline std::string PullRequestUpdated(const std::string& repository, int number) {
  using nlohmann::json;
  const json account = {{"type", "user"},
                        {"display_name", "Dev Eloper"},
                        {"uuid", "{11111111-2222-3333-4444-555555555555}"},
                        {"account_id", "557058:11111111-2222-3333-4444-555555555555"}};
  const json body = {
      {"actor", account},
      {"repository",
       {{"type", "repository"},
        {"full_name", repository},
        {"name", repository.substr(repository.find('/') + 1)},
        {"uuid", "{aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee}"},
        {"is_private", true},
        {"scm", "git"}}},
      {"pullrequest",
       {{"id", number},
        {"title", "Change " + std::to_string(number)},
        {"description", std::string(9000, 'x')},
        {"state", "OPEN"},
        {"author", account},
        {"source", {{"branch", {{"name", "feature/x"}}}, {"commit", {{"hash", "abcdef123456"}}}}},
        {"destination", {{"branch", {{"name", "main"}}}, {"commit", {{"hash", "0123456789ab"}}}}},
        {"merge_commit", nullptr},
        {"created_on", "2026-11-20T10:00:00.000000+00:00"},
        {"updated_on", "2026-11-20T11:00:00.000000+00:00"}}}};
  return body.dump();
}

class WebhookCliTest : public BitbucketCliTest {
 protected:
  explicit WebhookCliTest(BitbucketDoubleConfig config = DefaultConfig())
      : BitbucketCliTest(std::move(config)) {}
  void SetUp() override {
    ASSERT_EQ(Leadline(ConnectCloud()).exit_code, 0);
    ASSERT_EQ(Leadline("repos list").exit_code, 0);
    ASSERT_EQ(Leadline("repos select acme/repo-1").exit_code, 0);
    const LeadlineRun secret = Leadline("webhooks secret");
    ASSERT_EQ(secret.exit_code, 0) << secret.err;
    // "bitbucket-cloud/acme  <64 hex digits>"
    secret_ = secret.out.substr(secret.out.find("  ") + 2, 64);
    ASSERT_EQ(secret_.size(), 64u) << secret.out;
    EXPECT_EQ(Leadline("webhooks secret").out, secret.out);  // made once, then kept
  }
  void TearDown() override {
    if (!HasFailure()) return;
    std::ifstream log(Log());
    std::cerr << "the server's log:\n" << log.rdbuf();
  }
  std::string Log() const { return dir_.Child("serve.log"); }

  static std::shared_ptr<httplib::Response> Deliver(
      httplib::Client& client, const std::string& body, const std::string& delivery_id,
      const std::string& signature, const std::string& event_key = "pullrequest:updated",
      int attempt = 1) {
    httplib::Headers headers = {{"X-Event-Key", event_key},
                                {"X-Attempt-Number", std::to_string(attempt)},
                                {"X-Hook-UUID", "{hook}"}};
    if (!delivery_id.empty()) headers.emplace("X-Request-UUID", delivery_id);
    if (!signature.empty()) headers.emplace("X-Hub-Signature", signature);
    auto result = client.Post("/v1/bitbucket/webhook", headers, body, "application/json");
    if (!result) return nullptr;
    return std::make_shared<httplib::Response>(result.value());
  }
  std::string Sign(const std::string& body) const {
    return leadline::sources::SignHubSignature(body, secret_);
  }

  std::string secret_;
};

}  // namespace leadline::testing
