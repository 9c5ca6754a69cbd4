// End-to-end tests of `leadline serve`: the real binary on a loopback port, with tokens and
// projects made by the CLI, and repositories listed from the local Bitbucket double.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "serve_cli_fixture.h"
#include "store/store.h"

namespace {

using leadline::testing::Bearer;
using leadline::testing::kWholeHistory;
using leadline::testing::kWholeHistoryFlags;
using leadline::testing::LeadlineRun;
using leadline::testing::ReadApiTest;
using leadline::testing::ServeCliTest;
using leadline::testing::ServerProcess;
using leadline::testing::ShellQuote;
using nlohmann::json;

// After the double's history, inside the read endpoints' window.
std::string AMinuteAgo() {
  return leadline::common::FormatRfc3339(leadline::common::NowUnixSeconds() - 60);
}

std::string Deployment(const std::string& id, const std::string& repository) {
  return R"({"id": ")" + id + R"(", "repository": ")" + repository +
         R"(", "environment": "production", "commit": "0123456789abcdef", "status": "success",
            "finished_at": "2026-01-05T10:00:00Z"})";
}

TEST_F(ServeCliTest, HealthAndMetricsNeedNoTokenAndSigtermStopsCleanly) {
  ServerProcess server(db(), Log());
  ASSERT_TRUE(server.running());
  httplib::Client client("127.0.0.1", server.port());
  auto health = client.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(json::parse(health->body)["status"], "ok");
  auto ready = client.Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
  EXPECT_EQ(json::parse(ready->body)["view_behind_seconds"], 0);
  EXPECT_EQ(client.Get("/v1/nope")->status, 404);
  EXPECT_EQ(client.Delete("/healthz")->status, 405);
  auto metrics = client.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("leadline_http_requests_total{route=\"/healthz\",status=\"200\"} 1"),
            std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("route=\"unmatched\",status=\"404\""), std::string::npos);
  EXPECT_EQ(server.Stop(SIGTERM), 0);
  std::ifstream log(Log());
  const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("Stopped."), std::string::npos) << text;
}

TEST_F(ServeCliTest, APortInUseIsAClearError) {
  ServerProcess first(db(), Log());
  const LeadlineRun second = Leadline("serve --listen 127.0.0.1:" + std::to_string(first.port()));
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.err.find("cannot listen on 127.0.0.1:"), std::string::npos) << second.err;
  EXPECT_EQ(Leadline("serve --listen nowhere").exit_code, 1);
}

TEST_F(ServeCliTest, StoreConnectionsAreBoundedAndClosedAtTheEnd) {
  for (const char* count : {"0", "65", "-1"}) {
    const LeadlineRun run = Leadline(std::string("serve --store-connections ") + count);
    EXPECT_EQ(run.exit_code, 1) << count;
    EXPECT_NE(run.err.find("--store-connections must be from 1 to 64"), std::string::npos)
        << run.err;
  }
  if (!OnPostgres()) {
    const LeadlineRun sqlite = Leadline("serve --listen 127.0.0.1:0 --store-connections 2");
    EXPECT_EQ(sqlite.exit_code, 1);
    EXPECT_NE(sqlite.err.find("a SQLite store takes one writer at a time"), std::string::npos)
        << sqlite.err;
    return;
  }
  // Sessions on the test's database other than the counting one.
  const auto sessions = [&] {
    return std::stoi(
        Query("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid "
              "<> pg_backend_pid()"));
  };
  ServerProcess server(db(), Log(), "--store-connections 5");
  ASSERT_TRUE(server.running());
  EXPECT_GE(sessions(), 5);  // the pool, and the background work's own
  EXPECT_EQ(server.Stop(SIGTERM), 0);
  int left = sessions();
  for (int i = 0; i < 50 && left > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    left = sessions();
  }
  EXPECT_EQ(left, 0);
}

TEST_F(ServeCliTest, PushedDeploymentsAreScopedValidatedAndAudited) {
  SetUpProjects();
  const std::string ci = Token("--name ci-a --scopes write:events --projects pa --expires 1d");
  const std::string reader = Token("--name reader --scopes read");
  ServerProcess server(db(), Log(), "--max-body-kb 4");
  httplib::Client client("127.0.0.1", server.port());
  const auto post = [&](const std::string& path, const std::string& body,
                        const std::string& token) {
    auto response = token.empty() ? client.Post(path, body, "application/json")
                                  : client.Post(path, Bearer(token), body, "application/json");
    EXPECT_TRUE(response) << path;
    return response ? std::pair{response->status, response->body} : std::pair{0, std::string()};
  };

  auto [status, body] = post("/v1/deployments", Deployment("d1", "acme/repo-1"), "");
  EXPECT_EQ(status, 401) << body;
  std::tie(status, body) = post("/v1/deployments", Deployment("d1", "acme/repo-1"), "llt_nope");
  EXPECT_EQ(status, 401) << body;
  std::tie(status, body) = post("/v1/deployments", Deployment("d1", "acme/repo-1"), reader);
  EXPECT_EQ(status, 403) << body;
  EXPECT_NE(body.find("lacks the scope 'write:events'"), std::string::npos) << body;

  std::tie(status, body) = post("/v1/deployments", Deployment("d1", "acme/repo-1"), ci);
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(json::parse(body), json::parse(R"({"received": 1, "changed": 1})"));
  std::tie(status, body) = post("/v1/deployments", Deployment("d1", "acme/repo-1"), ci);
  EXPECT_EQ(json::parse(body)["changed"], 0) << body;  // idempotent by the caller's id

  // Another project's repository and one that does not exist answer alike.
  std::tie(status, body) = post("/v1/deployments", Deployment("d2", "acme/repo-2"), ci);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(json::parse(body)["error"], "no repository 'acme/repo-2'");
  std::tie(status, body) = post("/v1/deployments", Deployment("d3", "acme/none"), ci);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(json::parse(body)["error"], "no repository 'acme/none'");

  std::tie(status, body) =
      post("/v1/deployments", R"({"id": "d4", "repository": "acme/repo-1", "status": "done"})", ci);
  EXPECT_EQ(status, 422) << body;
  std::vector<std::string> fields;
  const json errors = json::parse(body)["errors"];
  for (const json& error : errors) fields.push_back(error["field"]);
  EXPECT_EQ(fields, (std::vector<std::string>{"environment", "commit", "status"})) << body;
  std::tie(status, body) = post("/v1/deployments", "{not json", ci);
  EXPECT_EQ(status, 400) << body;
  std::tie(status, body) = post("/v1/deployments", std::string(8192, ' ') + "{}", ci);
  EXPECT_EQ(status, 413) << body;
  EXPECT_EQ(json::parse(body)["error"], "the request body is too large");

  // Incidents: a project token must name the repository.
  const std::string incident =
      R"({"id": "INC-1", "severity": "P1", "started_at": "2026-01-05T11:00:00Z", )";
  std::tie(status, body) = post("/v1/incidents", incident + R"("service": "repo-1"})", ci);
  EXPECT_EQ(status, 403) << body;
  std::tie(status, body) = post("/v1/incidents", incident + R"("repository": "acme/repo-1"})", ci);
  EXPECT_EQ(status, 200) << body;

  ASSERT_EQ(Leadline("tokens revoke ci-a").exit_code, 0);
  std::tie(status, body) = post("/v1/deployments", Deployment("d1", "acme/repo-1"), ci);
  EXPECT_EQ(status, 401);
  EXPECT_EQ(json::parse(body)["error"], "the API token 'ci-a' was revoked");
  EXPECT_EQ(server.Stop(SIGTERM), 0);

  // Every call with a valid token is in the audit log, with who made it, a 403 included; the
  // refusals without one (no token, an unknown or revoked token, the oversized body refused
  // before its token was read) are counted instead. The secret is nowhere in the store.
  auto store = std::move(leadline::store::OpenStore(db())).value();
  const auto audit = *store->audit().LoadAudit(100);
  ASSERT_EQ(audit.size(), 9u);
  EXPECT_EQ(audit[0].token_name, "ci-a");
  EXPECT_EQ(audit[0].method, "POST");
  EXPECT_EQ(audit[0].path, "/v1/incidents");
  EXPECT_EQ(audit[0].status, 200);
  EXPECT_EQ(audit[1].status, 403);
  EXPECT_EQ(audit[2].token_name, "ci-a");
  EXPECT_EQ(audit[2].status, 400);
  EXPECT_EQ(audit.back().token_name, "reader");
  EXPECT_EQ(audit.back().status, 403);
  std::set<std::string> reasons;
  const auto refusals = *store->audit().LoadAuditRefusals(100);
  for (const auto& refusal : refusals) {
    reasons.insert(refusal.reason);
    EXPECT_EQ(refusal.client_address, "127.0.0.1");
  }
  // The revoked token is not trusted to say who it is.
  EXPECT_EQ(reasons,
            (std::set<std::string>{"no_token", "bad_token", "body_too_large", "revoked_token"}));
  // `leadline audit` shows the newest first, then the refusal counts.
  const LeadlineRun shown = Leadline("audit --limit 2");
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  std::vector<std::string> lines;
  std::istringstream shown_lines(shown.out);
  for (std::string line; std::getline(shown_lines, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 6u) << shown.out;
  EXPECT_NE(lines[0].find("  ci-a             200 POST   /v1/incidents"), std::string::npos)
      << shown.out;
  EXPECT_NE(lines[1].find("  ci-a             403 POST   /v1/incidents"), std::string::npos)
      << shown.out;
  EXPECT_EQ(lines[2], "");
  EXPECT_EQ(lines[3].find("Refused without a valid identity"), 0u) << shown.out;
  EXPECT_NE(lines[4].find("  127.0.0.1        "), std::string::npos) << shown.out;
  EXPECT_EQ(Leadline("audit --limit 0").exit_code, 2);
  if (OnPostgres()) {  // only the hash is kept
    EXPECT_EQ(
        Query("SELECT COUNT(*) FROM api_tokens WHERE secret_hash LIKE '%" + ci.substr(4) + "%'"),
        "0");
  } else {
    std::ifstream file(db(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(file)),
                            std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find(ci.substr(4)), std::string::npos);
  }
}

}  // namespace

namespace {

TEST_F(ReadApiTest, DoraMetricsMatchTheReportAndStayInsideTheTokensProjects) {
  auto [status, body] = Get(std::string("/v1/metrics/dora?") + kWholeHistory, reader_a_);
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["scope"]["repositories"], json::array({"acme/repo-1"}));
  // The same numbers as `leadline report` over the same window.
  const LeadlineRun report =
      Leadline("report --repo acme/repo-1 " + kWholeHistoryFlags + " --format json");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  json expected = json::parse(report.out)["summary"];
  expected.erase("repository");
  expected.erase("proxy");
  EXPECT_EQ(body["summary"], expected);
  EXPECT_EQ(body["pull_request_stages"], json::parse(report.out)["pull_request_stages"]);

  // Another project's repository, or project, is as unknown as one that does not exist.
  for (const std::string query : {"repo=acme/repo-2", "repo=acme/none"}) {
    std::tie(status, body) = Get("/v1/metrics/dora?" + query, reader_a_);
    EXPECT_EQ(status, 404) << query;
    EXPECT_EQ(body["error"], "no repository '" + query.substr(5) + "'");
  }
  for (const std::string project : {"pb", "nope"}) {
    std::tie(status, body) = Get("/v1/metrics/dora?project=" + project, reader_a_);
    EXPECT_EQ(status, 404);
    EXPECT_EQ(body["error"], "no project '" + project + "'");
  }
  std::tie(status, body) = Get("/v1/metrics/dora?project=pb", reader_all_);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body["scope"]["repositories"], json::array({"acme/repo-2"}));
  std::tie(status, body) = Get("/v1/metrics/dora?window=all&trend=weekly", reader_all_);
  EXPECT_EQ(body["scope"]["repositories"].size(), 3u);
  EXPECT_FALSE(body["trend"].empty());

  for (const std::string bad :
       {"window=soon", "benchmark=1999", "environment=staging", "since=yesterday",
        "since=2030-01-01T00:00:00Z&until=2020-01-01T00:00:00Z"}) {
    std::tie(status, body) = Get("/v1/metrics/dora?" + bad, reader_all_);
    EXPECT_EQ(status, 400) << bad << ": " << body.dump();
  }
}

TEST_F(ReadApiTest, ListsArePaginatedAndFiltered) {
  auto [status, body] = Get("/v1/repositories", reader_a_);
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_EQ(body["items"].size(), 1u);
  EXPECT_EQ(body["items"][0]["repository"], "acme/repo-1");
  EXPECT_EQ(body["items"][0]["projects"], json::array({"pa"}));
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 5; ++page) {
    std::tie(status, body) =
        Get("/v1/repositories?limit=1" + (cursor.empty() ? "" : "&cursor=" + cursor), reader_all_);
    ASSERT_EQ(status, 200);
    for (const json& item : body["items"]) seen.push_back(item["repository"]);
    if (body["next"].is_null()) break;
    cursor = body["next"];
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"acme/repo-1", "acme/repo-2", "acme/repo-3"}));
  EXPECT_EQ(Get("/v1/repositories?limit=0", reader_all_).first, 400);

  std::tie(status, body) = Get(std::string("/v1/deployments?") + kWholeHistory, reader_a_);
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_FALSE(body["items"].empty());
  std::string previous = "9999";
  for (const json& item : body["items"]) {
    EXPECT_EQ(item["repository"], "acme/repo-1");
    EXPECT_LE(item["finished_at"].get<std::string>(), previous);  // newest first
    previous = item["finished_at"];
  }
  std::tie(status, body) =
      Get(std::string("/v1/deployments?failed=true&") + kWholeHistory, reader_all_);
  ASSERT_EQ(status, 200);
  for (const json& item : body["items"]) {
    EXPECT_TRUE(item["failed"].get<bool>());
    EXPECT_FALSE(item["failure_reasons"].empty());
  }
}

TEST_F(ReadApiTest, APushedDeploymentReachesTheMetrics) {
  const std::string ci = Token("--name ci --scopes write:events,read");
  const auto deployments = [&] {
    return Get(std::string("/v1/metrics/dora?repo=acme/repo-1&") + kWholeHistory, ci)
        .second["summary"]["deployment_attempts"]
        .get<int>();
  };
  const int before = deployments();
  const json listed =
      Get(std::string("/v1/deployments?repo=acme/repo-1&") + kWholeHistory, ci).second;
  const std::string sha = listed["items"][0]["sha"];
  auto posted =
      client_->Post("/v1/deployments", Bearer(ci),
                    R"({"id": "late", "repository": "acme/repo-1", "environment": )"
                    R"("production", "commit": ")" +
                        sha + R"(", "status": "failed", "finished_at": ")" + AMinuteAgo() + R"("})",
                    "application/json");
  ASSERT_TRUE(posted);
  ASSERT_EQ(posted->status, 200) << posted->body;
  // The view is rebuilt in the background: the new deployment shows within seconds.
  int after = before;
  for (int i = 0; i < 100 && after == before; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    after = deployments();
  }
  EXPECT_EQ(after, before + 1);
}

}  // namespace

namespace {

TEST_F(ReadApiTest, PullRequestsIncidentsAndDoctorFollowTheScope) {
  auto [status, body] = Get(std::string("/v1/pull-requests?limit=100&") + kWholeHistory, reader_a_);
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_FALSE(body["items"].empty());
  std::string previous = "9999";
  for (const json& pr : body["items"]) {
    EXPECT_EQ(pr["repository"], "acme/repo-1");
    EXPECT_EQ(pr["author"], "Dev Eloper");
    EXPECT_LE(pr["merged_at"].get<std::string>(), previous);
    previous = pr["merged_at"];
  }
  // The report lists the same merged pull requests.
  const LeadlineRun report =
      Leadline("report --repo acme/repo-1 " + kWholeHistoryFlags + " --format json");
  EXPECT_EQ(body["items"].size(), json::parse(report.out)["pull_requests"].size());

  // An incident pushed for acme/repo-1 shows to reader-a; one for acme/repo-2 does not.
  const std::string writer = Token("--name writer --scopes write:events");
  for (const std::string repo : {"acme/repo-1", "acme/repo-2"}) {
    auto pushed =
        client_->Post("/v1/incidents", Bearer(writer),
                      R"({"id": "INC-)" + repo.substr(10) + R"(", "repository": ")" + repo +
                          R"(", "severity": "P1", "started_at": ")" + AMinuteAgo() + R"("})",
                      "application/json");
    ASSERT_TRUE(pushed);
    ASSERT_EQ(pushed->status, 200) << pushed->body;
  }
  // The metrics view takes the pushes in asynchronously (possibly one at a time): wait until the
  // reader of every project sees both, then the reader of one sees one.
  json every;
  for (int i = 0; i < 100 && (every.is_null() || every["items"].size() < 2); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    every = Get(std::string("/v1/incidents?") + kWholeHistory, reader_all_).second;
  }
  EXPECT_EQ(every["items"].size(), 2u) << every.dump();
  const json incidents = Get(std::string("/v1/incidents?") + kWholeHistory, reader_a_).second;
  ASSERT_EQ(incidents["items"].size(), 1u) << incidents.dump();
  EXPECT_EQ(incidents["items"][0]["id"], "INC-1");
  EXPECT_EQ(incidents["items"][0]["repository"], "acme/repo-1");

  std::tie(status, body) = Get("/v1/doctor?window=all", reader_a_);
  ASSERT_EQ(status, 200) << body.dump();
  ASSERT_EQ(body["items"].size(), 1u);
  EXPECT_EQ(body["items"][0]["repository"], "acme/repo-1");
  for (const json& finding : body["items"][0]["findings"]) {
    EXPECT_FALSE(finding["fix"].get<std::string>().empty());
  }
  // The same checks as `leadline doctor` over the same window.
  const LeadlineRun doctor = Leadline("doctor --repo acme/repo-1 --window all --format json");
  ASSERT_EQ(doctor.exit_code, 0) << doctor.err;
  std::vector<std::string> api_checks, cli_checks;
  for (const json& f : body["items"][0]["findings"]) api_checks.push_back(f["check"]);
  const json cli = json::parse(doctor.out);
  for (const json& f : cli[0]["findings"]) cli_checks.push_back(f["check"]);
  EXPECT_EQ(api_checks, cli_checks);
}

}  // namespace
