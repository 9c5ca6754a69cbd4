// End-to-end tests of webhooks at /v1/webhooks/{connection}: `repos select` registers a GitLab
// project hook through the GitLab double's API pointing there with the connection's secret as
// its token; the real `leadline serve` takes GitLab deliveries carrying that token (and, when
// present, a Standard Webhooks signature), stores each once by its Idempotency-Key, refuses the
// rest with nothing stored, and applies them by syncing the project from the double. A Bitbucket
// connection's route verifies Bitbucket's signature the same way.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "bitbucket_cli_fixture.h"
#include "common/time.h"
#include "gitlab_double/gitlab_double.h"
#include "sources/contract/webhook_signature.h"
#include "store/store.h"
#include "testing/server_process.h"

namespace {

using leadline::testing::GitLabDouble;
using leadline::testing::GitLabDoubleConfig;
using leadline::testing::LeadlineRun;
using leadline::testing::ServerProcess;
using leadline::testing::ShellQuote;
using nlohmann::json;

constexpr char kPublicUrl[] = "https://leadline.example.com";
constexpr char kProject[] = "acme/platform/api";
constexpr int kMergeRequests = 6;

GitLabDoubleConfig DoubleConfig() {
  GitLabDoubleConfig config;
  config.merge_requests_per_project = kMergeRequests;
  config.history_start = leadline::common::NowUnixSeconds() - 10 * leadline::common::kDay;
  return config;
}

// A Merge Request Hook delivery's body, in GitLab's shape.
std::string MergeRequestHook(const std::string& project, int iid) {
  return json{{"object_kind", "merge_request"},
              {"event_type", "merge_request"},
              {"user", {{"id", 1}, {"username", "devnick"}}},
              {"project", {{"id", 2}, {"path_with_namespace", project}}},
              {"object_attributes",
               {{"id", 1000 + iid},
                {"iid", iid},
                {"state", "merged"},
                {"action", "merge"},
                {"source_branch", "feature"},
                {"target_branch", "main"},
                {"created_at", "2026-11-20 10:00:00 UTC"},
                {"updated_at", "2026-11-20 11:00:00 UTC"}}},
              {"changes", json::object()},
              {"reviewers", json::array()},
              {"assignees", json::array()}}
      .dump();
}

class GitLabWebhookCliTest : public leadline::testing::BitbucketCliTest {
 protected:
  GitLabWebhookCliTest() : gitlab_(DoubleConfig()) {
    std::ofstream(dir_.Child("gitlab-token")) << "glpat-personal-token\n";
    std::ofstream(dir_.Child("leadline.toml"))
        << "[webhooks]\npublic_url = \"" << kPublicUrl << "/\"\n";
  }
  void TearDown() override {
    if (!HasFailure()) return;
    std::ifstream log(Log());
    std::cerr << "the server's log:\n" << log.rdbuf();
  }
  std::string Log() const { return dir_.Child("serve.log"); }

  // Connects GitLab and selects kProject, which registers the hook; returns the selection's
  // output.
  std::string ConnectAndSelectProject() {
    const LeadlineRun connected =
        Leadline("connect gitlab --url " + ShellQuote(gitlab_.url()) + " --token-file " +
                 ShellQuote(dir_.Child("gitlab-token")));
    EXPECT_EQ(connected.exit_code, 0) << connected.err;
    EXPECT_EQ(Leadline("repos list").exit_code, 0);
    const LeadlineRun selected = Leadline(std::string("repos select ") + kProject);
    EXPECT_EQ(selected.exit_code, 0) << selected.err;
    connection_id_ = Query("SELECT id FROM connections");
    return selected.out;
  }
  std::string Route() const { return "/v1/webhooks/" + connection_id_; }

  // POSTs a GitLab delivery; headers with an empty value are left out.
  static int Deliver(httplib::Client& client, const std::string& path, const std::string& body,
                     const std::map<std::string, std::string>& headers) {
    httplib::Headers sent;
    for (const auto& [name, value] : headers) {
      if (!value.empty()) sent.emplace(name, value);
    }
    auto result = client.Post(path, sent, body, "application/json");
    return result ? result->status : 0;
  }
  std::map<std::string, std::string> GitLabHeaders(const std::string& token,
                                                   const std::string& idempotency_key,
                                                   const std::string& event_uuid = "event-1") {
    return {{"X-Gitlab-Event", "Merge Request Hook"},
            {"X-Gitlab-Token", token},
            {"X-Gitlab-Instance", gitlab_.url()},
            {"X-Gitlab-Webhook-UUID", "request-" + std::to_string(++requests_)},
            {"X-Gitlab-Event-UUID", event_uuid},
            {"Idempotency-Key", idempotency_key}};
  }
  std::string Inboxed() const { return Query("SELECT COUNT(*) FROM webhook_inbox"); }
  void WaitApplied() const {
    auto store = std::move(leadline::store::OpenStore(db())).value();
    for (int i = 0; i < 600 && *store->webhook_inbox().CountUnappliedDeliveries() > 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_EQ(*store->webhook_inbox().CountUnappliedDeliveries(), 0);
  }
  std::string OutcomeOf(const std::string& delivery_id) const {
    return Query("SELECT outcome FROM webhook_inbox WHERE delivery_id = '" + delivery_id + "'");
  }
  std::string PullRequests() const {
    return Query(
        "SELECT COUNT(*) FROM pull_requests p JOIN repositories r ON r.id = p.repo_id WHERE "
        "r.location = '" +
        std::string(kProject) + "'");
  }

  GitLabDouble gitlab_;
  std::string connection_id_;
  int requests_ = 0;
};

TEST_F(GitLabWebhookCliTest, SelectingRegistersTheProjectHookAtTheConnectionsRoute) {
  const std::string selected = ConnectAndSelectProject();
  const std::string url = std::string(kPublicUrl) + Route();
  EXPECT_NE(selected.find(std::string("on ") + kProject + " -> " + url), std::string::npos)
      << selected;
  const auto hooks = gitlab_.hooks(kProject);
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0].url, url);
  const LeadlineRun secret = Leadline("webhooks secret");
  ASSERT_EQ(secret.exit_code, 0) << secret.err;
  ASSERT_EQ(hooks[0].token.size(), 64u);
  EXPECT_NE(secret.out.find(hooks[0].token), std::string::npos)  // the connection's secret
      << secret.out;
  EXPECT_TRUE(hooks[0].push_events);
  EXPECT_TRUE(hooks[0].merge_requests_events);
  EXPECT_TRUE(hooks[0].note_events);
  EXPECT_TRUE(hooks[0].pipeline_events);
  EXPECT_TRUE(hooks[0].deployment_events);
  EXPECT_TRUE(gitlab_.hooks("acme/web").empty());

  // Again: the hook is updated, not doubled; deselecting removes it.
  const LeadlineRun again = Leadline("webhooks register");
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  ASSERT_EQ(gitlab_.hooks(kProject).size(), 1u);
  EXPECT_EQ(gitlab_.hooks(kProject)[0].id, hooks[0].id);
  const LeadlineRun deselected = Leadline(std::string("repos deselect ") + kProject);
  ASSERT_EQ(deselected.exit_code, 0) << deselected.err;
  EXPECT_TRUE(gitlab_.hooks(kProject).empty());
}

TEST_F(GitLabWebhookCliTest, DeliveriesWithTheTokenAreStoredOnceAndSyncTheProject) {
  ConnectAndSelectProject();
  const auto hooks = gitlab_.hooks(kProject);
  ASSERT_EQ(hooks.size(), 1u);
  const std::string token = hooks[0].token;
  ASSERT_EQ(PullRequests(), "0");  // nothing synced yet: the delivery will bring it in
  ServerProcess server(db(), Log(), "--max-body-kb 64");
  httplib::Client client("127.0.0.1", server.port());
  const std::string body = MergeRequestHook(kProject, 3);

  // Wrong, missing or foreign proof: 401, nothing stored.
  EXPECT_EQ(Deliver(client, Route(), body, GitLabHeaders("wrong", "key-0")), 401);
  EXPECT_EQ(Deliver(client, Route(), body, GitLabHeaders("", "key-0")), 401);
  EXPECT_EQ(Deliver(client, Route(), body, GitLabHeaders(token + "0", "key-0")), 401);
  EXPECT_EQ(Inboxed(), "0");
  // A connection that does not exist.
  EXPECT_EQ(Deliver(client, "/v1/webhooks/999", body, GitLabHeaders(token, "key-0")), 404);
  EXPECT_EQ(Deliver(client, "/v1/webhooks/x", body, GitLabHeaders(token, "key-0")), 404);
  // The older Bitbucket URL does not take GitLab's token.
  EXPECT_EQ(Deliver(client, "/v1/bitbucket/webhook", body, GitLabHeaders(token, "key-0")), 401);
  EXPECT_EQ(Inboxed(), "0");

  ASSERT_EQ(Deliver(client, Route(), body, GitLabHeaders(token, "key-1")), 200);
  // GitLab's retry keeps its Idempotency-Key (with a new X-Gitlab-Webhook-UUID): stored once.
  auto retried = client.Post(
      Route(),
      [&] {
        httplib::Headers headers;
        for (const auto& [name, value] : GitLabHeaders(token, "key-1"))
          headers.emplace(name, value);
        return headers;
      }(),
      body, "application/json");
  ASSERT_TRUE(retried);
  EXPECT_EQ(retried->status, 200);
  EXPECT_EQ(json::parse(retried->body)["duplicate"], true);
  EXPECT_EQ(Inboxed(), "1");
  // Another hook fired by the same request shares its X-Gitlab-Event-UUID: still its own delivery.
  EXPECT_EQ(Deliver(client, Route(), body, GitLabHeaders(token, "key-2", "event-1")), 200);
  EXPECT_EQ(Inboxed(), "2");
  // Bad deliveries with the right token: 400 and 422, nothing stored.
  EXPECT_EQ(Deliver(client, Route(), "{not json", GitLabHeaders(token, "key-3")), 400);
  EXPECT_EQ(Deliver(client, Route(), R"({"project": {"id": 2}})", GitLabHeaders(token, "key-4")),
            422);
  auto no_event = GitLabHeaders(token, "key-5");
  no_event.erase("X-Gitlab-Event");
  EXPECT_EQ(Deliver(client, Route(), body, no_event), 400);
  EXPECT_EQ(Inboxed(), "2");

  // With a Standard Webhooks signature too: checked against the same secret, within 5 minutes.
  const auto signed_headers = [&](const std::string& key, leadline::common::UnixSeconds at,
                                  const std::string& secret) {
    auto headers = GitLabHeaders(token, key);
    headers["webhook-id"] = key;
    headers["webhook-timestamp"] = std::to_string(at);
    headers["webhook-signature"] =
        leadline::sources::SignStandardWebhook(key, std::to_string(at), body, secret);
    return headers;
  };
  const leadline::common::UnixSeconds now = leadline::common::NowUnixSeconds();
  EXPECT_EQ(Deliver(client, Route(), body, signed_headers("key-6", now, token)), 200);
  EXPECT_EQ(Deliver(client, Route(), body, signed_headers("key-7", now, "other")), 401);
  EXPECT_EQ(Deliver(client, Route(), body, signed_headers("key-8", now - 600, token)), 401);
  EXPECT_EQ(Inboxed(), "3");

  // Applied in the background: one sync of the project brings its merge requests in.
  WaitApplied();
  EXPECT_EQ(OutcomeOf("key-1"), std::string("applied: synced ") + kProject);
  EXPECT_EQ(OutcomeOf("key-2"), std::string("applied: synced ") + kProject);
  EXPECT_EQ(PullRequests(), std::to_string(kMergeRequests));
  EXPECT_EQ(Query("SELECT event_key FROM webhook_inbox WHERE delivery_id = 'key-1'"),
            "Merge Request Hook");

  // Refusals are counted; the ones with the right token audited with the connection's name.
  const LeadlineRun audit = Leadline("audit");
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_NE(audit.out.find("webhook gitlab/127.0.0.1:"), std::string::npos) << audit.out;
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

TEST_F(GitLabWebhookCliTest, ABitbucketConnectionsRouteChecksItsSignature) {
  ASSERT_EQ(Leadline(ConnectCloud()).exit_code, 0);
  ASSERT_EQ(Leadline("repos list").exit_code, 0);
  // Bitbucket hooks keep the URL they always had.
  const LeadlineRun selected = Leadline("repos select acme/repo-1");
  ASSERT_EQ(selected.exit_code, 0) << selected.err;
  EXPECT_NE(selected.out.find(std::string("-> ") + kPublicUrl + "/v1/bitbucket/webhook"),
            std::string::npos)
      << selected.out;
  const std::string secret = bitbucket_.hooks("acme/repo-1").at(0).secret;
  const std::string route = "/v1/webhooks/" + Query("SELECT id FROM connections");
  ServerProcess server(db(), Log());
  httplib::Client client("127.0.0.1", server.port());
  const std::string body = R"({"repository": {"full_name": "acme/repo-1"}, "push": {}})";
  const auto deliver = [&](const std::string& id, const std::string& signature) {
    return Deliver(
        client, route, body,
        {{"X-Event-Key", "repo:push"}, {"X-Request-UUID", id}, {"X-Hub-Signature", signature}});
  };
  EXPECT_EQ(deliver("{d-1}", leadline::sources::SignHubSignature(body, "wrong")), 401);
  EXPECT_EQ(deliver("{d-1}", ""), 401);
  // A GitLab-style token is no proof for a Bitbucket connection.
  EXPECT_EQ(
      Deliver(
          client, route, body,
          {{"X-Event-Key", "repo:push"}, {"X-Request-UUID", "{d-1}"}, {"X-Gitlab-Token", secret}}),
      401);
  EXPECT_EQ(Inboxed(), "0");
  EXPECT_EQ(deliver("{d-1}", leadline::sources::SignHubSignature(body, secret)), 200);
  WaitApplied();
  EXPECT_EQ(OutcomeOf("{d-1}"), "applied: synced acme/repo-1");
  EXPECT_EQ(server.Stop(SIGTERM), 0);
}

}  // namespace
