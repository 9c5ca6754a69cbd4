// End-to-end tests of the admin API's connections, repositories and incident services: an admin
// over every project connects Bitbucket Cloud and PagerDuty through a real `leadline serve`
// against the local doubles, selects repositories, maps a service and checks the connections, and
// the CLI then sees what the API made. Bad input and the upstream's refusals are clear errors that
// store nothing, and the secrets sent are never echoed or logged.
#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "bitbucket_cli_fixture.h"
#include "pagerduty_double/pagerduty_double.h"
#include "serve_cli_fixture.h"
#include "sources/contract/webhook_signature.h"
#include "testing/server_process.h"

namespace {

using leadline::testing::LeadlineRun;
using leadline::testing::PagerDutyDouble;
using leadline::testing::PagerDutyDoubleConfig;
using leadline::testing::ReadWholeFile;
using leadline::testing::ServerProcess;
using nlohmann::json;

constexpr char kWebhookSecret[] = "whsec-made-through-the-api";

class AdminConnectionsTest : public leadline::testing::BitbucketCliTest {
 protected:
  void SetUp() override {
    admin_ = Token("--name ops --scopes admin");
    reader_ = Token("--name reader --scopes read");
    server_ = std::make_unique<ServerProcess>(db(), Log());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(60, 0);
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << "the server's log:\n" << ReadWholeFile(Log());
  }

  std::string Token(const std::string& args) const {
    const LeadlineRun run = Leadline("tokens create " + args);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return run.out.substr(0, run.out.find('\n'));
  }
  std::string Log() const { return dir_.Child("serve.log"); }

  std::pair<int, json> Send(const std::string& method, const std::string& path,
                            const std::string& body = "", const std::string& token = "") {
    return leadline::testing::SendJson(
        *client_, method, path, leadline::testing::Bearer(token.empty() ? admin_ : token), body);
  }
  json CloudBody(const std::string& token) const {
    return {{"provider", "bitbucket-cloud"},
            {"workspace", "acme"},
            {"url", bitbucket_.cloud_api_url()},
            {"email", "dev@example.com"},
            {"token", token}};
  }
  json PagerDutyBody() const {
    return {{"provider", "pagerduty"},
            {"url", pagerduty_.url()},
            {"token", PagerDutyDoubleConfig().user_key},
            {"webhook_secret", kWebhookSecret}};
  }

  PagerDutyDouble pagerduty_;
  std::string admin_, reader_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(AdminConnectionsTest, AnAdminConnectsSelectsMapsAndChecksThroughTheApi) {
  auto [status, body] = Send("POST", "/v1/admin/connections", CloudBody(config_.api_token).dump());
  ASSERT_EQ(status, 201) << body.dump();
  EXPECT_EQ(body["name"], "bitbucket-cloud/acme");
  EXPECT_EQ(body["provider"], "bitbucket-cloud");
  EXPECT_EQ(body["auth"], "api-token");
  EXPECT_TRUE(body["ok"].get<bool>());
  EXPECT_NE(body["check"].get<std::string>().find("repositories visible"), std::string::npos)
      << body.dump();

  std::tie(status, body) = Send("GET", "/v1/admin/repositories?refresh=true");
  ASSERT_EQ(status, 200) << body.dump();
  std::vector<std::string> listed;
  for (const json& item : body["items"]) {
    listed.push_back(item["repository"]);
    EXPECT_FALSE(item["selected"].get<bool>());
  }
  EXPECT_NE(std::find(listed.begin(), listed.end(), "acme/repo-1"), listed.end()) << body.dump();

  std::tie(status, body) =
      Send("POST", "/v1/admin/repositories/select", R"({"patterns": ["acme/repo-1"]})");
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_EQ(body["changed"].size(), 1u) << body.dump();
  EXPECT_EQ(body["changed"][0]["repository"], "acme/repo-1");
  EXPECT_TRUE(body["changed"][0]["selected"].get<bool>());
  // Selecting it again changes nothing.
  std::tie(status, body) =
      Send("POST", "/v1/admin/repositories/select", R"({"patterns": ["acme/repo-1"]})");
  EXPECT_EQ(status, 200);
  EXPECT_TRUE(body["changed"].empty()) << body.dump();
  // The CLI sees the connection and the selection the API made, and syncs with its secret.
  const LeadlineRun repos = Leadline("repos list --offline");
  EXPECT_NE(repos.out.find("[x] acme/repo-1"), std::string::npos) << repos.out;
  EXPECT_NE(repos.out.find("[ ] acme/repo-2"), std::string::npos) << repos.out;
  const LeadlineRun synced = Leadline("sync");
  EXPECT_EQ(synced.exit_code, 0) << synced.err;

  std::tie(status, body) = Send("POST", "/v1/admin/connections", PagerDutyBody().dump());
  ASSERT_EQ(status, 201) << body.dump();
  EXPECT_EQ(body["services"], 3);
  EXPECT_EQ(body["counts"], json({"P1", "P2"}));
  const std::int64_t pagerduty_id = body["id"];

  std::tie(status, body) = Send("GET", "/v1/admin/services");
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_EQ(body["items"].size(), 3u) << body.dump();
  for (const json& service : body["items"]) EXPECT_EQ(service["repositories"], "");
  std::tie(status, body) =
      Send("PUT", "/v1/admin/services/checkout%20api", R"({"repositories": "acme/repo-1"})");
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["id"], "PSVCAPI");
  EXPECT_EQ(body["repositories"], "acme/repo-1");
  const LeadlineRun services = Leadline("services list --cached");
  EXPECT_NE(services.out.find("acme/repo-1"), std::string::npos) << services.out << services.err;

  // The webhook secret was sealed with the server's own key: a delivery signed with it is taken.
  const std::string delivery =
      R"({"event":{"id":"01EV","event_type":"incident.resolved","resource_type":"incident",)"
      R"("occurred_at":"2025-01-02T05:00:00.000Z","agent":null,"client":null,)"
      R"("data":{"id":"PI000001","type":"incident","number":2,"status":"resolved"}}})";
  auto delivered = client_->Post("/v1/webhooks/" + std::to_string(pagerduty_id),
                                 {{"X-Webhook-Id", "wh-1"},
                                  {"X-PagerDuty-Signature", leadline::sources::SignPagerDutyWebhook(
                                                                delivery, kWebhookSecret)}},
                                 delivery, "application/json");
  ASSERT_TRUE(delivered);
  EXPECT_EQ(delivered->status, 200) << delivered->body;

  std::tie(status, body) = Send("POST", "/v1/admin/connections/check");
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_EQ(body["items"].size(), 2u);
  for (const json& checked : body["items"]) EXPECT_TRUE(checked["ok"].get<bool>()) << body.dump();

  // No secret is ever echoed, listed or logged.
  std::tie(status, body) = Send("GET", "/v1/admin/connections");
  ASSERT_EQ(status, 200);
  EXPECT_EQ(body["items"].size(), 2u);
  for (const std::string& secret :
       {config_.api_token, PagerDutyDoubleConfig().user_key, std::string(kWebhookSecret)}) {
    EXPECT_EQ(body.dump().find(secret), std::string::npos);
    EXPECT_EQ(ReadWholeFile(Log()).find(secret), std::string::npos) << secret;
  }
}

TEST_F(AdminConnectionsTest, BadInputAndRefusalsAreClearAndStoreNothing) {
  // Only an admin over every project manages connections.
  EXPECT_EQ(Send("GET", "/v1/admin/connections", "", reader_).first, 403);
  EXPECT_EQ(
      Send("POST", "/v1/admin/connections", CloudBody(config_.api_token).dump(), reader_).first,
      403);

  const auto refused = [&](const json& change, int expected, const std::string& says) {
    json request = CloudBody(config_.api_token);
    request.update(change);
    for (auto it = change.begin(); it != change.end(); ++it) {
      if (it->is_null()) request.erase(it.key());
    }
    auto [status, body] = Send("POST", "/v1/admin/connections", request.dump());
    EXPECT_EQ(status, expected) << request.dump() << " -> " << body.dump();
    EXPECT_NE(body.value("error", "").find(says), std::string::npos) << body.dump();
  };
  refused({{"provider", "github"}}, 400, "'provider' must be one of");
  refused({{"provider", "git"}}, 400, "'provider' must be one of");
  refused({{"token", nullptr}}, 400, "give one way to sign in");
  refused({{"access_token", "also"}}, 400, "give one way to sign in");
  refused({{"email", nullptr}}, 400, "'token' needs 'email'");
  refused({{"url", "ftp://bitbucket.example.com"}}, 400, "not an http or https URL");
  refused({{"token", "line\r\nX-Injected: 1"}}, 400, "without control characters");
  refused({{"token", std::string(9000, 'x')}}, 400, "'token' must be a string of at most");
  refused({{"workspace", "acme/other"}}, 400, "'workspace' must name the workspace");
  refused({{"counts", {"P1"}}}, 400, "for incident tools");
  refused({{"provider", "bitbucket-dc"}, {"url", nullptr}, {"email", nullptr}}, 400,
          "needs its base URL");
  // The upstream's refusal is not the caller's: a 422 that says so; an upstream that does not
  // answer is a 502.
  refused({{"token", "not-the-token"}}, 422, "the upstream refused");
  refused({{"url", "http://127.0.0.1:1/2.0"}}, 502, "the upstream did not answer");
  EXPECT_EQ(Send("POST", "/v1/admin/connections", "not json").first, 400);
  EXPECT_EQ(Send("POST", "/v1/admin/connections", "[1]").first, 400);

  auto [status, body] = Send("GET", "/v1/admin/connections");
  ASSERT_EQ(status, 200);
  EXPECT_TRUE(body["items"].empty()) << "nothing refused is stored: " << body.dump();

  // Selections and mappings with nothing to act on, or bad patterns.
  EXPECT_EQ(Send("POST", "/v1/admin/repositories/select", R"({"patterns": []})").first, 400);
  EXPECT_EQ(Send("POST", "/v1/admin/repositories/select", R"({"patterns": "acme/*"})").first, 400);
  EXPECT_EQ(Send("POST", "/v1/admin/repositories/select", R"({"patterns": ["acme/*"]})").first,
            404);
  EXPECT_EQ(Send("GET", "/v1/admin/services").first, 404);
  EXPECT_EQ(Send("PUT", "/v1/admin/services/PSVCAPI", R"({"repositories": ""})").first, 400);

  ASSERT_EQ(Send("POST", "/v1/admin/connections", CloudBody(config_.api_token).dump()).first, 201);
  ASSERT_EQ(Send("GET", "/v1/admin/repositories?refresh=true").first, 200);
  std::tie(status, body) =
      Send("POST", "/v1/admin/repositories/select", R"({"patterns": ["acme/*", "nothing/*"]})");
  EXPECT_EQ(status, 400) << body.dump();
  EXPECT_NE(body.value("error", "").find("'nothing/*' matches no repository"), std::string::npos)
      << body.dump();
  EXPECT_EQ(Leadline("repos list --offline").out.find("[x]"), std::string::npos)
      << "a failed selection changes nothing";

  ASSERT_EQ(Send("POST", "/v1/admin/connections", PagerDutyBody().dump()).first, 201);
  std::tie(status, body) =
      Send("PUT", "/v1/admin/services/no-such-service", R"({"repositories": "acme/*"})");
  EXPECT_EQ(status, 404) << body.dump();
  EXPECT_EQ(Send("PUT", "/v1/admin/services/PSVCAPI", "{}").first, 400);
}

}  // namespace
