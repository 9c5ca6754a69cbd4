// End-to-end tests of CI jobs pushing with OIDC tokens: the real `leadline serve` with a
// [[ci_trust]] rule for the local GitLab double's instance, a key set the test serves on loopback,
// and tokens minted with the test's own keys in GitLab's claim shapes (identity.md). A job's
// token writes its own project's deployments once; another project, an unprotected ref, a fork's
// job, a replay, a stranger's key or an unknown issuer are refused, saying why, and audited.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "bitbucket_cli_fixture.h"
#include "gitlab_double/gitlab_double.h"
#include "serve_cli_fixture.h"
#include "testing/jwt_signer.h"
#include "testing/server_process.h"

namespace {

using leadline::testing::Bearer;
using leadline::testing::GitLabDouble;
using leadline::testing::GitLabDoubleConfig;
using leadline::testing::JwtSigner;
using leadline::testing::LeadlineRun;
using leadline::testing::ServerProcess;
using leadline::testing::ShellQuote;
using leadline::testing::TestKeyType;
using nlohmann::json;

constexpr const char* kAudience = "https://leadline.example";

GitLabDoubleConfig Config() {
  GitLabDoubleConfig config;
  config.merge_requests_per_project = 3;
  config.pipelines_per_project = 1;
  config.deployments_per_project = 1;
  config.history_start = leadline::common::NowUnixSeconds() - 5 * leadline::common::kDay;
  return config;
}

// An issuer's key set on loopback, at `path`, counting its fetches.
class KeyServer {
 public:
  KeyServer(const JwtSigner& signer, const std::string& path) {
    server_.Get(path, [&signer, this](const httplib::Request&, httplib::Response& res) {
      ++fetches_;
      res.set_content(leadline::testing::KeySetJson({signer.PublicJwk()}), "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~KeyServer() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int fetches() const { return fetches_.load(); }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int> fetches_{0};
};

class CiTokenCliTest : public leadline::testing::BitbucketCliTest {
 protected:
  CiTokenCliTest()
      : gitlab_(Config()),
        signer_(TestKeyType::kRsa, "gitlab-ci"),
        keys_(signer_, "/oauth/discovery/keys") {
    std::ofstream(dir_.Child("gitlab-token")) << "glpat-personal-token\n";
  }

  void SetUp() override {
    ASSERT_EQ(Leadline("connect gitlab --url " + ShellQuote(gitlab_.url()) + " --token-file " +
                       ShellQuote(dir_.Child("gitlab-token")))
                  .exit_code,
              0);
    ASSERT_EQ(Leadline("repos list").exit_code, 0);
    std::ofstream(dir_.Child("ci.toml"))
        << "[[ci_trust]]\nprovider = \"gitlab\"\nissuer = \"" << gitlab_.url()
        << "\"\naudiences = [\"" << kAudience << "\"]\nkey_set_url = \"" << keys_.url()
        << "/oauth/discovery/keys\"\nenvironments = [\"production\"]\n";
    server_ = std::make_unique<ServerProcess>(db(), dir_.Child("serve.log"),
                                              "--config " + ShellQuote(dir_.Child("ci.toml")));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  // A GitLab CI id_token of job `job` deploying `project` to production from a protected main.
  json Claims(const std::string& project, int job) const {
    const auto now = leadline::common::NowUnixSeconds();
    return {{"iss", gitlab_.url()},
            {"aud", kAudience},
            {"sub", "project_path:" + project + ":ref_type:branch:ref:main"},
            {"iat", now},
            {"nbf", now},
            {"exp", now + 300},
            {"jti", "job-" + std::to_string(job)},
            {"project_path", project},
            {"pipeline_id", "900"},
            {"job_id", std::to_string(job)},
            {"ref", "main"},
            {"ref_protected", "true"},
            {"environment", "production"},
            {"deployment_tier", "production"}};
  }
  static std::string Deployment(const std::string& repository, const std::string& id) {
    return json{
        {"id", id},
        {"repository", repository},
        {"environment", "production"},
        {"commit", "0123456789ab"},
        {"status", "success"},
        {"finished_at", leadline::common::FormatRfc3339(leadline::common::NowUnixSeconds())}}
        .dump();
  }
  std::pair<int, json> Post(const std::string& token, const std::string& body,
                            const std::string& path = "/v1/deployments") {
    auto response = client_->Post(path, Bearer(token), body, "application/json");
    EXPECT_TRUE(response);
    if (!response) return {0, json()};
    return {response->status, json::parse(response->body, nullptr, false)};
  }
  std::string Sign(const json& claims) const { return signer_.SignClaims(claims.dump(), "RS256"); }

  GitLabDouble gitlab_;
  JwtSigner signer_;
  KeyServer keys_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(CiTokenCliTest, AJobPushesItsOwnProjectsDeploymentOnceWithItsToken) {
  const std::string token = Sign(Claims("acme/web", 1));
  auto [status, body] = Post(token, Deployment("acme/web", "deploy-1"));
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["changed"], 1);

  // The same token again: a replay.
  std::tie(status, body) = Post(token, Deployment("acme/web", "deploy-2"));
  EXPECT_EQ(status, 401) << body.dump();
  EXPECT_NE(body.dump().find("used before"), std::string::npos) << body.dump();
  EXPECT_EQ(keys_.fetches(), 1);

  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM platform_deployments WHERE provider = 'push'"), "1");
  EXPECT_EQ(Query("SELECT COUNT(*) FROM audit_log WHERE token_name LIKE 'ci gitlab " +
                  gitlab_.url() + " acme/web pipeline 900 job 1 (project_path:acme/web:%'"),
            "1");
}

TEST_F(CiTokenCliTest, WhatTheJobMayNotWriteIsRefusedSayingWhy) {
  // Another project in the body.
  auto [status, body] = Post(Sign(Claims("acme/web", 2)), Deployment("acme/platform/api", "d"));
  EXPECT_EQ(status, 403) << body.dump();
  EXPECT_NE(body.dump().find("may write only 'acme/web'"), std::string::npos) << body.dump();

  json unprotected = Claims("acme/web", 3);
  unprotected["ref_protected"] = "false";
  std::tie(status, body) = Post(Sign(unprotected), Deployment("acme/web", "d"));
  EXPECT_EQ(status, 403) << body.dump();
  EXPECT_NE(body.dump().find("not protected"), std::string::npos) << body.dump();

  json fork = Claims("acme/web", 4);
  fork["job_project_path"] = "mallory/web";
  std::tie(status, body) = Post(Sign(fork), Deployment("acme/web", "d"));
  EXPECT_EQ(status, 403) << body.dump();

  json staging = Claims("acme/web", 5);
  staging["environment"] = "staging";
  staging["deployment_tier"] = "staging";
  std::tie(status, body) = Post(Sign(staging), Deployment("acme/web", "d"));
  EXPECT_EQ(status, 403) << body.dump();

  // The job deploys to production; its body may not say otherwise.
  std::tie(status, body) = Post(Sign(Claims("acme/web", 10)), [] {
    json staged = json::parse(Deployment("acme/web", "d"));
    staged["environment"] = "staging";
    return staged.dump();
  }());
  EXPECT_EQ(status, 403) << body.dump();
  EXPECT_NE(body.dump().find("deploys to 'production', not to 'staging'"), std::string::npos)
      << body.dump();

  // A project of the instance that no connection lists.
  std::tie(status, body) = Post(Sign(Claims("acme/unknown", 6)), Deployment("acme/unknown", "d"));
  EXPECT_EQ(status, 403) << body.dump();

  // Incidents need a rule that allows them.
  std::tie(status, body) =
      Post(Sign(Claims("acme/web", 7)),
           R"({"id": "INC-1", "repository": "acme/web", "severity": "P1", "title": "down",)"
           R"( "started_at": "2026-01-01T00:00:00Z"})",
           "/v1/incidents");
  EXPECT_EQ(status, 403) << body.dump();
  EXPECT_NE(body.dump().find("allow_incidents"), std::string::npos) << body.dump();

  // Not valid: a stranger's key under the same kid, another issuer, garbage.
  const JwtSigner stranger(TestKeyType::kRsa, "gitlab-ci");
  std::tie(status, body) =
      Post(stranger.SignClaims(Claims("acme/web", 8).dump(), "RS256"), Deployment("acme/web", "d"));
  EXPECT_EQ(status, 401) << body.dump();
  json elsewhere = Claims("acme/web", 9);
  elsewhere["iss"] = "https://gitlab.com";
  std::tie(status, body) = Post(Sign(elsewhere), Deployment("acme/web", "d"));
  EXPECT_EQ(status, 401) << body.dump();
  std::tie(status, body) = Post("a.b.c", Deployment("acme/web", "d"));
  EXPECT_EQ(status, 401) << body.dump();

  // The body naming another project is audited under the job; refusals are counted by reason
  // (written when the server stops at the latest).
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM platform_deployments"), "0");
  EXPECT_EQ(Query("SELECT COUNT(*) FROM audit_log WHERE status = 403 AND token_name LIKE "
                  "'ci gitlab %acme/web pipeline 900 job 2 %'"),
            "1");
  EXPECT_EQ(Query("SELECT SUM(count) FROM audit_refusals WHERE reason = 'ci_rule'"), "5");
  EXPECT_EQ(Query("SELECT SUM(count) FROM audit_refusals WHERE reason = 'ci_token'"), "3");
}

// `leadline ci report-deployment` as a GitLab deployment job runs it: its variables and the
// id_tokens entry in the environment.
TEST_F(CiTokenCliTest, AJobReportsItsDeploymentWithTheCommand) {
  const std::string token = Sign(Claims("acme/web", 11));
  const auto run = [&](const std::string& env, const std::string& args = "") {
    const std::string err = dir_.Child("ci-stderr.txt");
    const auto result = leadline::testing::RunCommand(
        "env -i PATH=/usr/bin:/bin LEADLINE_URL=" +
        ShellQuote("http://127.0.0.1:" + std::to_string(server_->port())) + " " + env +
        " timeout 60 " + leadline::testing::LeadlineBinary() + " ci report-deployment " + args +
        " 2>" + ShellQuote(err));
    return LeadlineRun{result.exit_code, result.output, leadline::testing::ReadWholeFile(err)};
  };
  const std::string job =
      "CI_PROJECT_PATH=acme/web CI_ENVIRONMENT_NAME=production "
      "CI_COMMIT_SHA=0123456789abcdef0123456789abcdef01234567 "
      "CI_PIPELINE_ID=900 CI_JOB_ID=11 "
      "CI_JOB_STARTED_AT=2026-12-01T10:00:00Z";
  const LeadlineRun reported = run(job + " LEADLINE_ID_TOKEN=" + ShellQuote(token));
  ASSERT_EQ(reported.exit_code, 0) << reported.err;
  EXPECT_EQ(reported.out,
            "Reported deployment gitlab-job-11 of acme/web to production (success)\n");
  EXPECT_EQ(reported.err.find(token), std::string::npos);

  // Without the token's variable, or with a variable missing: what to fix.
  LeadlineRun missing = run(job);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("LEADLINE_ID_TOKEN holds no OIDC token"), std::string::npos)
      << missing.err;
  missing = run("LEADLINE_ID_TOKEN=" + ShellQuote(Sign(Claims("acme/web", 12))) +
                " CI_PROJECT_PATH=acme/web CI_JOB_ID=12");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("--environment is required (or the CI variable "
                             "CI_ENVIRONMENT_NAME, which is not set)"),
            std::string::npos)
      << missing.err;
  // The server's refusal, passed on: another project.
  const LeadlineRun refused =
      run(job + " LEADLINE_ID_TOKEN=" + ShellQuote(Sign(Claims("acme/web", 13))),
          "--repository acme/platform/api");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("the server answered 403"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("may write only 'acme/web'"), std::string::npos) << refused.err;

  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  EXPECT_EQ(Query("SELECT status || ' ' || environment_name || ' ' || uuid || ' ' || "
                  "commit_sha FROM platform_deployments WHERE provider = 'push'"),
            "SUCCESSFUL production gitlab-job-11 0123456789abcdef0123456789abcdef01234567");
}

TEST_F(CiTokenCliTest, AJobAsksForABiRefreshWithTheCommandAndIsAudited) {
  const auto run = [&](const std::string& env) {
    const std::string err = dir_.Child("ci-stderr.txt");
    const auto result = leadline::testing::RunCommand(
        "env -i PATH=/usr/bin:/bin LEADLINE_URL=" +
        ShellQuote("http://127.0.0.1:" + std::to_string(server_->port())) + " " + env +
        " timeout 60 " + leadline::testing::LeadlineBinary() + " ci bi-refresh 2>" +
        ShellQuote(err));
    return LeadlineRun{result.exit_code, result.output, leadline::testing::ReadWholeFile(err)};
  };
  const std::string token = Sign(Claims("acme/web", 21));
  const LeadlineRun asked = run("LEADLINE_ID_TOKEN=" + ShellQuote(token));
  ASSERT_EQ(asked.exit_code, 0) << asked.err;
  EXPECT_TRUE(asked.out.starts_with("Analytics refreshed: ")) << asked.out;
  EXPECT_NE(asked.out.find("No Looker datagroup is triggered by this server"), std::string::npos)
      << asked.out;
  EXPECT_EQ(asked.err.find(token), std::string::npos);
  // A job whose project is no connected repository is refused, and says so.
  const LeadlineRun refused =
      run("LEADLINE_ID_TOKEN=" + ShellQuote(Sign(Claims("someone/else", 22))));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("the server answered 403"), std::string::npos) << refused.err;
  EXPECT_NE(run("").err.find("LEADLINE_ID_TOKEN holds no OIDC token"), std::string::npos);
  // An API token needs the bi:refresh scope.
  const LeadlineRun minted = Leadline("tokens create --name deployer --scopes write:events");
  ASSERT_EQ(minted.exit_code, 0) << minted.err;
  const LeadlineRun scoped =
      run("LEADLINE_ID_TOKEN=" + ShellQuote(minted.out.substr(0, minted.out.find('\n'))));
  EXPECT_EQ(scoped.exit_code, 1);
  EXPECT_NE(scoped.err.find("lacks the scope 'bi:refresh'"), std::string::npos) << scoped.err;

  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  // The audit names the job that asked: its instance, project, pipeline and job.
  EXPECT_EQ(Query("SELECT token_name || ' ' || status FROM audit_log WHERE path = "
                  "'/v1/bi/refresh' ORDER BY id LIMIT 1"),
            "ci gitlab " + gitlab_.url() +
                " acme/web pipeline 900 job 21 (project_path:acme/web:ref_type:branch:ref:main) "
                "200");
}

TEST_F(CiTokenCliTest, ApiTokensStillWorkBesideTheRules) {
  const LeadlineRun minted = Leadline("tokens create --name deployer --scopes write:events");
  ASSERT_EQ(minted.exit_code, 0) << minted.err;
  const std::string token = minted.out.substr(0, minted.out.find('\n'));
  auto [status, body] = Post(token, Deployment("acme/platform/api", "deploy-9"));
  EXPECT_EQ(status, 200) << body.dump();
}

}  // namespace

namespace {

// Bitbucket Pipelines: a workspace's issuer (here on loopback), the step's repository named by
// its uuid, as the connection's listing stored it.
class BitbucketCiTokenCliTest : public CiTokenCliTest {
 protected:
  static constexpr const char* kProduction = "{e0000000-0000-4000-8000-000000000002}";
  static constexpr const char* kStaging = "{e0000000-0000-4000-8000-000000000001}";
  static constexpr const char* kRepo1 = "{00000000-0000-4000-8000-000000000101}";

  void SetUp() override {
    ConnectAndSelect(ConnectCloud(), "acme/repo-1 acme/repo-2");
    ASSERT_EQ(Leadline("sync").exit_code, 0);  // their environments
    std::ofstream(dir_.Child("ci.toml"))
        << "[[ci_trust]]\nprovider = \"bitbucket\"\nissuer = \"" << Issuer()
        << "\"\naudiences = [\"ari:cloud:bitbucket::workspace/{0a0a}\"]\nkey_set_url = \""
        << keys_.url()
        << "/oauth/discovery/keys\"\nenvironments = [\"Production\"]\nbranches = [\"main\"]\n";
    server_ = std::make_unique<ServerProcess>(db(), dir_.Child("serve.log"),
                                              "--config " + ShellQuote(dir_.Child("ci.toml")));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }
  std::string Issuer() const { return keys_.url() + "/2.0/workspaces/acme/identity/oidc"; }
  json StepClaims(const std::string& repository_uuid, const std::string& environment,
                  const std::string& step) const {
    const auto now = leadline::common::NowUnixSeconds();
    return {{"iss", Issuer()},
            {"aud", "ari:cloud:bitbucket::workspace/{0a0a}"},
            {"sub", repository_uuid + ":" + environment + ":" + step},
            {"iat", now},
            {"exp", now + 300},
            {"workspaceUuid", "{0a0a}"},
            {"repositoryUuid", repository_uuid},
            {"pipelineUuid", "{pipeline-1}"},
            {"stepUuid", step},
            {"deploymentEnvironmentUuid", environment},
            {"branchName", "main"}};
  }
};

TEST_F(BitbucketCiTokenCliTest, AStepPushesItsRepositorysDeploymentsOnly) {
  auto [status, body] =
      Post(Sign(StepClaims(kRepo1, kProduction, "{s-1}")), Deployment("acme/repo-1", "d-1"));
  EXPECT_EQ(status, 200) << body.dump();

  // A step of repo-2 (listed, so its uuid is known) naming repo-1.
  std::tie(status, body) =
      Post(Sign(StepClaims("{00000000-0000-4000-8000-000000000102}", kProduction, "{s-2}")),
           Deployment("acme/repo-1", "d-2"));
  EXPECT_EQ(status, 403) << body.dump();
  EXPECT_NE(body.dump().find("may write only 'acme/repo-2'"), std::string::npos) << body.dump();

  // A production step's body naming another environment.
  json staged = json::parse(Deployment("acme/repo-1", "d-6"));
  staged["environment"] = "Staging";
  std::tie(status, body) = Post(Sign(StepClaims(kRepo1, kProduction, "{s-6}")), staged.dump());
  EXPECT_EQ(status, 403) << body.dump();
  EXPECT_NE(body.dump().find("deploys to 'Production', not to 'Staging'"), std::string::npos)
      << body.dump();

  std::tie(status, body) =
      Post(Sign(StepClaims(kRepo1, kStaging, "{s-3}")), Deployment("acme/repo-1", "d-3"));
  EXPECT_EQ(status, 403) << body.dump();
  EXPECT_NE(body.dump().find("deploys to 'Staging'"), std::string::npos) << body.dump();

  std::tie(status, body) =
      Post(Sign(StepClaims("{00000000-0000-4000-8000-000000000999}", kProduction, "{s-4}")),
           Deployment("acme/repo-1", "d-4"));
  EXPECT_EQ(status, 403) << body.dump();

  // `leadline ci report-deployment` in a Bitbucket Pipelines deployment step.
  const std::string err = dir_.Child("ci-stderr.txt");
  const auto reported = leadline::testing::RunCommand(
      "env -i PATH=/usr/bin:/bin BITBUCKET_BUILD_NUMBER=7 BITBUCKET_STEP_OIDC_TOKEN=" +
      ShellQuote(Sign(StepClaims(kRepo1, kProduction, "{s-5}"))) +
      " BITBUCKET_REPO_FULL_NAME=acme/repo-1 BITBUCKET_DEPLOYMENT_ENVIRONMENT=Production "
      "BITBUCKET_COMMIT=0123456789abcdef0123456789abcdef01234567 BITBUCKET_STEP_UUID='{s-5}' " +
      "timeout 60 " + leadline::testing::LeadlineBinary() +
      " ci report-deployment --server http://127.0.0.1:" + std::to_string(server_->port()) + " 2>" +
      ShellQuote(err));
  EXPECT_EQ(reported.exit_code, 0) << leadline::testing::ReadWholeFile(err);
  EXPECT_EQ(reported.output,
            "Reported deployment bitbucket-step-s-5 of acme/repo-1 to Production (success)\n");

  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  EXPECT_EQ(Query("SELECT COUNT(*) FROM platform_deployments WHERE provider = 'push'"), "2");
  EXPECT_EQ(Query("SELECT COUNT(*) FROM audit_log WHERE status = 200 AND token_name LIKE "
                  "'ci bitbucket %'"),
            "2");
}

}  // namespace
