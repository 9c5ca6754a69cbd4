#include "cli/ci_command.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/errors.h"
#include "common/time.h"
#include "http/curl_http_client.h"
#include "http/retrying_http_client.h"

namespace leadline::cli {
namespace {

using common::Status;

struct ReportFlags {
  std::string server;                           // default: $LEADLINE_URL
  std::string token_env = "LEADLINE_ID_TOKEN";  // the id_tokens entry's name
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

common::Result<nlohmann::json> Deployment(const ReportFlags& flags) {
  static const char* kStatuses[] = {"success", "failed", "stopped", "in_progress"};
  if (std::find(std::begin(kStatuses), std::end(kStatuses), flags.status) == std::end(kStatuses)) {
    return Status::InvalidArgument(
        "--status: expected success, failed, stopped or in_progress, "
        "got '" +
        flags.status + "'");
  }
  nlohmann::json out;
  LEADLINE_ASSIGN_OR_RETURN(out["repository"],
                            FlagOrEnv(flags.repository, "--repository", "CI_PROJECT_PATH"));
  LEADLINE_ASSIGN_OR_RETURN(out["environment"],
                            FlagOrEnv(flags.environment, "--environment", "CI_ENVIRONMENT_NAME"));
  LEADLINE_ASSIGN_OR_RETURN(out["commit"], FlagOrEnv(flags.commit, "--commit", "CI_COMMIT_SHA"));
  const std::string job = Env("CI_JOB_ID");
  if (!flags.id.empty()) {
    out["id"] = flags.id;
  } else if (!job.empty()) {
    out["id"] = "gitlab-job-" + job;  // the same on every retry of this step
  } else {
    return Status::InvalidArgument(
        "--id is required (or the CI variable CI_JOB_ID, which is not "
        "set)");
  }
  out["status"] = flags.status;
  const std::string started =
      flags.started_at.empty() ? Env("CI_JOB_STARTED_AT") : flags.started_at;
  if (!started.empty()) out["started_at"] = started;
  if (flags.status != "in_progress") {
    out["finished_at"] = flags.finished_at.empty() ? common::FormatRfc3339(common::NowUnixSeconds())
                                                   : flags.finished_at;
  }
  if (const std::string pipeline = Env("CI_PIPELINE_ID"); !pipeline.empty()) {
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
  const std::string token = Env(flags.token_env.c_str());
  if (token.empty()) {
    return ReportError(Status::InvalidArgument(
        "the variable " + flags.token_env +
        " holds no OIDC token: give the job an id_tokens entry of that name (docs/ci.md), or "
        "name another with --token-env"));
  }
  auto deployment = Deployment(flags);
  if (!deployment.ok()) return ReportError(deployment.status());

  http::CurlHttpClient curl;
  http::RetryPolicy policy;
  policy.max_attempts = 5;
  http::RetryingHttpClient client(
      curl, policy, 0, common::SystemClock(),
      [](const std::string& why) { std::fprintf(stderr, "leadline: waiting: %s\n", why.c_str()); });
  http::HttpRequest request;
  request.method = "POST";
  std::string base = server;
  while (!base.empty() && base.back() == '/') base.pop_back();
  request.url = base + "/v1/deployments";
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
      "Tell a Leadline server that this job deployed, authenticated by the job's OIDC token (a "
      "GitLab id_tokens entry); values come from GitLab CI's variables unless given");
  ci->require_subcommand(1);
  cmd->add_option("--server", flags->server, "The Leadline server's URL (default: $LEADLINE_URL)");
  cmd->add_option("--token-env", flags->token_env,
                  "The variable holding the job's OIDC token (an id_tokens entry)")
      ->capture_default_str();
  cmd->add_option("--status", flags->status, "success, failed, stopped or in_progress")
      ->capture_default_str();
  cmd->add_option("--repository", flags->repository,
                  "The repository deployed (default: $CI_PROJECT_PATH)");
  cmd->add_option("--environment", flags->environment,
                  "The environment deployed to (default: $CI_ENVIRONMENT_NAME)");
  cmd->add_option("--commit", flags->commit, "The commit deployed (default: $CI_COMMIT_SHA)");
  cmd->add_option("--id", flags->id,
                  "The deployment's id, the same on every retry (default: gitlab-job-$CI_JOB_ID)");
  cmd->add_option("--started-at", flags->started_at,
                  "When it started, RFC 3339 (default: $CI_JOB_STARTED_AT)");
  cmd->add_option("--finished-at", flags->finished_at, "When it finished, RFC 3339 (default: now)");
  return [cmd, flags]() { return cmd->parsed() ? RunReportDeployment(*flags) : -1; };
}

}  // namespace leadline::cli
