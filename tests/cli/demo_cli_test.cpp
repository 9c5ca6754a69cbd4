// End-to-end test of `leadline demo`: the real binary starts the Bitbucket double program,
// connects, backfills, and serves; the printed token reads both projects' metrics; SIGTERM stops
// the server and the double with it.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <regex>

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
