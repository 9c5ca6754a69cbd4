#include "cli/ci_command.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/errors.h"
#include "common/text.h"
#include "common/time.h"
#include "http/curl_http_client.h"
#include "http/retrying_http_client.h"

namespace leadline::cli {
namespace {

using common::Status;

// Where each CI keeps what a deployment needs.
struct CiVariables {
  const char* token;  // the job's OIDC token
  const char* repository;
  const char* environment;
  const char* commit;
  const char* job;  // the deployment's id is made of it: the same on every retry of the step
  const char* id_prefix;
  const char* pipeline;
  const char* started_at;  // may be empty
};
constexpr CiVariables kGitLab = {"LEADLINE_ID_TOKEN", "CI_PROJECT_PATH",  "CI_ENVIRONMENT_NAME",
                                 "CI_COMMIT_SHA",     "CI_JOB_ID",        "gitlab-job-",
                                 "CI_PIPELINE_ID",    "CI_JOB_STARTED_AT"};
constexpr CiVariables kBitbucket = {"BITBUCKET_STEP_OIDC_TOKEN",
                                    "BITBUCKET_REPO_FULL_NAME",
                                    "BITBUCKET_DEPLOYMENT_ENVIRONMENT",
                                    "BITBUCKET_COMMIT",
                                    "BITBUCKET_STEP_UUID",
                                    "bitbucket-step-",
                                    "BITBUCKET_BUILD_NUMBER",
                                    ""};

struct ReportFlags {
  std::string server;     // default: $LEADLINE_URL
  std::string token_env;  // default: the CI's (CiVariables::token)
  std::string status = "success";
  std::string repository, environment, commit, id, started_at, finished_at;
};

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

// `value`, else the CI variable `variable`; an error naming both when neither is set.
common::Result<std::string> FlagOrEnv(const std::string& value, const char* flag,
                                      const char* variable) {
  if (!value.empty()) return value;
  std::string from_env = Env(variable);
  if (from_env.empty()) {
    return Status::InvalidArgument(std::string(flag) + " is required (or the CI variable " +
                                   variable + ", which is not set)");
  }
  return from_env;
}

// Bitbucket Pipelines sets BITBUCKET_BUILD_NUMBER in every step; otherwise GitLab CI's names.
const CiVariables& RunningCi() {
  return Env("BITBUCKET_BUILD_NUMBER").empty() ? kGitLab : kBitbucket;
}

common::Result<nlohmann::json> Deployment(const ReportFlags& flags, const CiVariables& ci) {
  static const char* kStatuses[] = {"success", "failed", "stopped", "in_progress"};
  if (std::find(std::begin(kStatuses), std::end(kStatuses), flags.status) == std::end(kStatuses)) {
    return Status::InvalidArgument(
        "--status: expected success, failed, stopped or in_progress, "
        "got '" +
        flags.status + "'");
  }
  nlohmann::json out;
  LEADLINE_ASSIGN_OR_RETURN(out["repository"],
                            FlagOrEnv(flags.repository, "--repository", ci.repository));
  LEADLINE_ASSIGN_OR_RETURN(out["environment"],
                            FlagOrEnv(flags.environment, "--environment", ci.environment));
  LEADLINE_ASSIGN_OR_RETURN(out["commit"], FlagOrEnv(flags.commit, "--commit", ci.commit));
  std::string job = Env(ci.job);
  std::erase_if(job, [](char c) { return c == '{' || c == '}'; });  // Bitbucket's braced uuid
  if (!flags.id.empty()) {
    out["id"] = flags.id;
  } else if (!job.empty()) {
    out["id"] = ci.id_prefix + job;
  } else {
    return Status::InvalidArgument(std::string("--id is required (or the CI variable ") + ci.job +
                                   ", which is not set)");
  }
  out["status"] = flags.status;
  const std::string started =
      !flags.started_at.empty() || *ci.started_at == '\0' ? flags.started_at : Env(ci.started_at);
  if (!started.empty()) out["started_at"] = started;
  if (flags.status != "in_progress") {
    out["finished_at"] = flags.finished_at.empty() ? common::FormatRfc3339(common::NowUnixSeconds())
                                                   : flags.finished_at;
  }
  if (const std::string pipeline = Env(ci.pipeline); !pipeline.empty()) {
    out["pipeline_id"] = pipeline;
  }
  if (!job.empty()) out["run_id"] = job;
  return out;
}

int RunReportDeployment(const ReportFlags& flags) {
  const std::string server = flags.server.empty() ? Env("LEADLINE_URL") : flags.server;
  if (server.empty()) {
    return ReportError(Status::InvalidArgument(
        "--server is required (or LEADLINE_URL): the Leadline server's address"));
  }
  const CiVariables& ci = RunningCi();
  const std::string token_env = flags.token_env.empty() ? ci.token : flags.token_env;
  const std::string token = Env(token_env.c_str());
  if (token.empty()) {
    return ReportError(Status::InvalidArgument(
        "the variable " + token_env +
        " holds no OIDC token: give the job an id_tokens entry of that name (GitLab) or "
        "`oidc: true` (Bitbucket Pipelines) as docs/ci.md shows, or name another with "
        "--token-env"));
  }
  auto deployment = Deployment(flags, ci);
  if (!deployment.ok()) return ReportError(deployment.status());

  http::CurlHttpClient curl;
  http::RetryPolicy policy;
  policy.max_attempts = 5;
  http::RetryingHttpClient client(
      curl, policy, 0, common::SystemClock(),
      [](const std::string& why) { std::fprintf(stderr, "leadline: waiting: %s\n", why.c_str()); });
  http::HttpRequest request;
  request.method = "POST";
  request.url = common::WithoutTrailingSlashes(server) + "/v1/deployments";
  request.credentials = http::Credentials::Bearer(token);
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = deployment->dump();
  const auto response = client.Send(request);
  if (!response.ok()) {
    return ReportError(response.status().WithContext("reporting the deployment to " +
                                                     http::RedactUrl(request.url)));
  }
  if (response->status != 200) {
    const nlohmann::json body = nlohmann::json::parse(response->body, nullptr, false);
    const std::string message = body.is_object() && body.contains("error")
                                    ? body["error"].dump()
                                    : response->body.substr(0, 500);
    return ReportError(Status::FailedPrecondition(
        "the server answered " + std::to_string(response->status) + ": " + message));
  }
  std::printf("Reported deployment %s of %s to %s (%s)\n",
              (*deployment)["id"].get<std::string>().c_str(),
              (*deployment)["repository"].get<std::string>().c_str(),
              (*deployment)["environment"].get<std::string>().c_str(), flags.status.c_str());
  return 0;
}

}  // namespace

std::function<int()> AddCiCommands(CLI::App& app) {
  auto flags = std::make_shared<ReportFlags>();
  CLI::App* ci = app.add_subcommand("ci",
                                    "What CI jobs run: report a deployment with the job's "
                                    "OIDC token (docs/ci.md)");
  CLI::App* cmd = ci->add_subcommand(
      "report-deployment",
      "Tell a Leadline server that this job deployed, authenticated by the job's OIDC token; "
      "values come from GitLab CI's or Bitbucket Pipelines' variables unless given");
  ci->require_subcommand(1);
  cmd->add_option("--server", flags->server, "The Leadline server's URL (default: $LEADLINE_URL)");
  cmd->add_option("--token-env", flags->token_env,
                  "The variable holding the job's OIDC token (default: LEADLINE_ID_TOKEN, an "
                  "id_tokens entry; in Bitbucket Pipelines BITBUCKET_STEP_OIDC_TOKEN)");
  cmd->add_option("--status", flags->status, "success, failed, stopped or in_progress")
      ->capture_default_str();
  cmd->add_option("--repository", flags->repository,
                  "The repository deployed (default: $CI_PROJECT_PATH or "
                  "$BITBUCKET_REPO_FULL_NAME)");
  cmd->add_option("--environment", flags->environment,
                  "The environment deployed to (default: $CI_ENVIRONMENT_NAME or "
                  "$BITBUCKET_DEPLOYMENT_ENVIRONMENT)");
  cmd->add_option("--commit", flags->commit,
                  "The commit deployed (default: $CI_COMMIT_SHA or $BITBUCKET_COMMIT)");
  cmd->add_option("--id", flags->id,
                  "The deployment's id, the same on every retry (default: gitlab-job-$CI_JOB_ID "
                  "or bitbucket-step-$BITBUCKET_STEP_UUID)");
  cmd->add_option("--started-at", flags->started_at,
                  "When it started, RFC 3339 (default: $CI_JOB_STARTED_AT on GitLab)");
  cmd->add_option("--finished-at", flags->finished_at, "When it finished, RFC 3339 (default: now)");
  return [cmd, flags]() { return cmd->parsed() ? RunReportDeployment(*flags) : -1; };
}

}  // namespace leadline::cli
