// End-to-end tests of the explicit Looker refresh (docs/bi.md, "Looker refresh") against the local
// Looker double: `leadline looker connect` checks the API key and keeps its secret sealed,
// `looker refresh` triggers a datagroup, `serve --looker-datagroup` triggers it after refreshes
// that changed rows (retrying one that failed on the next refresh), and POST /v1/bi/refresh asks
// for a refresh with the bi:refresh scope, audited. No secret or Looker token shows anywhere.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "looker_double/looker_double.h"
#include "serve_cli_fixture.h"
#include "testing/server_process.h"

namespace leadline::testing {
namespace {

using nlohmann::json;

class LookerCliTest : public ServeCliTest {
 protected:
  LookerCliTest() {
    std::ofstream(dir_.Child("looker-secret")) << "looker-client-secret\n";
    std::ofstream(dir_.Child("wrong-secret")) << "not-the-secret\n";
  }
  std::string Connect(const std::string& secret_file = "looker-secret") const {
    return "looker connect --url " + ShellQuote(looker_.url()) +
           " --client-id looker-client-id --client-secret-file " +
           ShellQuote(dir_.Child(secret_file));
  }
  // No secret or Looker token in `text`.
  void ExpectNothingSecret(const std::string& text) const {
    EXPECT_EQ(text.find("looker-client-secret"), std::string::npos) << text;
    for (const std::string& token : looker_.tokens_issued()) {
      EXPECT_EQ(text.find(token), std::string::npos) << text;
    }
  }
  std::size_t Triggers(const std::string& id) const {
    const auto all = looker_.triggers();
    const auto found = all.find(id);
    return found == all.end() ? 0 : found->second.size();
  }
  // Waits until datagroup `id` was triggered `count` times.
  bool AwaitTriggers(const std::string& id, std::size_t count) const {
    for (int tries = 0; tries < 200 && Triggers(id) < count; ++tries) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return Triggers(id) >= count;
  }
  // Waits until the server's log holds `text`.
  bool AwaitLog(const std::string& text) const {
    for (int tries = 0; tries < 200; ++tries) {
      if (ReadWholeFile(Log()).find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  LookerDouble looker_;
};

TEST_F(LookerCliTest, ConnectChecksTheKeyAndKeepsTheSecretSealed) {
  const LeadlineRun connected = Leadline(Connect());
  ASSERT_EQ(connected.exit_code, 0) << connected.err;
  EXPECT_EQ(connected.out, "Connected to Looker at " + looker_.url() +
                               " as API client looker-client-id (logged in and out; the secret "
                               "is sealed in the store).\n");
  EXPECT_EQ(looker_.logins(), 1);
  EXPECT_EQ(looker_.logouts(), 1);
  const std::string sealed = Query("SELECT sealed_secret FROM looker_connection");
  EXPECT_TRUE(sealed.starts_with("v1:")) << sealed;
  ExpectNothingSecret(connected.out + connected.err + sealed);

  const LeadlineRun status = Leadline("looker status");
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_NE(status.out.find("Looker:       " + looker_.url() + "\n"), std::string::npos)
      << status.out;
  EXPECT_NE(status.out.find("Last trigger: none yet\n"), std::string::npos) << status.out;
  ExpectNothingSecret(status.out);
}

TEST_F(LookerCliTest, ConnectRefusesABadKeyOrURLClearlyAndKeepsNothing) {
  LeadlineRun refused = Leadline(Connect("wrong-secret"));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("Looker answered 401 to the login at"), std::string::npos)
      << refused.err;
  EXPECT_EQ(refused.err.find("not-the-secret"), std::string::npos) << refused.err;
  refused =
      Leadline("looker connect --url ftp://looker.example --client-id a --client-secret-file " +
               ShellQuote(dir_.Child("looker-secret")));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("is not an https URL (http only on loopback)"), std::string::npos)
      << refused.err;
  refused =
      Leadline("looker connect --url " + ShellQuote(looker_.url() + "/api/4.0") +
               " --client-id a --client-secret-file " + ShellQuote(dir_.Child("looker-secret")));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("--url is the Looker host, without /api/4.0"), std::string::npos)
      << refused.err;

  const LeadlineRun status = Leadline("looker status");
  EXPECT_EQ(status.exit_code, 1);
  EXPECT_NE(status.err.find("no Looker is connected: run `leadline looker connect"),
            std::string::npos)
      << status.err;
}

TEST_F(LookerCliTest, RefreshTriggersTheDatagroupAndStatusShowsIt) {
  LeadlineRun refreshed = Leadline("looker refresh --datagroup nightly --model leadline");
  EXPECT_EQ(refreshed.exit_code, 1);
  EXPECT_NE(refreshed.err.find("no Looker is connected"), std::string::npos) << refreshed.err;
  ASSERT_EQ(Leadline(Connect()).exit_code, 0);

  refreshed = Leadline("looker refresh --datagroup nightly --model leadline");
  ASSERT_EQ(refreshed.exit_code, 0) << refreshed.err;
  EXPECT_TRUE(refreshed.out.starts_with("Triggered Looker datagroup leadline::nightly at "))
      << refreshed.out;
  EXPECT_EQ(Triggers("2"), 1u);
  EXPECT_EQ(looker_.logins(), 2);  // connect's, and the refresh's
  EXPECT_EQ(looker_.logouts(), 2);
  LeadlineRun status = Leadline("looker status");
  EXPECT_NE(status.out.find(" triggered leadline::nightly\n"), std::string::npos) << status.out;

  // Not there: what is, and the failure is what status shows.
  refreshed = Leadline("looker refresh --datagroup hourly");
  EXPECT_EQ(refreshed.exit_code, 1);
  EXPECT_NE(refreshed.err.find("Looker has no datagroup 'hourly'; it has: "
                               "leadline::leadline_refresh, leadline::nightly, finance::nightly"),
            std::string::npos)
      << refreshed.err;
  status = Leadline("looker status");
  EXPECT_NE(status.out.find(" Looker has no datagroup 'hourly'"), std::string::npos) << status.out;
  // A token that expires mid-run: one new login.
  looker_.ExpireTokensOnNext("PATCH");
  refreshed = Leadline("looker refresh --datagroup leadline_refresh");
  ASSERT_EQ(refreshed.exit_code, 0) << refreshed.err;
  EXPECT_EQ(looker_.logins(), 5);
  ExpectNothingSecret(refreshed.out + refreshed.err + status.out);
  EXPECT_EQ(Leadline("looker refresh --datagroup ''").exit_code, 1);
}

// A server with projects, a Looker connection and --looker-datagroup.
class LookerServeTest : public LookerCliTest {
 protected:
  void SetUp() override {
    SetUpProjects();
    ASSERT_EQ(Leadline("repos select 'acme/*'").exit_code, 0);
    ASSERT_EQ(Leadline("sync").exit_code, 0);
    ASSERT_EQ(Leadline(Connect()).exit_code, 0);
    refresher_ = Token("--name refresher --scopes bi:refresh");
    reader_ = Token("--name reader --scopes read");
    pusher_ = Token("--name pusher --scopes write:events");
  }
  void StartServer() {
    server_ = std::make_unique<ServerProcess>(db(), Log(), "--looker-datagroup leadline_refresh");
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }
  void TearDown() override {
    if (HasFailure()) std::cerr << "the server's log:\n" << ReadWholeFile(Log());
  }
  std::string LastCommitOf(const std::string& repository) const {
    return Query(
        "SELECT c.sha FROM commits c JOIN repositories r ON r.id = c.repo_id WHERE r.location = "
        "'" +
        repository + "' ORDER BY c.committer_time DESC, c.sha LIMIT 1");
  }

  std::string refresher_, reader_, pusher_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(LookerServeTest, TheRouteRefreshesAndTriggersWithTheScopeAndIsAudited) {
  StartServer();
  // The first refresh at start wrote rows: the datagroup follows.
  ASSERT_TRUE(AwaitTriggers("1", 1)) << "no trigger after the refresh at start";

  auto [status, body] = SendJson(*client_, "POST", "/v1/bi/refresh", Bearer(reader_));
  EXPECT_EQ(status, 403) << body.dump();
  EXPECT_EQ(body["error"], "the token 'reader' lacks the scope 'bi:refresh'");
  std::tie(status, body) = SendJson(*client_, "POST", "/v1/bi/refresh", Bearer(refresher_));
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["looker"]["datagroup"], "leadline::leadline_refresh");
  EXPECT_TRUE(body["analytics"].contains("scopes_rewritten")) << body.dump();
  EXPECT_EQ(Triggers("1"), 2u);

  // Five calls at once while Looker is slow: one refresh runs, two calls wait for the next and
  // share it, and the last two are turned away at once rather than hold request threads.
  looker_.DelayTriggers(std::chrono::milliseconds(1500));
  std::vector<int> statuses(5, 0);
  std::vector<std::string> retry_after(5);
  std::vector<std::thread> callers;
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    callers.emplace_back([&, i] {
      httplib::Client client("127.0.0.1", server_->port());
      client.set_read_timeout(60, 0);
      const auto answer = client.Post("/v1/bi/refresh", Bearer(refresher_), "", "application/json");
      statuses[i] = answer ? answer->status : -1;
      if (answer) retry_after[i] = answer->get_header_value("Retry-After");
    });
  }
  for (std::thread& caller : callers) caller.join();
  looker_.DelayTriggers(std::chrono::milliseconds(0));
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 3);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 429), 2);
  EXPECT_EQ(std::count(retry_after.begin(), retry_after.end(), "5"), 2);
  EXPECT_EQ(Triggers("1"), 4u);  // two refreshes for the five calls

  // Looker refusing: a 502 that says why, never a token.
  looker_.ExpireEveryToken();
  std::tie(status, body) = SendJson(*client_, "POST", "/v1/bi/refresh", Bearer(refresher_));
  EXPECT_EQ(status, 502) << body.dump();
  EXPECT_NE(body["error"].get<std::string>().find(
                "the analytics tables were refreshed, but the Looker datagroup was not "
                "triggered: Looker answered 401"),
            std::string::npos)
      << body.dump();
  ExpectNothingSecret(body.dump());

  EXPECT_EQ(Query("SELECT COUNT(*) FROM audit_log WHERE token_name = 'reader' AND path = "
                  "'/v1/bi/refresh' AND status = 403"),
            "1");
  EXPECT_EQ(Query("SELECT COUNT(*) FROM audit_log WHERE token_name = 'refresher' AND path = "
                  "'/v1/bi/refresh' AND status = 200"),
            "4");
  EXPECT_EQ(Query("SELECT COUNT(*) FROM audit_log WHERE token_name = 'refresher' AND path = "
                  "'/v1/bi/refresh' AND status = 429"),
            "2");
  EXPECT_EQ(Query("SELECT COUNT(*) FROM audit_log WHERE token_name = 'refresher' AND path = "
                  "'/v1/bi/refresh' AND status = 502"),
            "1");
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  ExpectNothingSecret(ReadWholeFile(Log()));
}

TEST_F(LookerServeTest, AFailedTriggerIsLoggedAndTriedAgainAfterTheNextRefresh) {
  looker_.ExpireEveryToken();
  StartServer();
  ASSERT_TRUE(
      AwaitLog("Looker datagroup leadline_refresh not triggered (tried again after the "
               "next refresh): Looker answered 401"));
  EXPECT_EQ(Triggers("1"), 0u);
  looker_.ExpireEveryToken(false);

  // New data: the view is rebuilt, the tables refreshed, and the datagroup triggered.
  const json push = {{"id", "late-1"},
                     {"repository", "acme/repo-2"},
                     {"environment", "production"},
                     {"commit", LastCommitOf("acme/repo-2")},
                     {"status", "success"},
                     {"finished_at", common::FormatRfc3339(common::NowUnixSeconds() - 60)}};
  auto [status, body] = SendJson(*client_, "POST", "/v1/deployments", Bearer(pusher_), push.dump());
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_TRUE(AwaitTriggers("1", 1)) << "the failed trigger was not tried again";
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  ExpectNothingSecret(ReadWholeFile(Log()));
}

TEST_F(LookerServeTest, ADatagroupWithoutAConnectionStopsTheServerAtStart) {
  ASSERT_TRUE(RawStore()->Exec("DELETE FROM looker_connection").ok());
  const LeadlineRun run = Leadline("serve --listen 127.0.0.1:0 --looker-datagroup nightly");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("--looker-datagroup: no Looker is connected"), std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace leadline::testing
