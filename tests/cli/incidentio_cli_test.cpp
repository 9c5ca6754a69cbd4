// End-to-end tests of incident.io: the real `leadline` binary against the local incident.io
// double (API shapes, `after` cursors, a 429, a 401): connect, check, services list and map, a
// backfill and an incremental sync that reads a re-opened incident, a changed severity and a
// resolution, the mapped incidents in a repository's report, and Standard Webhooks deliveries at
// /v1/webhooks/{connection} that sync the connection's incidents; and a connection made through
// the admin API; a backfill killed with SIGKILL and resumed.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "bitbucket_cli_fixture.h"
#include "incidentio_double/incidentio_double.h"
#include "serve_cli_fixture.h"
#include "sources/contract/webhook_signature.h"
#include "testing/server_process.h"

namespace {

using leadline::testing::IncidentIoDouble;
using leadline::testing::IncidentIoDoubleConfig;
using leadline::testing::LeadlineRun;
using leadline::testing::ShellQuote;
using nlohmann::json;

constexpr std::int64_t kFirstIncident = 1748736000;  // 2025-06-01T00:00:00Z
constexpr int kIncidents = 300;                      // one every 12 h: 150 days
// "whsec_" and the base64 of "incidentio-signing-secret".
constexpr char kWebhookSecret[] = "whsec_aW5jaWRlbnRpby1zaWduaW5nLXNlY3JldA==";

IncidentIoDoubleConfig DoubleConfig(int incidents, std::int64_t first, std::int64_t pace) {
  IncidentIoDoubleConfig config;
  config.incidents = incidents;
  config.first_incident_at = first;
  config.pace_seconds = pace;
  config.test_every = 10;
  return config;
}

class IncidentIoCliTest : public leadline::testing::BitbucketCliTest {
 protected:
  explicit IncidentIoCliTest(IncidentIoDoubleConfig config = DoubleConfig(kIncidents,
                                                                          kFirstIncident,
                                                                          12 * 3600))
      : incidentio_(config), served_(config.incidents) {
    std::ofstream(dir_.Child("inc-key")) << IncidentIoDoubleConfig().key << "\n";
    std::ofstream(dir_.Child("inc-wrong-key")) << "not-an-incidentio-key\n";
    std::ofstream(dir_.Child("inc-webhook-secret")) << kWebhookSecret << "\n";
  }

  std::string ConnectIncidentIo(const std::string& key_file = "inc-key",
                                const std::string& more = "") const {
    return "connect incidentio --url " + ShellQuote(incidentio_.url()) + " --token-file " +
           ShellQuote(dir_.Child(key_file)) + more;
  }
  std::string StoredIncidents() const {
    return Query("SELECT COUNT(*) FROM incidents WHERE source = 'incidentio'");
  }
  int NonTestIncidents() const {
    int count = 0;
    for (int i = 0; i < served_; ++i) count += !incidentio_.IncidentAt(i).test;
    return count;
  }
  std::string ResolvedAt(const std::string& id) const {
    return Query(OnPostgres() ? "SELECT CAST(EXTRACT(EPOCH FROM resolved_at) AS BIGINT) FROM "
                                "incidents WHERE id = '" +
                                    id + "'"
                              : "SELECT resolved_at FROM incidents WHERE id = '" + id + "'");
  }

  IncidentIoDouble incidentio_;
  int served_ = 0;
};

TEST_F(IncidentIoCliTest, ConnectsChecksMapsBackfillsAndReadsChangesIncrementally) {
  const LeadlineRun refused = Leadline(ConnectIncidentIo("inc-wrong-key"));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("incident.io answered 401"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("the API key is wrong or was deleted"), std::string::npos);
  EXPECT_EQ(refused.err.find("not-an-incidentio-key"), std::string::npos);
  const LeadlineRun nothing = Leadline("check");
  EXPECT_EQ(nothing.exit_code, 1);
  EXPECT_NE(nothing.err.find("no connection in"), std::string::npos) << nothing.err;

  const LeadlineRun connected = Leadline(ConnectIncidentIo());
  ASSERT_EQ(connected.exit_code, 0) << connected.err;
  EXPECT_NE(connected.out.find("as the API key 'Leadline' (roles viewer incident_creator), 3 "
                               "services visible, reads incidents, severities, custom fields and "
                               "the catalog, severities Critical Major Minor."),
            std::string::npos)
      << connected.out;
  EXPECT_NE(connected.out.find("Severities that count: Critical, Major."), std::string::npos)
      << connected.out;
  EXPECT_EQ(connected.out.find(IncidentIoDoubleConfig().key), std::string::npos);
  EXPECT_EQ(Query("SELECT provider || ' ' || auth_method FROM connections"),
            "incidentio incidentio-key");

  const LeadlineRun check = Leadline("check");
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_TRUE(check.out.starts_with("ok    incidentio/127.0.0.1:")) << check.out;

  // Three services over two catalog pages.
  const LeadlineRun listed = Leadline("services list");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("01SVCOPS"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("3 of 3 services unmapped"), std::string::npos) << listed.out;
  const LeadlineRun mapped = Leadline("services map 'checkout api' --repos '*/app'");
  ASSERT_EQ(mapped.exit_code, 0) << mapped.err;
  EXPECT_NE(mapped.out.find("Checkout API (01SVCAPI, incidentio/"), std::string::npos)
      << mapped.out;

  const int checks = incidentio_.requests_by_path()["/v2/incidents"];
  const LeadlineRun synced = Leadline("incidents sync --since 600d");
  ASSERT_EQ(synced.exit_code, 0) << synced.err;
  EXPECT_NE(synced.out.find(std::to_string(NonTestIncidents()) + " incidents read (" +
                            std::to_string(NonTestIncidents()) + " new or changed), " +
                            std::to_string(kIncidents / 10) + " test incidents left out"),
            std::string::npos)
      << synced.out;
  EXPECT_EQ(StoredIncidents(), std::to_string(NonTestIncidents()));
  EXPECT_EQ(Query("SELECT COUNT(*) FROM incidents WHERE title LIKE 'Test:%'"), "0");
  // Three full pages: the last names no `after`.
  EXPECT_EQ(incidentio_.requests_by_path()["/v2/incidents"] - checks, kIncidents / 100);
  EXPECT_EQ(Query("SELECT severity || ' ' || service || ' ' || link FROM incidents WHERE id = "
                  "'01INC000001'"),
            "Major 01SVCWEB https://app.incident.io/acme/incidents/2");
  EXPECT_EQ(ResolvedAt("01INC000001"), std::to_string(kFirstIncident + 12 * 3600 + 2400));
  EXPECT_EQ(ResolvedAt("01INC000298"), "");  // the newest non-test incident is open
  EXPECT_EQ(Query("SELECT cursor FROM incident_connections").substr(0, 6), "after ");

  // Responders re-open one incident, lower another's severity and resolve the open one; the next
  // sync (through a 429) reads only what changed since, and updates, never duplicates.
  incidentio_.Reopen(2);
  incidentio_.SetSeverity(3, "Minor");
  const std::int64_t resolved = leadline::common::NowUnixSeconds() - 60;
  incidentio_.Resolve(298, resolved);
  const int before = incidentio_.requests_by_path()["/v2/incidents"];
  incidentio_.FailNext(1);
  const LeadlineRun again = Leadline("incidents sync");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(incidentio_.answered(429), 1);
  EXPECT_NE(again.out.find("(3 new or changed)"), std::string::npos) << again.out;
  EXPECT_LE(incidentio_.requests_by_path()["/v2/incidents"] - before, 3);
  EXPECT_EQ(StoredIncidents(), std::to_string(NonTestIncidents()));
  EXPECT_EQ(ResolvedAt("01INC000002"), "");
  EXPECT_EQ(Query("SELECT severity FROM incidents WHERE id = '01INC000003'"), "Minor");
  EXPECT_EQ(ResolvedAt("01INC000298"), std::to_string(resolved));
}

TEST_F(IncidentIoCliTest, ChosenSeveritiesCountInTheReportOfAMappedRepository) {
  const LeadlineRun bad_count = Leadline(ConnectIncidentIo("inc-key", " --count 'SEV 1'"));
  EXPECT_EQ(bad_count.exit_code, 1);
  EXPECT_NE(bad_count.err.find("--count 'SEV 1' is not a severity"), std::string::npos)
      << bad_count.err;
  const LeadlineRun connected = Leadline(ConnectIncidentIo("inc-key", " --count Critical"));
  ASSERT_EQ(connected.exit_code, 0) << connected.err;
  EXPECT_NE(connected.out.find("Severities that count: Critical."), std::string::npos);
  ASSERT_EQ(Leadline("incidents sync --since 600d").exit_code, 0);
  ASSERT_EQ(Leadline("services map 01SVCAPI --repos '*/app'").exit_code, 0);

  leadline::testing::GitScript git(dir_.Child("app"));
  git.Commit("c1 checkout", "2025-05-31T20:00:00Z");
  git.Tag("v1", "HEAD", "2025-05-31T23:00:00Z");
  const LeadlineRun report = Leadline("report --git " + ShellQuote(git.path()) +
                                      " --window all --until 2026-06-01T00:00:00Z --format json");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  int expected = 0;
  for (int i = 0; i < kIncidents; ++i) {
    const IncidentIoDouble::Incident incident = incidentio_.IncidentAt(i);
    expected +=
        incident.service_id == "01SVCAPI" && !incident.test && incident.severity == "Critical";
  }
  EXPECT_GT(expected, 0);
  EXPECT_EQ(json::parse(report.out)["summary"]["incidents"], expected) << report.out;
}

TEST_F(IncidentIoCliTest, AnAdminConnectsIncidentIoThroughTheApi) {
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
  json body = {{"provider", "incident.io"}, {"token", IncidentIoDoubleConfig().key}};
  auto [status, answer] = send(body);
  EXPECT_EQ(status, 400);
  EXPECT_NE(answer.dump().find("incidentio"), std::string::npos) << answer.dump();

  body = {{"provider", "incidentio"},
          {"url", incidentio_.url()},
          {"token", IncidentIoDoubleConfig().key},
          {"webhook_secret", kWebhookSecret}};
  std::tie(status, answer) = send(body);
  ASSERT_EQ(status, 201) << answer.dump();
  EXPECT_EQ(answer["provider"], "incidentio");
  EXPECT_EQ(answer["auth"], "incidentio-key");
  EXPECT_EQ(answer["services"], 3);
  EXPECT_EQ(answer["counts"], json({"Critical", "Major"}));
  const LeadlineRun services = Leadline("services list --cached");
  EXPECT_NE(services.out.find("01SVCWEB"), std::string::npos) << services.out << services.err;
}

// 40 incidents an hour apart, the newest begun 6 hours ago and still open.
class IncidentIoWebhookCliTest : public IncidentIoCliTest {
 protected:
  IncidentIoWebhookCliTest()
      : IncidentIoCliTest(DoubleConfig(40, leadline::common::NowUnixSeconds() - 45 * 3600, 3600)) {}

  std::string OutcomeOf(const std::string& webhook_id) const {
    for (int i = 0; i < 200; ++i) {
      const std::string outcome =
          Query("SELECT outcome FROM webhook_inbox WHERE delivery_id = 'incidentio:" + webhook_id +
                "' AND applied_at IS NOT NULL");
      if (!outcome.empty()) return outcome;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return "(not applied in 20 s)";
  }
};

TEST_F(IncidentIoWebhookCliTest, SignedDeliveriesSyncIncidentsAndForgedOrReplayedOnesAreRefused) {
  const LeadlineRun connected = Leadline(ConnectIncidentIo(
      "inc-key", " --webhook-secret-file " + ShellQuote(dir_.Child("inc-webhook-secret"))));
  ASSERT_EQ(connected.exit_code, 0) << connected.err;
  const std::string route = "/v1/webhooks/" + Query("SELECT id FROM connections");
  ASSERT_EQ(Leadline("incidents sync --since 30d").exit_code, 0);
  ASSERT_EQ(ResolvedAt("01INC000038"), "");  // open; 01INC000039 is a test incident
  leadline::testing::ServerProcess server(db(), dir_.Child("serve.log"), "--reconcile-every off");
  httplib::Client client("127.0.0.1", server.port());

  const std::string body =
      R"({"event_type":"public_incident.incident_status_updated_v2",)"
      R"("public_incident.incident_status_updated_v2":{"incident":{"id":"01INC000038"}}})";
  const auto deliver = [&](const std::string& id, std::int64_t timestamp,
                           const std::string& signature) {
    auto result = client.Post(route,
                              {{"webhook-id", id},
                               {"webhook-timestamp", std::to_string(timestamp)},
                               {"webhook-signature", signature}},
                              body, "application/json");
    return result ? result->status : 0;
  };
  const auto sign = [&](const std::string& id, std::int64_t timestamp, const char* secret) {
    return leadline::sources::SignStandardWebhook(id, std::to_string(timestamp), body, secret);
  };
  const std::int64_t now = leadline::common::NowUnixSeconds();
  const char* old_secret = "whsec_b2xkLXNlY3JldC1vbGQtc2VjcmV0";
  EXPECT_EQ(deliver("msg_1", now, sign("msg_1", now, old_secret)), 401);
  EXPECT_EQ(deliver("msg_1", now - 600, sign("msg_1", now - 600, kWebhookSecret)), 401);
  EXPECT_EQ(deliver("msg_1", now, ""), 401);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM webhook_inbox"), "0");

  const std::int64_t resolved_at = now - 3600;
  incidentio_.Resolve(38, resolved_at);
  // While the secret rotates, both signatures come; a retry of the same id is stored once.
  const std::string rotated =
      sign("msg_2", now, old_secret) + " " + sign("msg_2", now, kWebhookSecret);
  ASSERT_EQ(deliver("msg_2", now, rotated), 200);
  EXPECT_EQ(deliver("msg_2", now, rotated), 200);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM webhook_inbox"), "1");
  EXPECT_EQ(OutcomeOf("msg_2"), "applied: synced the connection's incidents");
  EXPECT_EQ(ResolvedAt("01INC000038"), std::to_string(resolved_at));
  EXPECT_EQ(StoredIncidents(), std::to_string(NonTestIncidents())) << "updated, never doubled";
  EXPECT_EQ(leadline::testing::ReadWholeFile(dir_.Child("serve.log")).find(kWebhookSecret),
            std::string::npos);
}

class KilledIncidentIoSyncTest : public IncidentIoCliTest {
 protected:
  static constexpr int kMany = 3000;  // one an hour: 125 days, 30 pages
  KilledIncidentIoSyncTest() : IncidentIoCliTest(DoubleConfig(kMany, kFirstIncident, 3600)) {}
};

TEST_F(KilledIncidentIoSyncTest, ABackfillKilledMidwayResumesWithEveryIncidentOnce) {
  ASSERT_EQ(Leadline(ConnectIncidentIo()).exit_code, 0);
  const int checks = incidentio_.requests_by_path()["/v2/incidents"];
  incidentio_.SetLatency(std::chrono::milliseconds(40));
  EXPECT_TRUE(KillLeadlineWhen("incidents sync --since 700d", [&] {
    return incidentio_.requests_by_path()["/v2/incidents"] - checks >= 12;
  }));
  const int stored = std::stoi(StoredIncidents());
  ASSERT_GT(stored, 0);
  ASSERT_LT(stored, NonTestIncidents()) << "the backfill finished before it was killed";
  EXPECT_TRUE(Query("SELECT cursor FROM incident_connections").starts_with("walk "));
  const int pages_before = incidentio_.requests_by_path()["/v2/incidents"];

  incidentio_.SetLatency(std::chrono::milliseconds(0));
  const LeadlineRun resumed = Leadline("incidents sync --since 700d");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("resuming the walk a cut sync left"), std::string::npos)
      << resumed.out;
  // The resumed walk starts at the page in flight: the pages left, and at most that one again.
  const int pages_after = incidentio_.requests_by_path()["/v2/incidents"] - pages_before;
  EXPECT_LE(pages_after, (kMany - stored) / 100 + 2) << resumed.out;
  EXPECT_EQ(StoredIncidents(), std::to_string(NonTestIncidents()));
  EXPECT_EQ(Query("SELECT COUNT(DISTINCT id) FROM incidents"), std::to_string(NonTestIncidents()));
  EXPECT_TRUE(Query("SELECT cursor FROM incident_connections").starts_with("after "));
}

}  // namespace
