// End-to-end tests of what the dashboard reads from `leadline serve`: its built files, the
// filters' lists (projects, teams), the integration status, the slowest pull requests and the
// weekly stages, each limited to what the token may see.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "serve_cli_fixture.h"

namespace {

using leadline::testing::kWholeHistory;
using leadline::testing::LeadlineRun;
using leadline::testing::ReadApiTest;
using leadline::testing::ShellQuote;
using nlohmann::json;

// Three repositories of the double: acme/repo-1 in project pa, acme/repo-2 in pb, acme/repo-3 in
// none; a built dashboard of two files.
class DashboardApiTest : public ReadApiTest {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(web_root() + "/assets");
    std::ofstream(web_root() + "/index.html") << "<!doctype html><title>Leadline</title>";
    std::ofstream(web_root() + "/assets/app-1a2b.js") << "console.log('leadline')";
    std::ofstream(dir_.Child("leadline.toml"))
        << "[teams.devs]\nmembers = [\"dev@example.com\"]\n"
        << "[teams.ghosts]\nmembers = [\"nobody@example.com\"]\n";
    ReadApiTest::SetUp();
  }
  std::string ServeArguments() const override { return "--web-root " + ShellQuote(web_root()); }
  std::string web_root() const { return dir_.Child("web"); }

  std::vector<std::string> Names(const std::string& path, const std::string& token) {
    auto [status, body] = Get(path, token);
    EXPECT_EQ(status, 200) << path << ": " << body.dump();
    std::vector<std::string> names;
    for (const json& item : body["items"]) names.push_back(item["name"]);
    return names;
  }
};

TEST_F(DashboardApiTest, ServesTheBuiltFilesBesideTheApi) {
  for (const std::string page : {"/", "/integrations"}) {
    auto response = client_->Get(page);
    ASSERT_TRUE(response) << page;
    EXPECT_EQ(response->status, 200) << page;
    EXPECT_EQ(response->body, "<!doctype html><title>Leadline</title>");
    EXPECT_EQ(response->get_header_value("Content-Type"), "text/html; charset=utf-8");
    EXPECT_NE(response->get_header_value("Content-Security-Policy").find("default-src 'self'"),
              std::string::npos);
  }
  auto script = client_->Get("/assets/app-1a2b.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->status, 200);
  EXPECT_EQ(script->body, "console.log('leadline')");
  EXPECT_EQ(client_->Get("/assets/missing.js")->status, 404);
  // HEAD answers as GET does, without the body (uptime checks use it).
  auto head = client_->Head("/");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->body, "");
  EXPECT_EQ(head->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(client_->Head("/healthz")->status, 200);
  EXPECT_EQ(client_->Head("/v1/projects")->status, 401);
  // The API stays the API: unknown endpoints are JSON 404s, and reads still need a token.
  auto unknown = client_->Get("/v1/nope");
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(json::parse(unknown->body)["error"], "no such endpoint: /v1/nope");
  EXPECT_EQ(client_->Get("/v1/projects")->status, 401);
}

TEST_F(DashboardApiTest, AMissingDashboardIsAClearErrorAtStart) {
  std::filesystem::create_directories(dir_.Child("empty"));
  const LeadlineRun run = Leadline("serve --listen 127.0.0.1:0 --reconcile-every off --web-root " +
                                   ShellQuote(dir_.Child("empty")));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("the dashboard is not built"), std::string::npos) << run.err;
}

TEST_F(DashboardApiTest, ProjectsAndTeamsAreThoseTheTokenMaySee) {
  EXPECT_EQ(Names("/v1/projects", reader_a_), std::vector<std::string>{"pa"});
  EXPECT_EQ(Names("/v1/projects", reader_all_), (std::vector<std::string>{"pa", "pb"}));
  auto [status, body] = Get("/v1/projects", reader_a_);
  EXPECT_EQ(body["items"][0]["repositories"], 1);
  // Every pull request of the double is by dev@example.com; nobody@example.com wrote none.
  EXPECT_EQ(Names("/v1/teams", reader_all_), std::vector<std::string>{"devs"});
  EXPECT_EQ(Names("/v1/teams", reader_a_), std::vector<std::string>{"devs"});
  // A team the token is not shown is not one it may ask about either; a token of every project
  // may ask about any configured team.
  EXPECT_EQ(Get("/v1/metrics/dora?team=ghosts", reader_a_).first, 404);
  EXPECT_EQ(Get("/v1/metrics/dora?team=devs", reader_a_).first, 200);
  EXPECT_EQ(Get("/v1/metrics/dora?team=ghosts", reader_all_).first, 200);
}

TEST_F(DashboardApiTest, TheIntegrationCountsOnlyTheTokensRepositories) {
  auto [status, body] = Get("/v1/integrations", reader_all_);
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_EQ(body["connections"].size(), 1u);
  const json all = body["connections"][0];
  EXPECT_EQ(all["provider"], "bitbucket-cloud");
  EXPECT_EQ(all["edition"], "bitbucket-cloud");
  // The first path answers the same.
  EXPECT_EQ(Get("/v1/integrations/bitbucket", reader_all_).second["connections"],
            body["connections"]);
  EXPECT_EQ(all["connected"], true);
  EXPECT_EQ(all["selected_repositories"], 3);
  EXPECT_TRUE(all["last_sync_at"].is_string()) << all.dump();
  EXPECT_TRUE(all["last_webhook"].is_null());  // none was delivered
  // The poll is on (15 minutes) and has not run yet.
  const json reconciliation = body["reconciliation"];
  EXPECT_EQ(reconciliation["every_s"], 900) << reconciliation.dump();
  EXPECT_TRUE(reconciliation["last_run_at"].is_null());
  EXPECT_TRUE(reconciliation["last_run_ok"].is_null());
  EXPECT_GE(reconciliation["lag_s"].get<int>(), 0);

  std::tie(status, body) = Get("/v1/integrations/bitbucket", reader_a_);
  ASSERT_EQ(status, 200);
  ASSERT_EQ(body["connections"].size(), 1u);
  EXPECT_EQ(body["connections"][0]["selected_repositories"], 1);
  EXPECT_TRUE(body["reconciliation"].is_null());  // it syncs every project's repositories
}

TEST_F(DashboardApiTest, SlowestPullRequestsComeFirst) {
  auto [status, body] =
      Get(std::string("/v1/pull-requests?order=slowest&limit=100&") + kWholeHistory, reader_all_);
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_GT(body["items"].size(), 2u);
  double previous = 1e18;
  bool undeployed_seen = false;
  for (const json& pr : body["items"]) {
    if (pr["total_s"].is_null()) {
      undeployed_seen = true;
      continue;
    }
    EXPECT_FALSE(undeployed_seen) << "a deployed pull request after one without a total";
    EXPECT_LE(pr["total_s"].get<double>(), previous);
    previous = pr["total_s"].get<double>();
  }
  EXPECT_LT(previous, 1e18);
  EXPECT_EQ(Get("/v1/pull-requests?order=fastest", reader_all_).first, 400);
}

TEST_F(DashboardApiTest, TheWeeklyTrendHasEachStage) {
  auto [status, body] = Get("/v1/metrics/dora?window=all&trend=weekly", reader_all_);
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_FALSE(body["trend"].empty());
  bool any_review = false;
  for (const json& week : body["trend"]) {
    for (const char* stage :
         {"coding_median_s", "pickup_median_s", "review_median_s", "deploy_median_s"}) {
      EXPECT_TRUE(week.contains(stage)) << week.dump();
    }
    any_review = any_review || week["review_median_s"].is_number();
  }
  EXPECT_TRUE(any_review);
}

}  // namespace
