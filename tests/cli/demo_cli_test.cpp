// End-to-end test of `leadline demo`: the real binary starts the Bitbucket double program,
// connects, backfills, and serves; the printed token reads both projects' metrics, which differ by
// repository and by team; SIGTERM stops the server and the double with it.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <vector>

#include "testing/git_script.h"
#include "testing/server_process.h"

namespace {

using leadline::testing::ServerProcess;
using leadline::testing::ShellQuote;
using leadline::testing::TempDir;
using nlohmann::json;

TEST(DemoCliTest, ServesAGeneratedOrganisationWithItsTokenAndStopsTheDoubleWithIt) {
  TempDir dir;
  ServerProcess demo(
      "demo --listen 127.0.0.1:0 --repositories 4 --days 60 --dir " + ShellQuote(dir.Child("demo")),
      dir.Child("demo.log"), "Stop with Ctrl-C.", true);
  ASSERT_TRUE(demo.running())
      << leadline::testing::RunCommand("cat " + dir.Child("demo.log")).output;
  std::smatch token;
  ASSERT_TRUE(std::regex_search(demo.output(), token, std::regex("token: (llt_\\S+)")))
      << demo.output();
  EXPECT_NE(demo.output().find("Projects: payments, platform"), std::string::npos);

  httplib::Client client("127.0.0.1", demo.port());
  const httplib::Headers bearer = {{"Authorization", "Bearer " + token[1].str()}};
  auto projects = client.Get("/v1/projects", bearer);
  ASSERT_TRUE(projects);
  ASSERT_EQ(projects->status, 200) << projects->body;
  EXPECT_EQ(json::parse(projects->body)["items"].size(), 2u);
  for (const std::string project : {"payments", "platform"}) {
    auto metrics = client.Get("/v1/metrics/dora?window=30d&project=" + project, bearer);
    ASSERT_TRUE(metrics);
    ASSERT_EQ(metrics->status, 200) << metrics->body;
    const json summary = json::parse(metrics->body)["summary"];
    EXPECT_GT(summary["deployments"].get<int>(), 0) << project;
    EXPECT_GT(summary["failed_deployments"].get<int>(), 0) << project;
    EXPECT_GT(summary["lead_time_sample"].get<int>(), 0) << project;
  }
  auto incidents = client.Get("/v1/incidents?window=60d", bearer);
  ASSERT_TRUE(incidents);
  EXPECT_FALSE(json::parse(incidents->body)["items"].empty());
  // The token only reads.
  EXPECT_EQ(client.Post("/v1/incidents", bearer, "[]", "application/json")->status, 403);

  // Squashed pull requests' commits were read from the double, so no finding says they are
  // unknown for want of reading them.
  auto doctor = client.Get("/v1/doctor?window=60d", bearer);
  ASSERT_TRUE(doctor);
  ASSERT_EQ(doctor->status, 200) << doctor->body;
  EXPECT_EQ(doctor->body.find("unknown_branch_commits"), std::string::npos) << doctor->body;

  // Each repository of the organisation has its own history and pace, and a home team: their
  // lead times and pull request stages differ, and so do the two teams'.
  const auto metrics = [&](const std::string& scope) {
    auto answer = client.Get("/v1/metrics/dora?window=60d&" + scope, bearer);
    EXPECT_TRUE(answer) << scope;
    if (!answer) return json();
    EXPECT_EQ(answer->status, 200) << answer->body;
    return json::parse(answer->body);
  };
  const auto pickup = [](const json& figures) {
    return figures["pull_request_stages"]["pickup"]["median_s"].get<double>();
  };

  std::vector<double> lead_times;
  std::set<double> pickups;
  for (int i = 1; i <= 4; ++i) {
    const json figures = metrics("repo=acme/repo-" + std::to_string(i));
    ASSERT_GT(figures["summary"]["lead_time_sample"].get<int>(), 0) << figures.dump();
    lead_times.push_back(figures["summary"]["lead_time_median_s"].get<double>());
    pickups.insert(pickup(figures));
  }
  // Paces from half to three times the base one: the slowest repository's median lead time is
  // several times the fastest's (with one shared history, only the deployments' minutes differed).
  const auto [fastest, slowest] = std::minmax_element(lead_times.begin(), lead_times.end());
  EXPECT_GT(*slowest, 2.5 * *fastest) << ::testing::PrintToString(lead_times);
  EXPECT_EQ(pickups.size(), 4u) << ::testing::PrintToString(pickups);

  // Checkout reviews sooner than core.
  const json checkout = metrics("team=checkout");
  const json core = metrics("team=core");
  EXPECT_LT(pickup(checkout), pickup(core)) << checkout.dump() << core.dump();

  EXPECT_EQ(demo.Stop(SIGTERM), 0);
  // The double went with it: nothing listens for the demo's Bitbucket any more.
  // ("[l]" keeps pgrep's own shell from matching.)
  EXPECT_NE(leadline::testing::RunCommand(
                "pgrep -f '[l]eadline-bitbucket-double --port 0 --repositories 4 "
                "--pull-requests 300 --pipelines 150 --deployments 150 --history-days 60'")
                .exit_code,
            0);
}

TEST(DemoCliTest, BadOptionsAndAMissingDoubleAreClearErrors) {
  TempDir dir;
  const auto run = [&](const std::string& args) {
    return leadline::testing::RunCommand(leadline::testing::LeadlineBinary() + " demo --dir " +
                                             ShellQuote(dir.Child("demo")) + " " + args,
                                         /*capture_stderr=*/true);
  };
  const auto too_small = run("--repositories 1");
  EXPECT_EQ(too_small.exit_code, 1);
  EXPECT_NE(too_small.output.find("--repositories: at least 2"), std::string::npos)
      << too_small.output;
  const auto no_double = run("--double " + ShellQuote(dir.Child("missing-double")));
  EXPECT_EQ(no_double.exit_code, 1);
  EXPECT_NE(no_double.output.find("cannot start"), std::string::npos) << no_double.output;
}

}  // namespace
