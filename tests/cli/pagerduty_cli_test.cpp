// End-to-end tests of PagerDuty: the real `leadline` binary against the local PagerDuty double
// (API v2's shapes, offset paging, six-month windows, a 429 with Retry-After, a 401): connect,
// check, services list and map, a backfill and an incremental sync, a backfill killed with
// SIGKILL and resumed, the mapped incidents in a repository's report, and v3 webhook deliveries
// at /v1/webhooks/{connection} verified by their X-PagerDuty-Signature; an incident tied by the
// deployment its custom field names, and one tied by the change event Leadline sent that
// PagerDuty relates to it (a 403 there leaves it to the window).
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "bitbucket_cli_fixture.h"
#include "pagerduty_double/pagerduty_double.h"
#include "sources/contract/webhook_signature.h"
#include "sources/pagerduty/change_event.h"
#include "testing/server_process.h"

namespace {

using leadline::testing::LeadlineRun;
using leadline::testing::PagerDutyDouble;
using leadline::testing::PagerDutyDoubleConfig;
using leadline::testing::ShellQuote;
using nlohmann::json;

constexpr std::int64_t kFirstIncident = 1748736000;  // 2025-06-01T00:00:00Z
constexpr int kIncidents = 400;                      // one every 12 h: 200 days

PagerDutyDoubleConfig DoubleConfig(int incidents = kIncidents, std::int64_t pace = 12 * 3600) {
  PagerDutyDoubleConfig config;
  config.incidents = incidents;
  config.first_incident_at = kFirstIncident;
  config.pace_seconds = pace;
  config.test_every = 10;
  return config;
}

class PagerDutyCliTest : public leadline::testing::BitbucketCliTest {
 protected:
  explicit PagerDutyCliTest(PagerDutyDoubleConfig config = DoubleConfig())
      : pagerduty_(std::move(config)) {
    std::ofstream(dir_.Child("pd-user-key")) << PagerDutyDoubleConfig().user_key << "\n";
    std::ofstream(dir_.Child("pd-account-key")) << PagerDutyDoubleConfig().account_key << "\n";
    std::ofstream(dir_.Child("pd-wrong-key")) << "not-a-pagerduty-key\n";
  }

  std::string ConnectPagerDuty(const std::string& key_file = "pd-user-key",
                               const std::string& more = "") const {
    return "connect pagerduty --url " + ShellQuote(pagerduty_.url()) + " --token-file " +
           ShellQuote(dir_.Child(key_file)) + more;
  }
  std::string StoredIncidents() const {
    return Query("SELECT COUNT(*) FROM incidents WHERE source = 'pagerduty'");
  }
  // The incidents the double serves that are not tests.
  int NonTestIncidents() const {
    int count = 0;
    for (int i = 0; i < IncidentsServed(); ++i) {
      count += !pagerduty_.IncidentAt(i).test;
    }
    return count;
  }
  virtual int IncidentsServed() const { return kIncidents; }
  // Connects with the webhook secret "whsec-from-pagerduty": the connection's webhook route, or
  // "" when connecting failed.
  std::string ConnectWithWebhookSecret() const {
    std::ofstream(dir_.Child("pd-webhook-secret")) << "whsec-from-pagerduty\n";
    const LeadlineRun connected = Leadline(ConnectPagerDuty(
        "pd-user-key", " --webhook-secret-file " + ShellQuote(dir_.Child("pd-webhook-secret"))));
    EXPECT_EQ(connected.exit_code, 0) << connected.err;
    if (connected.exit_code != 0) return "";
    return "/v1/webhooks/" + Query("SELECT id FROM connections WHERE name LIKE 'pagerduty/%'");
  }

  // The counting incidents (P1, P2: two in five) the double serves.
  int Counting() const {
    int counting = 0;
    for (int i = 0; i < IncidentsServed(); ++i) {
      const PagerDutyDouble::Incident incident = pagerduty_.IncidentAt(i);
      counting += !incident.test && (incident.priority == "P1" || incident.priority == "P2");
    }
    return counting;
  }
  // The report of an acme/app history with v1 and v2 shipped before incident 0, as JSON.
  json Report() {
    leadline::testing::GitScript git(dir_.Child("app"));
    git.Commit("c1 checkout", "2025-05-31T18:00:00Z");
    git.Tag("v1", "HEAD", "2025-05-31T19:00:00Z");
    git.Commit("c2 checkout", "2025-05-31T20:00:00Z");
    git.Tag("v2", "HEAD", "2025-05-31T23:00:00Z");
    const LeadlineRun report = Leadline("report --git " + ShellQuote(git.path()) +
                                        " --window all --until 2025-06-01T06:00:00Z --format json");
    EXPECT_EQ(report.exit_code, 0) << report.err;
    return report.exit_code == 0 ? json::parse(report.out) : json();
  }

  PagerDutyDouble pagerduty_;
};

TEST_F(PagerDutyCliTest, ConnectsChecksMapsAndBackfillsInSixMonthWindows) {
  const LeadlineRun connected = Leadline(ConnectPagerDuty());
  ASSERT_EQ(connected.exit_code, 0) << connected.err;
  EXPECT_NE(connected.out.find("as the user key of Earline Greenholt <earline@example.com>, 3 "
                               "services visible, reads incidents, services and priorities, "
                               "priorities P1 P2 P3 P4 P5."),
            std::string::npos)
      << connected.out;
  EXPECT_NE(connected.out.find("Severities that count: P1, P2."), std::string::npos)
      << connected.out;
  // The key is sealed, and never printed.
  const std::string key = PagerDutyDoubleConfig().user_key;
  EXPECT_EQ(connected.out.find(key), std::string::npos);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM connections WHERE provider = 'pagerduty' AND "
                  "sealed_secret LIKE '%" +
                  key + "%'"),
            "0");
  EXPECT_EQ(pagerduty_.wrong_accept(), 0);

  const LeadlineRun check = Leadline("check");
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_TRUE(check.out.starts_with("ok    pagerduty/127.0.0.1:")) << check.out;

  const LeadlineRun listed = Leadline("services list");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_NE(listed.out.find("PSVCAPI    Checkout API"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("3 of 3 services unmapped, with 0 stored incidents"), std::string::npos)
      << listed.out;

  const LeadlineRun mapped = Leadline("services map 'checkout api' --repos '*/app'");
  ASSERT_EQ(mapped.exit_code, 0) << mapped.err;
  EXPECT_NE(mapped.out.find("Checkout API (PSVCAPI, pagerduty/"), std::string::npos) << mapped.out;
  const LeadlineRun missing = Leadline("services map NOPE --repos 'acme/*'");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no service 'NOPE'"), std::string::npos) << missing.err;
  const LeadlineRun no_pattern = Leadline("services map PSVCWEB --repos ''");
  EXPECT_EQ(no_pattern.exit_code, 1);
  EXPECT_NE(no_pattern.err.find("--repos must be a pattern"), std::string::npos) << no_pattern.err;
  const json services = json::parse(Leadline("services list --cached --format json").out);
  ASSERT_EQ(services.size(), 3u);
  EXPECT_EQ(services[0]["id"], "PSVCAPI");
  EXPECT_EQ(services[0]["repos"], "*/app");
  EXPECT_TRUE(services[1]["repos"].is_null());

  // Back 600 days: four windows of at most 180 days, the double's 6-month rule never broken.
  const LeadlineRun synced = Leadline("incidents sync --since 600d");
  ASSERT_EQ(synced.exit_code, 0) << synced.err;
  EXPECT_NE(synced.out.find(std::to_string(NonTestIncidents()) + " incidents read (" +
                            std::to_string(NonTestIncidents()) + " new or changed), " +
                            std::to_string(kIncidents / 10) + " test incidents left out"),
            std::string::npos)
      << synced.out;
  EXPECT_EQ(StoredIncidents(), std::to_string(NonTestIncidents()));
  EXPECT_EQ(Query("SELECT COUNT(*) FROM incidents WHERE title LIKE '[TEST]%'"), "0");
  // The unmapped services' incidents are told apart from the mapped one's.
  const json counted = json::parse(Leadline("services list --cached --format json").out);
  int unmapped_incidents = 0;
  for (int i = 0; i < kIncidents; ++i) {
    unmapped_incidents +=
        !pagerduty_.IncidentAt(i).test && pagerduty_.IncidentAt(i).service_id != "PSVCAPI";
  }
  EXPECT_EQ(counted[0]["incidents"].get<int>() + unmapped_incidents, NonTestIncidents());
  EXPECT_NE(Leadline("services list --cached")
                .out.find("2 of 3 services unmapped, with " + std::to_string(unmapped_incidents) +
                          " stored incidents that count nowhere"),
            std::string::npos);
  EXPECT_EQ(pagerduty_.answered(400), 0);
  EXPECT_GE(pagerduty_.requests_by_path()["/incidents"], 4 + kIncidents / 100);
  // The acknowledged incident keeps its acknowledgement and link; the resolved ones their end.
  EXPECT_EQ(Query("SELECT COUNT(*) FROM incidents WHERE id = 'PI000398' AND acknowledged_at IS "
                  "NOT NULL"),
            "1");
  EXPECT_EQ(Query("SELECT link FROM incidents WHERE id = 'PI000001'"),
            "https://acme.pagerduty.com/incidents/PI000001");
  // Open: the acknowledged one (the triggered newest is a test incident).
  EXPECT_EQ(Query("SELECT COUNT(*) FROM incidents WHERE source = 'pagerduty' AND resolved_at "
                  "IS NULL"),
            "1");

  // The next sync is incremental (from the oldest open incident), through a 429.
  const int before = pagerduty_.requests_by_path()["/incidents"];
  pagerduty_.FailNext(1);
  const LeadlineRun again = Leadline("incidents sync");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(pagerduty_.answered(429), 1);
  EXPECT_NE(again.out.find("(0 new or changed)"), std::string::npos) << again.out;
  EXPECT_LE(pagerduty_.requests_by_path()["/incidents"] - before, 3);
  EXPECT_EQ(StoredIncidents(), std::to_string(NonTestIncidents()));
}

TEST_F(PagerDutyCliTest, AWrongKeyIsRefusedAndNothingIsStored) {
  const LeadlineRun refused = Leadline(ConnectPagerDuty("pd-wrong-key"));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("PagerDuty answered 401"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("the API key is wrong or was deleted"), std::string::npos);
  EXPECT_EQ(refused.err.find("not-a-pagerduty-key"), std::string::npos);
  const LeadlineRun check = Leadline("check");
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_NE(check.err.find("no connection in"), std::string::npos) << check.err;
  const LeadlineRun no_tool = Leadline("services list");
  EXPECT_EQ(no_tool.exit_code, 1);
  EXPECT_NE(no_tool.err.find("connect pagerduty"), std::string::npos) << no_tool.err;
  const LeadlineRun bad_count = Leadline(ConnectPagerDuty("pd-user-key", " --count 'P 1'"));
  EXPECT_EQ(bad_count.exit_code, 1);
  EXPECT_NE(bad_count.err.find("--count 'P 1' is not a severity"), std::string::npos)
      << bad_count.err;
}

TEST_F(PagerDutyCliTest, AnAccountKeyWithChosenSeveritiesFeedsTheReportOfAMappedRepository) {
  const LeadlineRun connected =
      Leadline(ConnectPagerDuty("pd-account-key", " --count P1 --count P3"));
  ASSERT_EQ(connected.exit_code, 0) << connected.err;
  EXPECT_NE(connected.out.find("as an account API key, 3 services visible"), std::string::npos)
      << connected.out;
  EXPECT_NE(connected.out.find("Severities that count: P1, P3."), std::string::npos);
  ASSERT_EQ(Leadline("incidents sync --since 600d").exit_code, 0);

  // v1 ships an hour before PI000000 (Checkout API, P1) begins; it is resolved 30 minutes later.
  leadline::testing::GitScript git(dir_.Child("app"));
  git.Commit("c1 checkout", "2025-05-31T20:00:00Z");
  git.Tag("v1", "HEAD", "2025-05-31T23:00:00Z");
  const std::string report_args = "report --git " + ShellQuote(git.path()) +
                                  " --window all --until 2026-06-01T00:00:00Z --format json";
  // Unmapped, the service's incidents count nowhere.
  const LeadlineRun unmapped = Leadline(report_args);
  ASSERT_EQ(unmapped.exit_code, 0) << unmapped.err;
  EXPECT_EQ(json::parse(unmapped.out)["summary"]["incidents"], 0) << unmapped.out;

  ASSERT_EQ(Leadline("services map PSVCAPI --repos '*/app'").exit_code, 0);
  const LeadlineRun report = Leadline(report_args);
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const json summary = json::parse(report.out)["summary"];
  int expected = 0;
  for (int i = 0; i < kIncidents; ++i) {
    const PagerDutyDouble::Incident incident = pagerduty_.IncidentAt(i);
    expected += incident.service_id == "PSVCAPI" && !incident.test &&
                (incident.priority == "P1" || incident.priority == "P3");
  }
  EXPECT_EQ(summary["incidents"], expected) << report.out;
  EXPECT_EQ(summary["failed_deployments"], 1) << report.out;
  EXPECT_EQ(json::parse(report.out)["deployments"][0]["recovery_s"], 3600 + 1800) << report.out;
}

// PI000000 (Checkout API, P1) names the deployment v1 in its "Deployment" custom field, so it is
// tied to v1, although the window rule would tie it to v2, which shipped between the two.
// Custom fields cost one request per counting incident where a field that may name a cause is
// defined, and one per sync where none is (PagerDutyCliTest's double defines none).
class NamedDeploymentPagerDutyTest : public PagerDutyCliTest {
 protected:
  static PagerDutyDoubleConfig Config() {
    PagerDutyDoubleConfig config = DoubleConfig(40);
    config.defines_deployment_field = true;
    config.deployment_fields = {{0, "v1"}};
    return config;
  }
  NamedDeploymentPagerDutyTest() : PagerDutyCliTest(Config()) {}
  int IncidentsServed() const override { return 40; }
};

TEST_F(NamedDeploymentPagerDutyTest, AnIncidentThatNamesItsDeploymentIsTiedToItNotByTheWindow) {
  ASSERT_EQ(Leadline(ConnectPagerDuty()).exit_code, 0);  // P1 and P2 count
  ASSERT_EQ(Leadline("services map PSVCAPI --repos '*/app'").exit_code, 0);
  const LeadlineRun synced = Leadline("incidents sync --since 600d");
  ASSERT_EQ(synced.exit_code, 0) << synced.err;
  EXPECT_EQ(Query("SELECT deployment FROM incidents WHERE id = 'PI000000'"), "v1");
  // Only counting incidents (P1, P2: two in five) are asked for their fields.
  const int counting = Counting();
  EXPECT_EQ(pagerduty_.custom_field_requests(), counting);
  EXPECT_EQ(pagerduty_.requests_by_path()["/incidents/custom_fields"], 1);
  // Walked again, every incident is as stored: no field is read again, and no definition.
  ASSERT_EQ(Leadline("incidents sync --restart --since 600d").exit_code, 0);
  EXPECT_EQ(pagerduty_.custom_field_requests(), counting);
  EXPECT_EQ(pagerduty_.requests_by_path()["/incidents/custom_fields"], 1);
  EXPECT_EQ(Query("SELECT deployment FROM incidents WHERE id = 'PI000000'"), "v1");

  const json report = Report();
  const json deployments = report["deployments"];
  ASSERT_EQ(deployments.size(), 2u) << report.dump();
  for (const json& deployment : deployments) {
    const bool v1 = deployment["ref"] == "v1";
    EXPECT_EQ(deployment["failed"], v1) << deployment.dump();
    if (!v1) continue;
    ASSERT_EQ(deployment["failure_reasons"].size(), 1u) << deployment.dump();
    EXPECT_EQ(deployment["failure_reasons"][0]["incident"], "PI000000");
    EXPECT_EQ(deployment["failure_reasons"][0]["linked_by"], "named");
  }
}

// Incident 0 (P1 on Checkout API, 2025-06-01T00:00Z) names nothing itself; PagerDuty relates
// two change events to it: the one Leadline sent for v1 (2025-05-31T19:00Z) and a newer one of
// another tool whose link names a commit no deployment shipped. Leadline's wins: the incident is
// tied to v1 by the change event, although the window rule would tie it to v2. The change
// events cost one request per counting incident that names nothing, and none for an incident
// read again unchanged.
constexpr char kV1Commit[] = "9d1f0c2b3a4e5f60718293a4b5c6d7e8f9a0b1c2";

class ChangeEventPagerDutyTest : public PagerDutyCliTest {
 protected:
  static PagerDutyDoubleConfig Config(int refused_with = 0) {
    PagerDutyDoubleConfig config = DoubleConfig(40);
    leadline::sources::pagerduty::DeploymentChange v1;
    v1.repository = "acme/app";
    v1.environment = "production";
    v1.ref = "v1";
    v1.sha = kV1Commit;
    v1.finished_at = kFirstIncident - 5 * 3600;
    v1.deployment_key = "tag:v1";
    json sent = json::parse(leadline::sources::pagerduty::ChangeEventBody(v1))["payload"];
    sent["id"] = "01LEADLINEV1";
    sent["services"] = {{{"id", "PSVCAPI"}, {"type", "service_reference"}}};
    sent["correlation_reason"] = {{"reason", "related_service"}};
    const json other = {
        {"id", "01OTHERTOOL"},
        {"summary", "Config push"},
        {"timestamp", leadline::common::FormatRfc3339(kFirstIncident - 1800)},
        {"source", "config-tool"},
        {"custom_details", {{"pushed_by", "ops"}}},
        {"links", {{{"href", "https://bitbucket.org/acme/config/commits/0123456789abcdef"}}}},
        {"correlation_reason", {{"reason", "most_recent"}}}};
    config.related_change_events = {{0, {other.dump(), sent.dump()}}};
    config.related_change_events_status = refused_with;
    return config;
  }
  explicit ChangeEventPagerDutyTest(int refused_with = 0)
      : PagerDutyCliTest(Config(refused_with)) {}
  int IncidentsServed() const override { return 40; }
};

TEST_F(ChangeEventPagerDutyTest, AnIncidentIsTiedByTheChangeEventLeadlineSentNotByTheWindow) {
  ASSERT_EQ(Leadline(ConnectPagerDuty()).exit_code, 0);  // P1 and P2 count
  ASSERT_EQ(Leadline("services map PSVCAPI --repos '*/app'").exit_code, 0);
  const LeadlineRun synced = Leadline("incidents sync --since 600d");
  ASSERT_EQ(synced.exit_code, 0) << synced.err;
  EXPECT_EQ(synced.out.find("note:"), std::string::npos) << synced.out;
  EXPECT_EQ(Query("SELECT deployment || ' ' || commit_sha || ' ' || named_by FROM incidents "
                  "WHERE id = 'PI000000'"),
            std::string("tag:v1 ") + kV1Commit + " change_event");
  EXPECT_EQ(pagerduty_.change_event_requests(), Counting());
  EXPECT_EQ(pagerduty_.custom_field_requests(), 0);  // no field may name a cause
  // Walked again, every incident is as stored: no change events are read again.
  ASSERT_EQ(Leadline("incidents sync --restart --since 600d").exit_code, 0);
  EXPECT_EQ(pagerduty_.change_event_requests(), Counting());
  EXPECT_EQ(Query("SELECT named_by FROM incidents WHERE id = 'PI000000'"), "change_event");

  const json report = Report();
  const json& deployments = report["deployments"];
  ASSERT_EQ(deployments.size(), 2u) << report.dump();
  for (const json& deployment : deployments) {
    const bool v1 = deployment["ref"] == "v1";
    EXPECT_EQ(deployment["failed"], v1) << deployment.dump();
    if (!v1) continue;
    ASSERT_EQ(deployment["failure_reasons"].size(), 1u) << deployment.dump();
    EXPECT_EQ(deployment["failure_reasons"][0]["incident"], "PI000000");
    EXPECT_EQ(deployment["failure_reasons"][0]["linked_by"], "change_event");
  }
  ASSERT_FALSE(report["incidents"].empty()) << report.dump();
  EXPECT_EQ(report["incidents"][0]["id"], "PI000000");
  EXPECT_EQ(report["incidents"][0]["linked_by"], "change_event");
  EXPECT_EQ(report["incidents"][0]["deployment"], "v1");
}

// An account without change correlation: PagerDuty answers 403. The sync goes on, says so once,
// asks no more, and the incident is tied by the window (to v2).
class RefusedChangeEventPagerDutyTest : public ChangeEventPagerDutyTest {
 protected:
  RefusedChangeEventPagerDutyTest() : ChangeEventPagerDutyTest(403) {}
};

TEST_F(RefusedChangeEventPagerDutyTest, TheSyncSaysSoOnceAndTheWindowTiesTheIncident) {
  ASSERT_EQ(Leadline(ConnectPagerDuty()).exit_code, 0);
  ASSERT_EQ(Leadline("services map PSVCAPI --repos '*/app'").exit_code, 0);
  const LeadlineRun synced = Leadline("incidents sync --since 600d");
  ASSERT_EQ(synced.exit_code, 0) << synced.err;
  const std::size_t note = synced.out.find(
      "note: PagerDuty answered 403 for the related change "
      "events of incident PI000000");
  EXPECT_NE(note, std::string::npos) << synced.out;
  EXPECT_EQ(synced.out.find("note:", note + 1), std::string::npos) << synced.out;
  EXPECT_EQ(pagerduty_.change_event_requests(), 1);
  EXPECT_EQ(Query("SELECT deployment || named_by FROM incidents WHERE id = 'PI000000'"), "");

  const json report = Report();
  ASSERT_FALSE(report["incidents"].empty()) << report.dump();
  EXPECT_EQ(report["incidents"][0]["linked_by"], "window");
  EXPECT_EQ(report["incidents"][0]["deployment"], "v2");
}

// An account without change correlation, every incident of one service and counting (P1), the
// newest two (40 and 41) open: a reconciliation meets the refusal again for each that changes.
class RefusedChangeEventServeTest : public PagerDutyCliTest {
 protected:
  RefusedChangeEventServeTest() : PagerDutyCliTest(Config()) {}
  static PagerDutyDoubleConfig Config() {
    PagerDutyDoubleConfig config = DoubleConfig(42);
    config.services = {{"PSVCAPI", "Checkout API"}};
    config.priorities = {"P1"};
    config.related_change_events_status = 403;
    return config;
  }
  int IncidentsServed() const override { return 42; }
};

// The server's background syncs say so too, once however many of them meet the refusal.
TEST_F(RefusedChangeEventServeTest, TheServerSaysSoOnceInItsLog) {
  ASSERT_EQ(Leadline(ConnectPagerDuty()).exit_code, 0);
  ASSERT_EQ(Leadline("services map PSVCAPI --repos '*/app'").exit_code, 0);
  ASSERT_EQ(Leadline("incidents sync --since 600d").exit_code, 0);
  const std::string log = dir_.Child("serve.log");
  {
    leadline::testing::ServerProcess server(db(), log, "--reconcile-every 1s");
    // Each open incident ends in turn; the reconciliation reads it as changed and asks for its
    // change events.
    for (const int index : {40, 41}) {
      const int asked = pagerduty_.change_event_requests();
      pagerduty_.Resolve(index, leadline::common::NowUnixSeconds() - 60);
      for (int i = 0; i < 100 && pagerduty_.change_event_requests() == asked; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      ASSERT_EQ(pagerduty_.change_event_requests(), asked + 1) << index;
    }
    server.Stop(SIGTERM);
  }
  const std::string said = leadline::testing::ReadWholeFile(log);
  const std::string note = "leadline: note: pagerduty/";
  const std::size_t first = said.find(note);
  ASSERT_NE(first, std::string::npos) << said;
  EXPECT_NE(
      said.find("PagerDuty answered 403 for the related change events of incident PI000040", first),
      std::string::npos)
      << said;
  EXPECT_EQ(said.find(note, first + 1), std::string::npos) << said;
}

TEST_F(PagerDutyCliTest, ServicesInTheSettingsWinOverStoredMappingsAndDoctorNamesUnmappedOnes) {
  ConnectAndSelect(ConnectCloud(), "acme/repo-1");
  ASSERT_EQ(Leadline("sync").exit_code, 0);
  ASSERT_EQ(Leadline(ConnectPagerDuty()).exit_code, 0);
  ASSERT_EQ(Leadline("incidents sync --since 600d").exit_code, 0);
  const LeadlineRun before = Leadline("doctor");
  ASSERT_EQ(before.exit_code, 0) << before.err;
  EXPECT_NE(before.out.find("warning [unmapped_service] Checkout API (PSVCAPI, pagerduty/"),
            std::string::npos)
      << before.out;
  EXPECT_NE(before.out.find("3 incident services have incidents that count nowhere."),
            std::string::npos)
      << before.out;

  std::ofstream(dir_.Child("leadline.toml")) << "[services]\n\"checkout api\" = \"*/app\"\n";
  const LeadlineRun listed = Leadline("services list --cached");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const std::string line = listed.out.substr(listed.out.find("PSVCAPI"));
  EXPECT_TRUE(line.substr(0, line.find('\n')).ends_with("[leadline.toml]")) << listed.out;
  EXPECT_NE(line.find("-> */app"), std::string::npos) << listed.out;
  const LeadlineRun stored = Leadline("services map PSVCAPI --repos 'acme/*'");
  EXPECT_EQ(stored.exit_code, 1);
  EXPECT_NE(stored.err.find("is mapped to '*/app' by [services] in leadline.toml"),
            std::string::npos)
      << stored.err;
  const LeadlineRun after = Leadline("doctor");
  EXPECT_EQ(after.out.find("(PSVCAPI"), std::string::npos) << after.out;
  EXPECT_NE(after.out.find("2 incident services have incidents that count nowhere."),
            std::string::npos)
      << after.out;

  // The report counts the service's incidents by the settings' mapping.
  leadline::testing::GitScript git(dir_.Child("app"));
  git.Commit("c1 checkout", "2025-05-31T20:00:00Z");
  git.Tag("v1", "HEAD", "2025-05-31T23:00:00Z");
  const LeadlineRun report = Leadline("report --git " + ShellQuote(git.path()) +
                                      " --window all --until 2026-06-01T00:00:00Z --format json");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  int expected = 0;
  for (int i = 0; i < kIncidents; ++i) {
    const PagerDutyDouble::Incident incident = pagerduty_.IncidentAt(i);
    expected += incident.service_id == "PSVCAPI" && !incident.test &&
                (incident.priority == "P1" || incident.priority == "P2");
  }
  EXPECT_GT(expected, 0);
  EXPECT_EQ(json::parse(report.out)["summary"]["incidents"], expected) << report.out;
}

TEST_F(PagerDutyCliTest, SignedWebhookDeliveriesAreStoredOnceAndForgedOnesRefused) {
  const std::string route = ConnectWithWebhookSecret();
  ASSERT_FALSE(route.empty());
  leadline::testing::ServerProcess server(db(), dir_.Child("serve.log"));
  httplib::Client client("127.0.0.1", server.port());
  const std::string body =
      R"({"event":{"id":"01EV","event_type":"incident.resolved","resource_type":"incident",)"
      R"("occurred_at":"2025-01-02T05:00:00.000Z","agent":null,"client":null,)"
      R"("data":{"id":"PI000001","type":"incident","number":2,"status":"resolved"}}})";
  const auto deliver = [&](const std::string& signature, const std::string& webhook_id) {
    httplib::Headers headers = {{"X-Webhook-Id", webhook_id}};
    if (!signature.empty()) headers.emplace("X-PagerDuty-Signature", signature);
    auto result = client.Post(route, headers, body, "application/json");
    return result ? result->status : 0;
  };
  const std::string valid = leadline::sources::SignPagerDutyWebhook(body, "whsec-from-pagerduty");
  const std::string old = leadline::sources::SignPagerDutyWebhook(body, "the-old-secret");
  EXPECT_EQ(deliver("", "wh-1"), 401);
  EXPECT_EQ(deliver(old, "wh-1"), 401);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM webhook_inbox"), "0");
  // While the secret rotates, PagerDuty sends both signatures.
  EXPECT_EQ(deliver(old + "," + valid, "wh-1"), 200);
  EXPECT_EQ(deliver(valid, "wh-1"), 200);  // a retry: the same X-Webhook-Id, stored once
  EXPECT_EQ(Query("SELECT COUNT(*) FROM webhook_inbox"), "1");
  EXPECT_EQ(Query("SELECT event_key FROM webhook_inbox"), "incident.resolved");
  // The key never reaches the server's log.
  EXPECT_EQ(leadline::testing::ReadWholeFile(dir_.Child("serve.log")).find("whsec-from-pagerduty"),
            std::string::npos);
}

// 40 incidents an hour apart, the newest begun 6 hours ago and still open.
PagerDutyDoubleConfig RecentConfig() {
  PagerDutyDoubleConfig config = DoubleConfig(40, 3600);
  config.first_incident_at = leadline::common::NowUnixSeconds() - 45 * 3600;
  return config;
}

class IncidentWebhookTest : public PagerDutyCliTest {
 protected:
  IncidentWebhookTest() : PagerDutyCliTest(RecentConfig()) {}
  int IncidentsServed() const override { return 40; }

  // The outcome the server recorded for the delivery `webhook_id`, once it is applied.
  std::string OutcomeOf(const std::string& webhook_id) const {
    for (int i = 0; i < 200; ++i) {
      const std::string outcome =
          Query("SELECT outcome FROM webhook_inbox WHERE delivery_id = 'pagerduty:" + webhook_id +
                "' AND applied_at IS NOT NULL");
      if (!outcome.empty()) return outcome;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return "(not applied in 20 s)";
  }
};

TEST_F(IncidentWebhookTest, AnIncidentEventSyncsTheConnectionsIncidentsOnceItsFirstSyncHasRun) {
  const std::string route = ConnectWithWebhookSecret();
  ASSERT_FALSE(route.empty());
  leadline::testing::ServerProcess server(db(), dir_.Child("serve.log"), "--reconcile-every off");
  httplib::Client client("127.0.0.1", server.port());
  const auto deliver = [&](const std::string& event_type, const std::string& webhook_id) {
    const std::string body = R"({"event":{"id":")" + webhook_id + R"(","event_type":")" +
                             event_type +
                             R"(","resource_type":"incident","data":{"id":"PI000038"}}})";
    auto result = client.Post(route,
                              {{"X-Webhook-Id", webhook_id},
                               {"X-PagerDuty-Signature", leadline::sources::SignPagerDutyWebhook(
                                                             body, "whsec-from-pagerduty")}},
                              body, "application/json");
    return result ? result->status : 0;
  };

  // Before the first `incidents sync`, a delivery never starts the backfill: it is kept.
  ASSERT_EQ(deliver("incident.triggered", "wh-1"), 200);
  EXPECT_EQ(OutcomeOf("wh-1"), "kept: the first `leadline incidents sync` of pagerduty/" +
                                   pagerduty_.url().substr(7) + " has not run yet");
  EXPECT_EQ(StoredIncidents(), "0");

  const LeadlineRun first = Leadline("incidents sync --since 30d");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  // PI000039 is a test incident, never stored; PI000038, acknowledged, is the newest stored.
  const std::string newest =
      OnPostgres()
          ? "SELECT CAST(EXTRACT(EPOCH FROM resolved_at) AS BIGINT) FROM incidents WHERE id = "
            "'PI000038'"
          : "SELECT resolved_at FROM incidents WHERE id = 'PI000038'";
  ASSERT_EQ(Query("SELECT COUNT(*) FROM incidents WHERE id = 'PI000038'"), "1");
  EXPECT_EQ(Query(newest), "");  // open
  const std::int64_t resolved_at = leadline::common::NowUnixSeconds() - 3600;
  pagerduty_.Resolve(38, resolved_at);
  const int requests_before = pagerduty_.requests();

  ASSERT_EQ(deliver("incident.resolved", "wh-2"), 200);
  EXPECT_EQ(OutcomeOf("wh-2"), "applied: synced the connection's incidents");
  EXPECT_EQ(Query(newest), std::to_string(resolved_at));
  EXPECT_EQ(StoredIncidents(), std::to_string(NonTestIncidents())) << "updated, never doubled";
  // An incremental sync: the last day, one page.
  EXPECT_LE(pagerduty_.requests() - requests_before, 2);
}

TEST_F(IncidentWebhookTest, TheReconciliationPollSyncsIncidentConnections) {
  ASSERT_EQ(Leadline(ConnectPagerDuty()).exit_code, 0);
  ASSERT_EQ(Leadline("incidents sync --since 30d").exit_code, 0);
  const std::string open = "SELECT COUNT(*) FROM incidents WHERE resolved_at IS NULL";
  ASSERT_EQ(Query(open), "1");  // PI000038
  pagerduty_.Resolve(38, leadline::common::NowUnixSeconds() - 60);
  leadline::testing::ServerProcess server(db(), dir_.Child("serve.log"), "--reconcile-every 1s");
  std::string still_open = "1";
  for (int i = 0; i < 100 && still_open != "0"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    still_open = Query(open);
  }
  EXPECT_EQ(still_open, "0") << leadline::testing::ReadWholeFile(dir_.Child("serve.log"));
  EXPECT_EQ(StoredIncidents(), std::to_string(NonTestIncidents()));
}

// The incident connection as GET /v1/integrations and GraphQL's `integrations` give it, alike:
// to a token of every project, its services and mappings (stored, and [services] of
// leadline.toml), the severities that count, the sync and the last webhook; to a token of one
// project, only when a service maps onto one of its repositories, with those services alone and
// no delivery.
TEST_F(PagerDutyCliTest, TheIntegrationStatusShowsTheIncidentConnectionAsEachTokenMaySee) {
  ASSERT_EQ(Leadline(ConnectCloud()).exit_code, 0);
  ASSERT_EQ(Leadline("repos list").exit_code, 0);
  for (const char* project :
       {"pa --repos acme/repo-1", "pb --repos acme/repo-2", "pc --repos acme/repo-3"}) {
    ASSERT_EQ(Leadline(std::string("projects create ") + project).exit_code, 0);
  }
  // Its route is not the one returned: the code host's connection is the first.
  ASSERT_FALSE(ConnectWithWebhookSecret().empty());
  const std::int64_t synced_after = leadline::common::NowUnixSeconds();
  ASSERT_EQ(Leadline("incidents sync --since 600d").exit_code, 0);
  ASSERT_EQ(Leadline("services map PSVCAPI --repos acme/repo-1").exit_code, 0);
  std::ofstream(dir_.Child("leadline.toml")) << "[services]\nstorefront = \"acme/repo-2\"\n";
  const auto token = [&](const std::string& args) {
    const LeadlineRun run = Leadline("tokens create --scopes read " + args);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return run.out.substr(0, run.out.find('\n'));
  };
  const std::string every = token("--name reader-all"), pa = token("--name reader-a --projects pa"),
                    pb = token("--name reader-b --projects pb"),
                    pc = token("--name reader-c --projects pc");

  leadline::testing::ServerProcess server(db(), dir_.Child("serve.log"));
  httplib::Client client("127.0.0.1", server.port());
  const std::string body =
      R"({"event":{"id":"01EV","event_type":"incident.resolved","resource_type":"incident",)"
      R"("occurred_at":"2025-01-02T05:00:00.000Z","agent":null,"client":null,)"
      R"("data":{"id":"PI000001","type":"incident","number":2,"status":"resolved"}}})";
  auto delivered = client.Post(
      "/v1/webhooks/" + Query("SELECT id FROM connections WHERE provider = 'pagerduty'"),
      {{"X-Webhook-Id", "wh-1"},
       {"X-PagerDuty-Signature",
        leadline::sources::SignPagerDutyWebhook(body, "whsec-from-pagerduty")}},
      body, "application/json");
  ASSERT_TRUE(delivered);
  ASSERT_EQ(delivered->status, 200);

  // The pagerduty connection of each answer; null when the token is not shown it.
  const auto rest = [&](const std::string& bearer) {
    auto response = client.Get("/v1/integrations", {{"Authorization", "Bearer " + bearer}});
    EXPECT_TRUE(response && response->status == 200);
    if (!response) return json();
    const json answer = json::parse(response->body);
    for (const json& item : answer["connections"]) {
      if (item["provider"] == "pagerduty") return item;
    }
    return json();
  };
  const auto graphql = [&](const std::string& bearer) {
    const json request = {{"query", R"({ integrations { connections { id name provider url
        connected checkedAt selectedRepositories lastSyncAt lastWebhook { receivedAt event outcome
        detail } incidentTool { services mappedServices configuredServices counts sync
        changeEvents { services sent pending failed } } } } })"}};
    auto response = client.Post("/graphql", {{"Authorization", "Bearer " + bearer}}, request.dump(),
                                "application/json");
    EXPECT_TRUE(response && response->status == 200);
    if (!response) return json();
    const json answer = json::parse(response->body);
    EXPECT_FALSE(answer.contains("errors")) << answer.dump();
    for (const json& item : answer["data"]["integrations"]["connections"]) {
      if (item["provider"] == "pagerduty") return item;
    }
    return json();
  };
  // The delivery is applied by the server's applier; wait for it, so that both answers agree.
  for (int tries = 0; tries < 100; ++tries) {
    const json item = rest(every);
    if (!item.is_null() && !item["last_webhook"].is_null() &&
        item["last_webhook"]["outcome"] != "pending") {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }

  const auto as_graphql = [](const json& c) {
    json webhook = nullptr;
    if (!c["last_webhook"].is_null()) {
      webhook = {{"receivedAt", c["last_webhook"]["received_at"]},
                 {"event", c["last_webhook"]["event"]},
                 {"outcome", c["last_webhook"]["outcome"]},
                 {"detail", c["last_webhook"]["detail"]}};
    }
    const json& tool = c["incident_tool"];
    return json({{"id", c["id"]},
                 {"name", c["name"]},
                 {"provider", c["provider"]},
                 {"url", c["url"]},
                 {"connected", c["connected"]},
                 {"checkedAt", c["checked_at"]},
                 {"selectedRepositories", c["selected_repositories"]},
                 {"lastSyncAt", c["last_sync_at"]},
                 {"lastWebhook", webhook},
                 {"incidentTool",
                  {{"services", tool["services"]},
                   {"mappedServices", tool["mapped_services"]},
                   {"configuredServices", tool["configured_services"]},
                   {"counts", tool["counts"]},
                   {"sync", tool["sync"]},
                   {"changeEvents", tool["change_events"]}}}});
  };

  const json all = rest(every);
  ASSERT_FALSE(all.is_null());
  EXPECT_EQ(graphql(every), as_graphql(all));
  EXPECT_TRUE(all["connected"]);
  EXPECT_EQ(all["selected_repositories"], 0);
  EXPECT_EQ(all["incident_tool"], json::parse(R"({"services":3,"mapped_services":2,
      "configured_services":1,"counts":["P1","P2"],"sync":"synced","change_events":null})"));
  // The sync's walk ended when it ran.
  ASSERT_TRUE(all["last_sync_at"].is_string()) << all.dump();
  const auto last_sync = leadline::common::ParseRfc3339(all["last_sync_at"].get<std::string>());
  ASSERT_TRUE(last_sync.ok());
  EXPECT_GE(*last_sync, synced_after);
  EXPECT_LE(*last_sync, leadline::common::NowUnixSeconds());
  ASSERT_FALSE(all["last_webhook"].is_null()) << all.dump();
  EXPECT_EQ(all["last_webhook"]["event"], "incident.resolved");
  EXPECT_NE(all["last_webhook"]["outcome"], "pending");

  // pa sees Checkout API (stored mapping), pb Storefront ([services]); neither a delivery.
  for (const auto& [bearer, configured] : {std::pair{pa, 0}, std::pair{pb, 1}}) {
    const json own = rest(bearer);
    ASSERT_FALSE(own.is_null());
    EXPECT_EQ(graphql(bearer), as_graphql(own));
    EXPECT_EQ(own["incident_tool"]["services"], 1);
    EXPECT_EQ(own["incident_tool"]["mapped_services"], 1);
    EXPECT_EQ(own["incident_tool"]["configured_services"], configured);
    EXPECT_TRUE(own["last_webhook"].is_null());
    EXPECT_EQ(own["last_sync_at"], all["last_sync_at"]);
  }
  // No service maps onto pc's repository: it is not shown the connection.
  EXPECT_TRUE(rest(pc).is_null());
  EXPECT_TRUE(graphql(pc).is_null());
}

class KilledPagerDutySyncTest : public PagerDutyCliTest {
 protected:
  static constexpr int kMany = 3000;  // one an hour: 125 days, 30 pages
  KilledPagerDutySyncTest() : PagerDutyCliTest(DoubleConfig(kMany, 3600)) {}
  int IncidentsServed() const override { return kMany; }
};

TEST_F(KilledPagerDutySyncTest, ABackfillKilledMidwayResumesWithEveryIncidentOnce) {
  ASSERT_EQ(Leadline(ConnectPagerDuty()).exit_code, 0);
  pagerduty_.SetLatency(std::chrono::milliseconds(40));
  EXPECT_TRUE(KillLeadlineWhen("incidents sync --since 700d",
                               [&] { return pagerduty_.requests_by_path()["/incidents"] >= 12; }));
  const int stored = std::stoi(StoredIncidents());
  ASSERT_GT(stored, 0);
  ASSERT_LT(stored, NonTestIncidents()) << "the backfill finished before it was killed";
  EXPECT_TRUE(Query("SELECT cursor FROM incident_connections").starts_with("walk "));
  const int pages_before = pagerduty_.requests_by_path()["/incidents"];

  pagerduty_.SetLatency(std::chrono::milliseconds(0));
  const LeadlineRun resumed = Leadline("incidents sync --since 700d");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("resuming the walk a cut sync left"), std::string::npos)
      << resumed.out;
  // The resumed walk starts at the page in flight: the pages left, and at most that one again.
  const int pages_after = pagerduty_.requests_by_path()["/incidents"] - pages_before;
  EXPECT_LE(pages_after, (kMany - stored) / 100 + 3) << resumed.out;
  EXPECT_EQ(StoredIncidents(), std::to_string(NonTestIncidents()));
  EXPECT_EQ(Query("SELECT COUNT(DISTINCT id) FROM incidents"), std::to_string(NonTestIncidents()));
  EXPECT_TRUE(Query("SELECT cursor FROM incident_connections").starts_with("after "));
}

}  // namespace
