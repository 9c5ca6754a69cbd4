// Test support for end-to-end tests of `leadline serve`: the real binary on a loopback port, with
// tokens and projects made by the CLI over repositories of the local Bitbucket double.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "bitbucket_cli_fixture.h"
#include "common/time.h"
#include "testing/server_process.h"

namespace leadline::testing {

inline httplib::Headers Bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

// `method path` with `headers` and a JSON `body` (none when empty): the status and the parsed
// answer (0 and null when nothing came back, which fails the test).
inline std::pair<int, nlohmann::json> SendJson(httplib::Client& client, const std::string& method,
                                               const std::string& path,
                                               const httplib::Headers& headers,
                                               const std::string& body = "") {
  httplib::Request request;
  request.method = method;
  request.path = path;
  request.headers = headers;
  request.body = body;
  if (!body.empty()) request.set_header("Content-Type", "application/json");
  auto response = client.send(request);
  EXPECT_TRUE(response) << method << " " << path;
  if (!response) return {0, nlohmann::json()};
  return {response->status, nlohmann::json::parse(response->body, nullptr, false)};
}

// A window that holds all of the double's history (it begins 30 days ago) and what a test pushes
// after it, within the API's limits: the ten years up to the next midnight (UTC), fixed at start.
// The values below each read the window from this function, never from one another: the order
// in which a program initialises inline variables of several files is not fixed, and clang may
// initialise one before another that it reads.
inline common::UnixSeconds WholeHistoryUntilAtStart() {
  static const common::UnixSeconds until =
      (common::NowUnixSeconds() / common::kDay + 1) * common::kDay;
  return until;
}
inline const common::UnixSeconds kWholeHistoryUntil = WholeHistoryUntilAtStart();
inline const common::UnixSeconds kWholeHistorySince =
    WholeHistoryUntilAtStart() - 3650 * common::kDay;
// As query parameters, and as `leadline report` flags.
inline const std::string kWholeHistory =
    "since=" + common::FormatRfc3339(WholeHistoryUntilAtStart() - 3650 * common::kDay) +
    "&until=" + common::FormatRfc3339(WholeHistoryUntilAtStart());
inline const std::string kWholeHistoryFlags =
    "--since " + common::FormatRfc3339(WholeHistoryUntilAtStart() - 3650 * common::kDay) +
    " --until " + common::FormatRfc3339(WholeHistoryUntilAtStart());

class ServeCliTest : public BitbucketCliTest {
 protected:
  // acme/repo-1 is project "pa", acme/repo-2 project "pb".
  void SetUpProjects() {
    ASSERT_EQ(Leadline(ConnectCloud()).exit_code, 0);
    ASSERT_EQ(Leadline("repos list").exit_code, 0);
    ASSERT_EQ(Leadline("projects create pa --repos acme/repo-1").exit_code, 0);
    ASSERT_EQ(Leadline("projects create pb --repos acme/repo-2").exit_code, 0);
  }
  std::string Token(const std::string& args) {
    const LeadlineRun run = Leadline("tokens create " + args);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return run.out.substr(0, run.out.find('\n'));
  }
  std::string Log() const { return dir_.Child("serve.log"); }
};

class ReadApiTest : public ServeCliTest {
 protected:
  void SetUp() override {
    SetUpProjects();
    ASSERT_EQ(Leadline("repos select 'acme/*'").exit_code, 0);
    ASSERT_EQ(Leadline("sync").exit_code, 0);
    reader_a_ = Token("--name reader-a --scopes read --projects pa");
    reader_all_ = Token("--name reader-all --scopes read");
    BeforeServe();
    server_ = std::make_unique<ServerProcess>(db(), Log(), ServeArguments());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }
  // What a test stores before the server starts.
  virtual void BeforeServe() {}
  // What else `serve` is given.
  virtual std::string ServeArguments() const { return ""; }
  void TearDown() override {
    if (!HasFailure()) return;
    std::ifstream log(Log());
    std::cerr << "the server's log:\n" << log.rdbuf();
  }
  std::pair<int, nlohmann::json> Get(const std::string& path, const std::string& token) {
    auto response = client_->Get(path, Bearer(token));
    EXPECT_TRUE(response) << path;
    if (!response) return {0, nlohmann::json()};
    return {response->status, nlohmann::json::parse(response->body, nullptr, false)};
  }

  std::string reader_a_, reader_all_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace leadline::testing
