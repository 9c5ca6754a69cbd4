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

// Where a job's call goes and the token it carries.
struct JobCall {
  std::string url;  // the server's, without trailing slashes
  std::string token;
};

common::Result<JobCall> ResolveJobCall(const std::string& server_flag,
                                       const std::string& token_env_flag) {
  const std::string server = server_flag.empty() ? Env("LEADLINE_URL") : server_flag;
  if (server.empty()) {
    return Status::InvalidArgument(
        "--server is required (or LEADLINE_URL): the Leadline server's address");
  }
  const std::string token_env = token_env_flag.empty() ? RunningCi().token : token_env_flag;
  std::string token = Env(token_env.c_str());
  if (token.empty()) {
    return Status::InvalidArgument(
        "the variable " + token_env +
        " holds no OIDC token: give the job an id_tokens entry of that name (GitLab) or "
        "`oidc: true` (Bitbucket Pipelines) as docs/ci.md shows, or name another with "
        "--token-env");
  }
  return JobCall{common::WithoutTrailingSlashes(server), std::move(token)};
}

// POSTs `body` (JSON; none when empty) to `path` with the job's token, retried with backoff on
// 5xx, 429 and lost connections up to `attempts` times: the answer's JSON when 200, else an
// error saying what the server answered.
common::Result<nlohmann::json> PostAsJob(const JobCall& call, const std::string& path,
                                         const std::string& body, int attempts,
                                         const std::string& doing) {
  http::CurlHttpClient curl;
  http::RetryPolicy policy;
  policy.max_attempts = attempts;
  http::RetryingHttpClient client(
      curl, policy, 0, common::SystemClock(),
      [](const std::string& why) { std::fprintf(stderr, "leadline: waiting: %s\n", why.c_str()); });
  http::HttpRequest request;
  request.method = "POST";
  request.url = call.url + path;
  request.credentials = http::Credentials::Bearer(call.token);
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  request.body = body;
  const auto response = client.Send(request);
  if (!response.ok()) {
    return response.status().WithContext(doing + " " + http::RedactUrl(request.url));
  }
  const nlohmann::json answer = nlohmann::json::parse(response->body, nullptr, false);
  if (response->status != 200) {
    const std::string message = answer.is_object() && answer.contains("error")
                                    ? answer["error"].dump()
                                    : response->body.substr(0, 500);
    return Status::FailedPrecondition("the server answered " + std::to_string(response->status) +
                                      ": " + message);
  }
  return answer;
}

int RunReportDeployment(const ReportFlags& flags) {
  const auto call = ResolveJobCall(flags.server, flags.token_env);
  if (!call.ok()) return ReportError(call.status());
  auto deployment = Deployment(flags, RunningCi());
  if (!deployment.ok()) return ReportError(deployment.status());
  const auto answer =
      PostAsJob(*call, "/v1/deployments", deployment->dump(), 5, "reporting the deployment to");
  if (!answer.ok()) return ReportError(answer.status());
  std::printf("Reported deployment %s of %s to %s (%s)\n",
              (*deployment)["id"].get<std::string>().c_str(),
              (*deployment)["repository"].get<std::string>().c_str(),
              (*deployment)["environment"].get<std::string>().c_str(), flags.status.c_str());
  return 0;
}

struct BiRefreshFlags {
  std::string server, token_env;
};

int RunBiRefresh(const BiRefreshFlags& flags) {
  const auto call = ResolveJobCall(flags.server, flags.token_env);
  if (!call.ok()) return ReportError(call.status());
  const auto answer = PostAsJob(*call, "/v1/bi/refresh", "", 3, "asking for a BI refresh at");
  if (!answer.ok()) return ReportError(answer.status());
  const nlohmann::json analytics = answer->value("analytics", nlohmann::json::object());
  const nlohmann::json looker = answer->value("looker", nlohmann::json());
  std::printf("Analytics refreshed: %lld scopes rewritten, %lld rows.\n",
              analytics.value("scopes_rewritten", 0LL), analytics.value("rows_written", 0LL));
  if (looker.is_object()) {
    std::printf("Looker datagroup %s triggered.\n",
                looker.value("datagroup", std::string("?")).c_str());
  } else {
    std::printf("No Looker datagroup is triggered by this server (serve --looker-datagroup).\n");
  }
  return 0;
}

}  // namespace

std::function<int()> AddCiCommands(CLI::App& app) {
  auto flags = std::make_shared<ReportFlags>();
  CLI::App* ci = app.add_subcommand("ci",
                                    "What CI jobs run: report a deployment, or ask for a BI "
                                    "refresh, with the job's OIDC token (docs/ci.md)");
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
  auto bi_flags = std::make_shared<BiRefreshFlags>();
  CLI::App* bi = ci->add_subcommand(
      "bi-refresh",
      "Ask a Leadline server to refresh the analytics tables and trigger its Looker datagroup, "
      "authenticated by the job's OIDC token (or an API token with the bi:refresh scope)");
  bi->add_option("--server", bi_flags->server,
                 "The Leadline server's URL (default: $LEADLINE_URL)");
  bi->add_option("--token-env", bi_flags->token_env,
                 "The variable holding the job's OIDC token (default: LEADLINE_ID_TOKEN; in "
                 "Bitbucket Pipelines BITBUCKET_STEP_OIDC_TOKEN)");
  return [cmd, flags, bi, bi_flags]() {
    if (cmd->parsed()) return RunReportDeployment(*flags);
    if (bi->parsed()) return RunBiRefresh(*bi_flags);
    return -1;
  };
}

}  // namespace leadline::cli
