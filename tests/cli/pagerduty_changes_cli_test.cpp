// End-to-end tests of production deployments sent to PagerDuty as change events: the real
// `leadline` binary against the local PagerDuty double's Events API. A service is turned on with
// its routing key (checked, sealed, never shown), CI pushes deployments of a mapped repository,
// and `leadline services changes --send` (or `leadline serve` in the background) sends each new
// production one exactly once: not again on the next run, once through a 429, and a 400 is
// shown as failed and not retried; two senders at once send each once. Old and non-production
// deployments are not sent. Doctor flags a service whose events failed for good, and
// GET /v1/integrations counts what each connection's services sent, have pending and failed.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "bitbucket_cli_fixture.h"
#include "pagerduty_double/pagerduty_double.h"
#include "testing/server_process.h"

namespace {

using leadline::testing::LeadlineRun;
using leadline::testing::PagerDutyDouble;
using leadline::testing::PagerDutyDoubleConfig;
using leadline::testing::ShellQuote;
using nlohmann::json;

constexpr char kRoutingKey[] = "R0aBcDeFgHiJkLmNoPqRsTuVwXyZ0123";
constexpr char kCommit[] = "3f2a9c1e7b04d5f6a7b8c9d0e1f2a3b4c5d6e7f8";

class PagerDutyChangesTest : public leadline::testing::BitbucketCliTest {
 protected:
  PagerDutyChangesTest() {
    std::ofstream(dir_.Child("pd-user-key")) << PagerDutyDoubleConfig().user_key << "\n";
    std::ofstream(dir_.Child("routing-key")) << kRoutingKey << "\n";
  }
  // acme/repo-1 connected, PagerDuty connected, Checkout API mapped to it.
  void SetUpConnections() {
    ConnectAndSelect(ConnectCloud(), "acme/repo-1");
    const LeadlineRun connected =
        Leadline("connect pagerduty --url " + ShellQuote(pagerduty_.url()) + " --token-file " +
                 ShellQuote(dir_.Child("pd-user-key")));
    ASSERT_EQ(connected.exit_code, 0) << connected.err;
    ASSERT_EQ(Leadline("services map PSVCAPI --repos 'acme/repo-*'").exit_code, 0);
  }
  std::string SendChanges(const std::string& service = "'checkout api'") const {
    return "services send-changes " + service + " --routing-key-file " +
           ShellQuote(dir_.Child("routing-key")) + " --events-url " + ShellQuote(pagerduty_.url());
  }
  // CI pushes a deployment of acme/repo-1 that finished `ago` seconds ago.
  void Push(const std::string& id, leadline::common::Seconds ago,
            const std::string& environment = "production") {
    const json deployment = {
        {"id", id},
        {"repository", "acme/repo-1"},
        {"environment", environment},
        {"commit", kCommit},
        {"status", "success"},
        {"finished_at", leadline::common::FormatRfc3339(leadline::common::NowUnixSeconds() - ago)}};
    const std::string file = dir_.Child("deployment-" + id + ".json");
    std::ofstream(file) << deployment.dump();
    const LeadlineRun pushed = Leadline("deployments import " + ShellQuote(file));
    ASSERT_EQ(pushed.exit_code, 0) << pushed.err;
  }
  // Every output so far, to look for the key in.
  std::string Seen(const LeadlineRun& run) {
    seen_ += run.out + run.err;
    return run.out;
  }

  PagerDutyDouble pagerduty_{[] {
    PagerDutyDoubleConfig config;
    config.retry_after_seconds = 1;
    return config;
  }()};
  std::string seen_;
};

TEST_F(PagerDutyChangesTest, EachNewProductionDeploymentBecomesOneChangeEvent) {
  SetUpConnections();
  // Deployed before the service sends: history, never sent.
  Push("before", 600);

  std::ofstream(dir_.Child("bad-key")) << "not-a-routing-key\n";
  const LeadlineRun bad = Leadline("services send-changes PSVCAPI --routing-key-file " +
                                   ShellQuote(dir_.Child("bad-key")));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("Integration Key of an Events API v2 integration"), std::string::npos)
      << bad.err;
  EXPECT_EQ(bad.err.find("not-a-routing-key"), std::string::npos);
  const LeadlineRun neither = Leadline("services send-changes PSVCAPI");
  EXPECT_EQ(neither.exit_code, 1);
  EXPECT_NE(neither.err.find("give --routing-key-file"), std::string::npos) << neither.err;
  const LeadlineRun unknown = Leadline(SendChanges("NOPE"));
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("no service 'NOPE'"), std::string::npos) << unknown.err;

  const LeadlineRun on = Leadline(SendChanges());
  ASSERT_EQ(on.exit_code, 0) << on.err;
  EXPECT_NE(Seen(on).find("Checkout API (PSVCAPI, pagerduty/"), std::string::npos) << on.out;
  EXPECT_NE(on.out.find("of the repositories matching 'acme/repo-*'"), std::string::npos);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM change_event_services WHERE sealed_routing_key LIKE '%" +
                  std::string(kRoutingKey) + "%'"),
            "0");
  const LeadlineRun listed = Leadline("services list --cached");
  const std::string line = Seen(listed).substr(listed.out.find("PSVCAPI"));
  EXPECT_TRUE(line.substr(0, line.find('\n')).ends_with("[sends changes]")) << listed.out;
  const json services = json::parse(Seen(Leadline("services list --cached --format json")));
  ASSERT_EQ(services.size(), 3u);
  EXPECT_EQ(services[0]["id"], "PSVCAPI");
  EXPECT_TRUE(services[0]["sends_changes"]);
  EXPECT_FALSE(services[1]["sends_changes"]);

  // Sleep past the second the service was turned on, then CI pushes: one production deployment
  // that is news, one to staging, one that finished days ago.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  Push("build-1", 0);
  Push("staging-1", 0, "staging");
  Push("old", 3 * leadline::common::kDay);

  const LeadlineRun sent = Leadline("services changes --send");
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_NE(Seen(sent).find("Queued 1 new change events; sent 1, 0 failed."), std::string::npos)
      << sent.out;
  EXPECT_NE(sent.out.find("PSVCAPI    Checkout API             -> acme/repo-*      sent 1, "
                          "queued 0, failed 0"),
            std::string::npos)
      << sent.out;
  std::vector<std::string> events = pagerduty_.change_events();
  ASSERT_EQ(events.size(), 1u);
  const json event = json::parse(events[0]);
  EXPECT_EQ(event["routing_key"], kRoutingKey);
  EXPECT_EQ(event["payload"]["summary"], "Deployed acme/repo-1 build-1 (3f2a9c1) to production");
  EXPECT_EQ(event["payload"]["source"], "leadline");
  EXPECT_EQ(event["payload"]["custom_details"]["repository"], "acme/repo-1");
  EXPECT_EQ(event["payload"]["custom_details"]["commit"], kCommit);
  EXPECT_EQ(event["payload"]["custom_details"]["leadline_deployment"], "push:build-1");
  EXPECT_EQ(event["payload"]["custom_details"]["status"], "success");

  // Once: a second run sends nothing more.
  const LeadlineRun again = Leadline("services changes --send");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(Seen(again).find("Queued 0 new change events; sent 0, 0 failed."), std::string::npos)
      << again.out;
  EXPECT_EQ(pagerduty_.change_events().size(), 1u);

  // Through a 429: delivered once.
  pagerduty_.FailChangeEvents(429, 1);
  Push("build-2", 0);
  const LeadlineRun busy = Leadline("services changes --send");
  ASSERT_EQ(busy.exit_code, 0) << busy.err;
  EXPECT_NE(Seen(busy).find("sent 1, 0 failed."), std::string::npos) << busy.out;
  EXPECT_EQ(pagerduty_.answered(429), 1);
  events = pagerduty_.change_events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(json::parse(events[1])["payload"]["custom_details"]["leadline_deployment"],
            "push:build-2");

  // Refused: failed, shown, and not tried again.
  pagerduty_.FailChangeEvents(400, 1);
  Push("build-3", 0);
  const LeadlineRun refused = Leadline("services changes --send");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(Seen(refused).find("sent 0, 1 failed."), std::string::npos) << refused.out;
  EXPECT_NE(refused.err.find("PagerDuty answered 400"), std::string::npos) << refused.err;
  const LeadlineRun status = Leadline("services changes");
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(Seen(status).find("sent 2, queued 0, failed 1"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("last error: PagerDuty answered 400"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("failed acme/repo-1 push:build-3 to PSVCAPI, 1 attempts: PagerDuty "
                            "answered 400"),
            std::string::npos)
      << status.out;
  const json shown = json::parse(Seen(Leadline("services changes --format json")));
  ASSERT_EQ(shown["services"].size(), 1u);
  EXPECT_EQ(shown["services"][0]["failed"], 1);
  EXPECT_EQ(shown["unsent"][0]["state"], "failed");
  EXPECT_FALSE(shown["services"][0].contains("routing_key"));
  const LeadlineRun after = Leadline("services changes --send");
  EXPECT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(pagerduty_.change_events().size(), 2u);
  EXPECT_EQ(pagerduty_.answered(400), 1);
  // Doctor flags the service whose event failed for good, and says what to do.
  const LeadlineRun doctor = Leadline("doctor");
  EXPECT_EQ(doctor.exit_code, 0) << doctor.err;
  EXPECT_NE(Seen(doctor).find("warning [change_events_failed] Checkout API (PSVCAPI, pagerduty/"),
            std::string::npos)
      << doctor.out;
  EXPECT_NE(doctor.out.find("1 change event of deployments failed for good; the newest error: "
                            "PagerDuty answered 400"),
            std::string::npos)
      << doctor.out;
  EXPECT_NE(doctor.out.find("`leadline services send-changes PSVCAPI --routing-key-file FILE`"),
            std::string::npos)
      << doctor.out;

  // Off: its events are dropped, and nothing is sent.
  const LeadlineRun off = Leadline("services send-changes PSVCAPI --stop");
  ASSERT_EQ(off.exit_code, 0) << off.err;
  EXPECT_NE(Seen(off).find("Checkout API (PSVCAPI, pagerduty/"), std::string::npos);
  EXPECT_EQ(Seen(Leadline("doctor")).find("change_events_failed"), std::string::npos);
  EXPECT_NE(Seen(Leadline("services changes")).find("No service sends deployments"),
            std::string::npos);
  const LeadlineRun off_again = Leadline("services send-changes PSVCAPI --stop");
  EXPECT_EQ(off_again.exit_code, 1);
  EXPECT_NE(off_again.err.find("does not send deployments as change events"), std::string::npos)
      << off_again.err;

  EXPECT_EQ(seen_.find(kRoutingKey), std::string::npos) << "the routing key was shown";
}

TEST_F(PagerDutyChangesTest, TwoSendersAtOnceSendEachDeploymentOnce) {
  SetUpConnections();
  ASSERT_EQ(Leadline(SendChanges()).exit_code, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  for (int i = 1; i <= 6; ++i) Push("build-" + std::to_string(i), 0);
  pagerduty_.SetLatency(std::chrono::milliseconds(150));  // the two overlap
  const std::string send = CommandLine("services changes --send") + " >/dev/null 2>&1";
  const auto both = leadline::testing::RunCommand("(" + send + " & " + send + " & wait)");
  EXPECT_EQ(both.exit_code, 0) << both.output;
  const std::vector<std::string> events = pagerduty_.change_events();
  std::set<std::string> deployments;
  for (const std::string& event : events) {
    deployments.insert(
        json::parse(event)["payload"]["custom_details"]["leadline_deployment"].get<std::string>());
  }
  EXPECT_EQ(events.size(), 6u);
  EXPECT_EQ(deployments.size(), 6u);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM change_events WHERE state = 'sent'"), "6");
}

// The server sends in the background; GET /v1/integrations counts what the connection's
// services sent and failed.
TEST_F(PagerDutyChangesTest, TheServerSendsNewDeploymentsInTheBackground) {
  SetUpConnections();
  ASSERT_EQ(Leadline(SendChanges()).exit_code, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  pagerduty_.FailChangeEvents(400, 1);  // the first one sent is refused for good
  Push("build-0", 0);
  Push("build-1", 0);
  const LeadlineRun token = Leadline("tokens create --scopes read --name reader");
  ASSERT_EQ(token.exit_code, 0) << token.err;
  leadline::testing::ServerProcess server(db(), dir_.Child("serve.log"), "--reconcile-every off");
  const std::string done = "SELECT COUNT(*) FROM change_events WHERE state <> 'queued'";
  for (int i = 0; i < 200 && Query(done) != "2"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(pagerduty_.change_events().size(), 1u);
  const std::string sent_one = json::parse(
      pagerduty_.change_events()[0])["payload"]["custom_details"]["leadline_deployment"];
  EXPECT_TRUE(sent_one == "push:build-0" || sent_one == "push:build-1") << sent_one;
  EXPECT_EQ(Query("SELECT COUNT(*) FROM change_events WHERE state = 'sent'"), "1");
  EXPECT_EQ(Query("SELECT COUNT(*) FROM change_events WHERE state = 'failed'"), "1");
  httplib::Client client("127.0.0.1", server.port());
  const auto answer =
      client.Get("/v1/integrations",
                 {{"Authorization", "Bearer " + token.out.substr(0, token.out.find('\n'))}});
  ASSERT_TRUE(answer && answer->status == 200);
  const json integrations = json::parse(answer->body);
  json pagerduty;
  for (const json& item : integrations["connections"]) {
    if (item["provider"] == "pagerduty") pagerduty = item;
  }
  ASSERT_FALSE(pagerduty.is_null()) << answer->body;
  EXPECT_EQ(pagerduty["incident_tool"]["change_events"],
            json::parse(R"({"services":1,"sent":1,"pending":0,"failed":1})"))
      << answer->body;
  // The command finds it sent: nothing twice.
  const LeadlineRun flushed = Leadline("services changes --send");
  ASSERT_EQ(flushed.exit_code, 0) << flushed.err;
  EXPECT_NE(flushed.out.find("sent 0, 0 failed."), std::string::npos) << flushed.out;
  EXPECT_EQ(pagerduty_.change_events().size(), 1u);
  server.Stop(SIGTERM);
  EXPECT_EQ(leadline::testing::ReadWholeFile(dir_.Child("serve.log")).find(kRoutingKey),
            std::string::npos);
}

}  // namespace
