// End-to-end tests of Opsgenie: the real `leadline` binary against the local Opsgenie double
// (the OpenAPI spec's shapes, offset paging newest first, a 429, a 401): connect with the
// warning that names the end of its API, check, services (teams) list and map, a backfill and an
// incremental sync that reads a re-opened incident, a changed priority and a resolution, a
// backfill killed with SIGKILL and resumed, and its connection refusing webhooks (they are not
// signed: the poll keeps it current).
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "bitbucket_cli_fixture.h"
#include "opsgenie_double/opsgenie_double.h"
#include "testing/server_process.h"

namespace {

using leadline::testing::LeadlineRun;
using leadline::testing::OpsgenieDouble;
using leadline::testing::OpsgenieDoubleConfig;
using leadline::testing::ShellQuote;
using nlohmann::json;

constexpr int kIncidents = 300;

// `incidents` `pace` apart, the newest begun an hour ago.
OpsgenieDoubleConfig DoubleConfig(int incidents, std::int64_t pace) {
  OpsgenieDoubleConfig config;
  config.incidents = incidents;
  config.pace_seconds = pace;
  config.first_incident_at = leadline::common::NowUnixSeconds() - 3600 - (incidents - 1) * pace;
  config.test_every = 10;
  return config;
}

class OpsgenieCliTest : public leadline::testing::BitbucketCliTest {
 protected:
  explicit OpsgenieCliTest(OpsgenieDoubleConfig config = DoubleConfig(kIncidents, 2 * 3600))
      : opsgenie_(config), served_(config.incidents) {
    std::ofstream(dir_.Child("og-key")) << OpsgenieDoubleConfig().key << "\n";
    std::ofstream(dir_.Child("og-wrong-key")) << "not-an-opsgenie-key\n";
  }

  std::string ConnectOpsgenie(const std::string& key_file = "og-key",
                              const std::string& more = "") const {
    return "connect opsgenie --url " + ShellQuote(opsgenie_.url()) + " --token-file " +
           ShellQuote(dir_.Child(key_file)) + more;
  }
  std::string StoredIncidents() const {
    return Query("SELECT COUNT(*) FROM incidents WHERE source = 'opsgenie'");
  }
  int NonTestIncidents() const {
    int count = 0;
    for (int i = 0; i < served_; ++i) count += !opsgenie_.IncidentAt(i).test;
    return count;
  }
  std::string ResolvedAt(const std::string& id) const {
    return Query(OnPostgres() ? "SELECT CAST(EXTRACT(EPOCH FROM resolved_at) AS BIGINT) FROM "
                                "incidents WHERE id = '" +
                                    id + "'"
                              : "SELECT resolved_at FROM incidents WHERE id = '" + id + "'");
  }

  OpsgenieDouble opsgenie_;
  int served_ = 0;
};

TEST_F(OpsgenieCliTest, ConnectsWithItsEndNamedChecksMapsBackfillsAndReadsChanges) {
  const LeadlineRun refused = Leadline(ConnectOpsgenie("og-wrong-key"));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("Opsgenie answered 401"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("Could not authenticate"), std::string::npos);
  EXPECT_EQ(refused.err.find("not-an-opsgenie-key"), std::string::npos);
  const LeadlineRun region =
      Leadline("connect opsgenie --region mars --token-file " + ShellQuote(dir_.Child("og-key")));
  EXPECT_NE(region.exit_code, 0);
  EXPECT_EQ(Leadline("check").exit_code, 1);  // nothing stored

  const LeadlineRun connected = Leadline(ConnectOpsgenie());
  ASSERT_EQ(connected.exit_code, 0) << connected.err;
  EXPECT_NE(connected.err.find("warning: Opsgenie's REST API ends on 2027-04-05"),
            std::string::npos)
      << connected.err;
  EXPECT_NE(connected.err.find("120 days after migrating"), std::string::npos);
  EXPECT_NE(connected.out.find("as the API key of account acme (plan Standard), 3 services "
                               "visible, reads incidents and teams"),
            std::string::npos)
      << connected.out;
  EXPECT_NE(connected.out.find("Severities that count: P1, P2."), std::string::npos);
  EXPECT_EQ(connected.out.find(OpsgenieDoubleConfig().key), std::string::npos);
  EXPECT_EQ(Query("SELECT provider || ' ' || auth_method FROM connections"),
            "opsgenie opsgenie-key");

  const LeadlineRun check = Leadline("check");
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_TRUE(check.out.starts_with("ok    opsgenie/127.0.0.1:")) << check.out;
  EXPECT_NE(check.out.find("2027-04-05"), std::string::npos) << check.out;

  const LeadlineRun listed = Leadline("services list");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("team-tools"), std::string::npos) << listed.out;
  const LeadlineRun mapped = Leadline("services map checkout --repos '*/app'");
  ASSERT_EQ(mapped.exit_code, 0) << mapped.err;
  EXPECT_NE(mapped.out.find("Checkout (team-checkout, opsgenie/"), std::string::npos) << mapped.out;

  const int before_backfill = opsgenie_.requests_by_path()["/v1/incidents/"];
  const LeadlineRun synced = Leadline("incidents sync --since 60d");
  ASSERT_EQ(synced.exit_code, 0) << synced.err;
  EXPECT_NE(synced.out.find(std::to_string(NonTestIncidents()) + " incidents read (" +
                            std::to_string(NonTestIncidents()) + " new or changed), " +
                            std::to_string(kIncidents / 10) + " test incidents left out"),
            std::string::npos)
      << synced.out;
  EXPECT_EQ(StoredIncidents(), std::to_string(NonTestIncidents()));
  EXPECT_EQ(Query("SELECT COUNT(*) FROM incidents WHERE title LIKE 'Paging drill%'"), "0");
  EXPECT_EQ(opsgenie_.requests_by_path()["/v1/incidents/"] - before_backfill, kIncidents / 100);
  EXPECT_EQ(opsgenie_.answered(422), 0);
  EXPECT_EQ(Query("SELECT severity || ' ' || service FROM incidents WHERE id = 'inc-000001'"),
            "P2 team-store");
  EXPECT_EQ(ResolvedAt("inc-000298"), "");  // open; inc-000299 is a test incident

  // Responders re-open one incident, lower another's priority and resolve the open one, all of
  // the last day; the next sync (through a 429) reads them again and updates, never duplicates.
  opsgenie_.Reopen(295);
  opsgenie_.SetPriority(296, "P5");
  opsgenie_.Resolve(298);
  const int before = opsgenie_.requests_by_path()["/v1/incidents/"];
  opsgenie_.FailNext(1);
  const LeadlineRun again = Leadline("incidents sync");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(opsgenie_.answered(429), 1);
  EXPECT_NE(again.out.find("(3 new or changed)"), std::string::npos) << again.out;
  EXPECT_LE(opsgenie_.requests_by_path()["/v1/incidents/"] - before, 2);
  EXPECT_EQ(StoredIncidents(), std::to_string(NonTestIncidents()));
  EXPECT_EQ(ResolvedAt("inc-000295"), "");
  EXPECT_EQ(Query("SELECT severity FROM incidents WHERE id = 'inc-000296'"), "P5");
  EXPECT_EQ(ResolvedAt("inc-000298"), std::to_string(opsgenie_.IncidentAt(298).updated_at));

  // Its webhooks are not signed: the route takes none, the poll keeps the connection current.
  leadline::testing::ServerProcess server(db(), dir_.Child("serve.log"), "--reconcile-every off");
  httplib::Client client("127.0.0.1", server.port());
  const auto posted = client.Post("/v1/webhooks/" + Query("SELECT id FROM connections"),
                                  R"({"action":"Create"})", "application/json");
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 404);
}

class KilledOpsgenieSyncTest : public OpsgenieCliTest {
 protected:
  static constexpr int kMany = 3000;  // one an hour: 125 days, 30 pages
  KilledOpsgenieSyncTest() : OpsgenieCliTest(DoubleConfig(kMany, 3600)) {}
};

TEST_F(KilledOpsgenieSyncTest, ABackfillKilledMidwayResumesWithEveryIncidentOnce) {
  ASSERT_EQ(Leadline(ConnectOpsgenie()).exit_code, 0);
  opsgenie_.SetLatency(std::chrono::milliseconds(40));
  const int before = opsgenie_.requests_by_path()["/v1/incidents/"];
  EXPECT_TRUE(KillLeadlineWhen("incidents sync --since 200d", [&] {
    return opsgenie_.requests_by_path()["/v1/incidents/"] - before >= 12;
  }));
  const int stored = std::stoi(StoredIncidents());
  ASSERT_GT(stored, 0);
  ASSERT_LT(stored, NonTestIncidents()) << "the backfill finished before it was killed";
  EXPECT_TRUE(Query("SELECT cursor FROM incident_connections").starts_with("walk "));
  const int pages_before = opsgenie_.requests_by_path()["/v1/incidents/"];

  opsgenie_.SetLatency(std::chrono::milliseconds(0));
  const LeadlineRun resumed = Leadline("incidents sync --since 200d");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("resuming the walk a cut sync left"), std::string::npos)
      << resumed.out;
  const int pages_after = opsgenie_.requests_by_path()["/v1/incidents/"] - pages_before;
  EXPECT_LE(pages_after, (kMany - stored) / 100 + 3) << resumed.out;
  EXPECT_EQ(StoredIncidents(), std::to_string(NonTestIncidents()));
  EXPECT_EQ(Query("SELECT COUNT(DISTINCT id) FROM incidents"), std::to_string(NonTestIncidents()));
  EXPECT_TRUE(Query("SELECT cursor FROM incident_connections").starts_with("after "));
}

}  // namespace
