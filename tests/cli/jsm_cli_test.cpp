// End-to-end tests of Jira Service Management: the real `leadline` binary against the local
// site double (the enhanced search's nextPageToken paging, the Operations API's schedules, a 429,
// a 401, a wrong site): connect, check, services list and map, a backfill and an incremental sync
// that reads a re-opened incident, a changed priority and a resolution, a backfill killed with
// SIGKILL and resumed, signed Jira webhook deliveries at /v1/webhooks/{connection} that sync the
// connection's incidents, and a connection made through the admin API.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "bitbucket_cli_fixture.h"
#include "jsm_double/jsm_double.h"
#include "serve_cli_fixture.h"
#include "sources/contract/webhook_signature.h"
#include "testing/server_process.h"

namespace {

using leadline::testing::JsmDouble;
using leadline::testing::JsmDoubleConfig;
using leadline::testing::LeadlineRun;
using leadline::testing::ShellQuote;
using nlohmann::json;

constexpr std::int64_t kFirstIncident = 1748736000;  // 2025-06-01T00:00:00Z
constexpr int kIncidents = 300;                      // one every 12 h: 150 days
constexpr char kWebhookSecret[] = "jira-admin-webhook-secret";

JsmDoubleConfig DoubleConfig(int incidents, std::int64_t first, std::int64_t pace) {
  JsmDoubleConfig config;
  config.incidents = incidents;
  config.first_incident_at = first;
  config.pace_seconds = pace;
  config.test_every = 10;
  return config;
}

class JsmCliTest : public leadline::testing::BitbucketCliTest {
 protected:
  explicit JsmCliTest(JsmDoubleConfig config = DoubleConfig(kIncidents, kFirstIncident, 12 * 3600))
      : jsm_(config), served_(config.incidents) {
    std::ofstream(dir_.Child("jsm-token")) << JsmDoubleConfig().token << "\n";
    std::ofstream(dir_.Child("jsm-wrong-token")) << "not-an-atlassian-token\n";
    std::ofstream(dir_.Child("jsm-webhook-secret")) << kWebhookSecret << "\n";
  }

  std::string ConnectJsm(const std::string& token_file = "jsm-token",
                         const std::string& more = "") const {
    return "connect jsm --site " + ShellQuote(jsm_.url()) + " --email " + JsmDoubleConfig().email +
           " --token-file " + ShellQuote(dir_.Child(token_file)) + more;
  }
  std::string StoredIncidents() const {
    return Query("SELECT COUNT(*) FROM incidents WHERE source = 'jsm'");
  }
  int NonTestIncidents() const {
    int count = 0;
    for (int i = 0; i < served_; ++i) count += !jsm_.IncidentAt(i).test;
    return count;
  }
  std::string ResolvedAt(const std::string& id) const {
    return Query(OnPostgres() ? "SELECT CAST(EXTRACT(EPOCH FROM resolved_at) AS BIGINT) FROM "
                                "incidents WHERE id = '" +
                                    id + "'"
                              : "SELECT resolved_at FROM incidents WHERE id = '" + id + "'");
  }

  JsmDouble jsm_;
  int served_ = 0;
};

TEST_F(JsmCliTest, ConnectsChecksMapsBackfillsAndReadsChangesIncrementally) {
  const LeadlineRun refused = Leadline(ConnectJsm("jsm-wrong-token"));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("Jira Service Management answered 401"), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("the e-mail and API token do not sign in"), std::string::npos);
  EXPECT_EQ(refused.err.find("not-an-atlassian-token"), std::string::npos);
  const LeadlineRun wrong_site =
      Leadline("connect jsm --site " + ShellQuote(jsm_.url() + "/wiki") +
               " --email mia@example.com --token-file " + ShellQuote(dir_.Child("jsm-token")));
  EXPECT_EQ(wrong_site.exit_code, 1);
  EXPECT_NE(wrong_site.err.find("answered 404"), std::string::npos) << wrong_site.err;
  EXPECT_NE(wrong_site.err.find("--site must be the site's address, https://<site>.atlassian.net"),
            std::string::npos);
  const LeadlineRun no_email =
      Leadline("connect jsm --site " + ShellQuote(jsm_.url()) + " --email '' --token-file " +
               ShellQuote(dir_.Child("jsm-token")));
  EXPECT_EQ(no_email.exit_code, 1);
  EXPECT_NE(no_email.err.find("needs --email"), std::string::npos) << no_email.err;
  EXPECT_EQ(Leadline("check").exit_code, 1);  // nothing stored

  const LeadlineRun connected = Leadline(ConnectJsm());
  ASSERT_EQ(connected.exit_code, 0) << connected.err;
  EXPECT_NE(connected.out.find("as Mia Krystof <mia@example.com>, 3 services visible, reads "
                               "incidents (work items of type Incident) and priorities, "
                               "Operations: 3 teams on call (3 schedules), priorities P1 P2 P3 "
                               "P4 P5."),
            std::string::npos)
      << connected.out;
  EXPECT_NE(connected.out.find("Severities that count: P1, P2."), std::string::npos)
      << connected.out;
  EXPECT_EQ(connected.out.find(JsmDoubleConfig().token), std::string::npos);
  EXPECT_EQ(Query("SELECT provider || ' ' || auth_method || ' ' || username FROM connections"),
            "jsm api-token mia@example.com");

  const LeadlineRun check = Leadline("check");
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_TRUE(check.out.starts_with("ok    jsm/127.0.0.1:")) << check.out;

  const LeadlineRun listed = Leadline("services list");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("svc-tools"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("3 of 3 services unmapped"), std::string::npos) << listed.out;
  const LeadlineRun mapped = Leadline("services map 'checkout api' --repos '*/app'");
  ASSERT_EQ(mapped.exit_code, 0) << mapped.err;
  EXPECT_NE(mapped.out.find("Checkout API (svc-checkout, jsm/"), std::string::npos) << mapped.out;

  const int before_backfill = jsm_.requests_by_path()["/rest/api/3/search/jql"];
  const LeadlineRun synced = Leadline("incidents sync --since 600d");
  ASSERT_EQ(synced.exit_code, 0) << synced.err;
  EXPECT_NE(synced.out.find(std::to_string(NonTestIncidents()) + " incidents read (" +
                            std::to_string(NonTestIncidents()) + " new or changed), " +
                            std::to_string(kIncidents / 10) + " test incidents left out"),
            std::string::npos)
      << synced.out;
  EXPECT_EQ(StoredIncidents(), std::to_string(NonTestIncidents()));
  EXPECT_EQ(Query("SELECT COUNT(*) FROM incidents WHERE title LIKE 'Paging drill%'"), "0");
  // Three full pages; the last names no token.
  EXPECT_EQ(jsm_.requests_by_path()["/rest/api/3/search/jql"] - before_backfill, kIncidents / 100);
  EXPECT_EQ(jsm_.requests_by_path()["/rest/api/3/search"], 0);
  EXPECT_EQ(Query("SELECT severity || ' ' || service || ' ' || link FROM incidents WHERE id = "
                  "'10001'"),
            "P2 svc-store " + jsm_.url() + "/browse/OPS-2");
  EXPECT_EQ(ResolvedAt("10001"), std::to_string(kFirstIncident + 12 * 3600 + 2400));
  EXPECT_EQ(ResolvedAt("10298"), "");  // the newest non-test incident is open
  EXPECT_EQ(Query("SELECT cursor FROM incident_connections").substr(0, 6), "after ");

  // Responders re-open one incident, lower another's priority and resolve the open one; the next
  // sync (through a 429) reads only what changed since, and updates, never duplicates.
  jsm_.Reopen(2);
  jsm_.SetPriority(3, "P5");
  const std::int64_t resolved = leadline::common::NowUnixSeconds() - 60;
  jsm_.Resolve(298, resolved);
  const int before = jsm_.requests_by_path()["/rest/api/3/search/jql"];
  jsm_.FailNext(1);
  const LeadlineRun again = Leadline("incidents sync");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(jsm_.answered(429), 1);
  EXPECT_NE(again.out.find("(3 new or changed)"), std::string::npos) << again.out;
  EXPECT_LE(jsm_.requests_by_path()["/rest/api/3/search/jql"] - before, 3);
  EXPECT_EQ(StoredIncidents(), std::to_string(NonTestIncidents()));
  EXPECT_EQ(ResolvedAt("10002"), "");
  EXPECT_EQ(Query("SELECT severity FROM incidents WHERE id = '10003'"), "P5");
  EXPECT_EQ(ResolvedAt("10298"), std::to_string(resolved));
}

TEST_F(JsmCliTest, ChosenPrioritiesAndTheAdminApiConnectJsm) {
  const LeadlineRun bad_count = Leadline(ConnectJsm("jsm-token", " --count 'P 1'"));
  EXPECT_EQ(bad_count.exit_code, 1);
  EXPECT_NE(bad_count.err.find("--count 'P 1' is not a severity"), std::string::npos)
      << bad_count.err;

  const LeadlineRun token = Leadline("tokens create --name ops --scopes admin");
  ASSERT_EQ(token.exit_code, 0) << token.err;
  leadline::testing::ServerProcess server(db(), dir_.Child("serve.log"));
  httplib::Client client("127.0.0.1", server.port());
  client.set_read_timeout(60, 0);
  const auto send = [&](const json& body) {
    return leadline::testing::SendJson(
        client, "POST", "/v1/admin/connections",
        leadline::testing::Bearer(token.out.substr(0, token.out.find('\n'))), body.dump());
  };
  json body = {{"provider", "jsm"}, {"url", jsm_.url()}, {"token", JsmDoubleConfig().token}};
  auto [status, answer] = send(body);
  EXPECT_EQ(status, 400);
  EXPECT_NE(answer.dump().find("'email'"), std::string::npos) << answer.dump();
  body["email"] = JsmDoubleConfig().email;
  body["counts"] = {"P1"};
  std::tie(status, answer) = send(body);
  ASSERT_EQ(status, 201) << answer.dump();
  EXPECT_EQ(answer["provider"], "jsm");
  EXPECT_EQ(answer["services"], 3);
  EXPECT_EQ(answer["counts"], json({"P1"}));
}

// 40 incidents an hour apart, the newest begun 6 hours ago and still open.
class JsmWebhookCliTest : public JsmCliTest {
 protected:
  JsmWebhookCliTest()
      : JsmCliTest(DoubleConfig(40, leadline::common::NowUnixSeconds() - 45 * 3600, 3600)) {}

  std::string OutcomeOf(const std::string& id) const {
    for (int i = 0; i < 200; ++i) {
      const std::string outcome =
          Query("SELECT outcome FROM webhook_inbox WHERE delivery_id = 'jsm:" + id +
                "' AND applied_at IS NOT NULL");
      if (!outcome.empty()) return outcome;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return "(not applied in 20 s)";
  }
};

TEST_F(JsmWebhookCliTest, SignedJiraDeliveriesSyncIncidentsAndForgedOnesAreRefused) {
  const LeadlineRun connected = Leadline(ConnectJsm(
      "jsm-token", " --webhook-secret-file " + ShellQuote(dir_.Child("jsm-webhook-secret"))));
  ASSERT_EQ(connected.exit_code, 0) << connected.err;
  const std::string route = "/v1/webhooks/" + Query("SELECT id FROM connections");
  ASSERT_EQ(Leadline("incidents sync --since 30d").exit_code, 0);
  ASSERT_EQ(ResolvedAt("10038"), "");  // open; 10039 is a test incident
  leadline::testing::ServerProcess server(db(), dir_.Child("serve.log"), "--reconcile-every off");
  httplib::Client client("127.0.0.1", server.port());

  const std::string body = R"({"timestamp":1748764800000,"webhookEvent":"jira:issue_updated",)"
                           R"("issue":{"id":"10038","key":"OPS-39"}})";
  const auto deliver = [&](const std::string& id, const std::string& signature) {
    httplib::Headers headers = {{"X-Atlassian-Webhook-Identifier", id}};
    if (!signature.empty()) headers.emplace("X-Hub-Signature", signature);
    auto result = client.Post(route, headers, body, "application/json");
    return result ? result->status : 0;
  };
  EXPECT_EQ(deliver("d-1", leadline::sources::SignHubSignature(body, "another-secret")), 401);
  EXPECT_EQ(deliver("d-1", ""), 401);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM webhook_inbox"), "0");

  const std::int64_t resolved_at = leadline::common::NowUnixSeconds() - 3600;
  jsm_.Resolve(38, resolved_at);
  const std::string signature = leadline::sources::SignHubSignature(body, kWebhookSecret);
  ASSERT_EQ(deliver("d-2", signature), 200);
  EXPECT_EQ(deliver("d-2", signature), 200);  // a retry is stored once
  EXPECT_EQ(Query("SELECT COUNT(*) FROM webhook_inbox"), "1");
  EXPECT_EQ(OutcomeOf("d-2"), "applied: synced the connection's incidents");
  EXPECT_EQ(ResolvedAt("10038"), std::to_string(resolved_at));
  EXPECT_EQ(StoredIncidents(), std::to_string(NonTestIncidents())) << "updated, never doubled";
}

class KilledJsmSyncTest : public JsmCliTest {
 protected:
  static constexpr int kMany = 3000;  // one an hour: 125 days, 30 pages
  KilledJsmSyncTest() : JsmCliTest(DoubleConfig(kMany, kFirstIncident, 3600)) {}
};

TEST_F(KilledJsmSyncTest, ABackfillKilledMidwayResumesWithEveryIncidentOnce) {
  ASSERT_EQ(Leadline(ConnectJsm()).exit_code, 0);
  jsm_.SetLatency(std::chrono::milliseconds(40));
  const int before = jsm_.requests_by_path()["/rest/api/3/search/jql"];
  EXPECT_TRUE(KillLeadlineWhen("incidents sync --since 700d", [&] {
    return jsm_.requests_by_path()["/rest/api/3/search/jql"] - before >= 12;
  }));
  const int stored = std::stoi(StoredIncidents());
  ASSERT_GT(stored, 0);
  ASSERT_LT(stored, NonTestIncidents()) << "the backfill finished before it was killed";
  EXPECT_TRUE(Query("SELECT cursor FROM incident_connections").starts_with("walk "));
  const int pages_before = jsm_.requests_by_path()["/rest/api/3/search/jql"];

  jsm_.SetLatency(std::chrono::milliseconds(0));
  const LeadlineRun resumed = Leadline("incidents sync --since 700d");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("resuming the walk a cut sync left"), std::string::npos)
      << resumed.out;
  // The resumed walk starts at the page in flight: the pages left, and at most that one again.
  const int pages_after = jsm_.requests_by_path()["/rest/api/3/search/jql"] - pages_before;
  EXPECT_LE(pages_after, (kMany - stored) / 100 + 3) << resumed.out;
  EXPECT_EQ(StoredIncidents(), std::to_string(NonTestIncidents()));
  EXPECT_EQ(Query("SELECT COUNT(DISTINCT id) FROM incidents"), std::to_string(NonTestIncidents()));
  EXPECT_TRUE(Query("SELECT cursor FROM incident_connections").starts_with("after "));
}

}  // namespace
