#include "cli/connect_command.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "app/connections.h"
#include "app/incident_connections.h"
#include "cli/errors.h"
#include "cli/store_options.h"
#include "common/text.h"
#include "http/curl_http_client.h"
#include "http/retrying_http_client.h"
#include "sources/bitbucket/connection_check.h"
#include "sources/gitlab/gitlab_check.h"
#include "sources/gitlab/gitlab_http.h"
#include "sources/pagerduty/pagerduty_http.h"
#include "store/store_url.h"

namespace leadline::cli {
namespace {

using sources::ConnectionSettings;

struct ConnectFlags {
  StoreOptions store;
  std::string workspace;
  std::string email;
  std::string token_file;
  std::string access_token_file;
  std::string username;
  std::string app_password_file;
  std::string api_url = sources::bitbucket::kCloudApiUrl;
  std::string url;
  std::string gitlab_url = sources::gitlab::kGitLabComUrl;
  std::string pagerduty_url = sources::pagerduty::kPagerDutyApiUrl;
  std::vector<std::string> counts;
  std::string webhook_secret_file;
};

// Interactive commands retry less than a backfill: a person is waiting.
http::RetryPolicy InteractivePolicy() {
  http::RetryPolicy policy;
  policy.max_attempts = 3;
  policy.base_delay = std::chrono::milliseconds(500);
  policy.max_wait = std::chrono::seconds(30);
  return policy;
}

common::Result<ConnectionSettings> CloudSettings(const ConnectFlags& flags) {
  ConnectionSettings settings;
  settings.provider = model::Provider::kBitbucketCloud;
  settings.url = flags.api_url;
  settings.workspace = flags.workspace;
  const int styles = !flags.token_file.empty() + !flags.access_token_file.empty() +
                     !flags.app_password_file.empty();
  if (styles != 1) {
    return common::Status::InvalidArgument(
        "give one way to sign in: --email E --token-file F (API token), --access-token-file F "
        "(access token), or --username U --app-password-file F (legacy app password)");
  }
  if (!flags.token_file.empty()) {
    if (flags.email.empty()) {
      return common::Status::InvalidArgument(
          "--token-file needs --email: API tokens sign in with the Atlassian account e-mail");
    }
    settings.auth = model::AuthMethod::kApiToken;
    settings.username = flags.email;
    LEADLINE_ASSIGN_OR_RETURN(settings.secret, app::ReadSecretFile(flags.token_file));
  } else if (!flags.access_token_file.empty()) {
    settings.auth = model::AuthMethod::kAccessToken;
    LEADLINE_ASSIGN_OR_RETURN(settings.secret, app::ReadSecretFile(flags.access_token_file));
  } else {
    if (flags.username.empty()) {
      return common::Status::InvalidArgument("--app-password-file needs --username");
    }
    settings.auth = model::AuthMethod::kAppPassword;
    settings.username = flags.username;
    LEADLINE_ASSIGN_OR_RETURN(settings.secret, app::ReadSecretFile(flags.app_password_file));
  }
  return settings;
}

int RunConnect(const ConnectionSettings& settings, const config::Paths& paths) {
  if (settings.auth == model::AuthMethod::kAppPassword) {
    std::fprintf(stderr,
                 "leadline: warning: Atlassian switched Bitbucket Cloud app passwords off on "
                 "2026-06-09; use an API token (--email, --token-file) instead\n");
  }
  http::CurlHttpClient curl;
  http::RetryingHttpClient client(curl, InteractivePolicy(), 0);
  auto outcome = app::Connect(paths, settings, client);
  if (!outcome.ok()) return ReportError(outcome.status());
  std::printf("Connected %s as %s.\nStored in %s; the secret is sealed (key: %s).\n",
              outcome->connection.name.c_str(),
              app::DescribeCheck(settings.provider, outcome->check).c_str(),
              store::RedactPassword(paths.store).c_str(),
              std::getenv("LEADLINE_SECRET_KEY") ? "LEADLINE_SECRET_KEY" : paths.key_file.c_str());
  return 0;
}

int RunConnectIncidentTool(const ConnectionSettings& settings, const ConnectFlags& flags) {
  http::CurlHttpClient curl;
  http::RetryingHttpClient client(curl, InteractivePolicy(), 0);
  std::string webhook_secret;
  if (!flags.webhook_secret_file.empty()) {
    auto read = app::ReadSecretFile(flags.webhook_secret_file);
    if (!read.ok()) return ReportError(read.status());
    webhook_secret = *read;
  }
  auto outcome =
      app::ConnectIncidentTool(flags.store.paths, settings, flags.counts, client, webhook_secret);
  if (!outcome.ok()) return ReportError(outcome.status());
  std::string counts;
  for (const std::string& count : outcome->counts) counts += (counts.empty() ? "" : ", ") + count;
  std::printf(
      "Connected %s as %s.\nStored in %s; the key is sealed (key: %s).\n%zu services listed; "
      "map them with `leadline services map SERVICE --repos PATTERN` (an unmapped service's "
      "incidents count nowhere). Severities that count: %s.\n",
      outcome->connected.connection.name.c_str(),
      app::DescribeCheck(settings.provider, outcome->connected.check).c_str(),
      store::RedactPassword(flags.store.paths.store).c_str(),
      std::getenv("LEADLINE_SECRET_KEY") ? "LEADLINE_SECRET_KEY"
                                         : flags.store.paths.key_file.c_str(),
      outcome->services, counts.c_str());
  return 0;
}

int RunCheck(const config::Paths& paths) {
  http::CurlHttpClient curl;
  http::RetryingHttpClient client(curl, InteractivePolicy(), 0);
  auto outcomes = app::CheckAll(paths, client);
  if (!outcomes.ok()) return ReportError(outcomes.status());
  int failed = 0;
  for (const app::CheckOutcome& outcome : *outcomes) {
    if (outcome.status.ok()) {
      std::printf("ok    %s: %s\n", outcome.connection.name.c_str(),
                  app::DescribeCheck(outcome.connection.provider, *outcome.check).c_str());
      if (!outcome.warning.empty()) std::printf("      warning: %s\n", outcome.warning.c_str());
    } else {
      ++failed;
      std::printf("FAIL  %s: %s\n", outcome.connection.name.c_str(),
                  outcome.status.message().c_str());
    }
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace

std::vector<std::function<int()>> AddConnectCommands(CLI::App& app) {
  auto flags = std::make_shared<ConnectFlags>();
  CLI::App* connect =
      app.add_subcommand("connect", "Connect Bitbucket, GitLab or PagerDuty (checks, then stores)");
  connect->require_subcommand(1);

  CLI::App* cloud =
      connect->add_subcommand("bitbucket-cloud", "Connect a Bitbucket Cloud workspace");
  cloud->add_option("--workspace", flags->workspace, "Workspace slug")->required();
  cloud->add_option("--email", flags->email, "Atlassian account e-mail (with --token-file)");
  cloud->add_option("--token-file", flags->token_file, "File holding a scoped API token");
  cloud->add_option("--access-token-file", flags->access_token_file,
                    "File holding a repository, project or workspace access token");
  cloud->add_option("--username", flags->username, "Bitbucket username (legacy app password)");
  cloud->add_option("--app-password-file", flags->app_password_file,
                    "File holding a legacy app password (switched off since 2026-06-09)");
  cloud->add_option("--api-url", flags->api_url, "API base URL")->capture_default_str();
  AddStoreOptions(cloud, &flags->store);

  CLI::App* dc = connect->add_subcommand("bitbucket-dc", "Connect a Bitbucket Data Center server");
  dc->add_option("--url", flags->url, "Base URL, with the context path if any")->required();
  dc->add_option("--token-file", flags->token_file, "File holding an HTTP access token")
      ->required();
  AddStoreOptions(dc, &flags->store);

  CLI::App* gitlab = connect->add_subcommand(
      "gitlab", "Connect GitLab.com or a self-managed GitLab (the token's projects)");
  gitlab->add_option("--url", flags->gitlab_url, "The instance's root URL")->capture_default_str();
  gitlab
      ->add_option("--token-file", flags->token_file,
                   "File holding a personal, group or project access token (scopes read_api and "
                   "read_repository; api to register webhooks)")
      ->required();
  AddStoreOptions(gitlab, &flags->store);

  CLI::App* pagerduty = connect->add_subcommand(
      "pagerduty", "Connect PagerDuty (incidents of the services you map to repositories)");
  pagerduty
      ->add_option("--token-file", flags->token_file,
                   "File holding a REST API key (account or user; read-only is enough)")
      ->required();
  pagerduty->add_option("--url", flags->pagerduty_url, "API URL (EU: https://api.eu.pagerduty.com)")
      ->capture_default_str();
  pagerduty->add_option("--count", flags->counts,
                        "A priority or urgency that counts (repeat; default P1 and P2, or high "
                        "urgency where the account has no priorities; * counts every one)");
  pagerduty->add_option("--webhook-secret-file", flags->webhook_secret_file,
                        "File holding the signing secret of a v3 webhook subscription pointed at "
                        "<public_url>/v1/webhooks/<connection id>");
  AddStoreOptions(pagerduty, &flags->store);

  CLI::App* check = app.add_subcommand("check", "Check every stored connection");
  AddStoreOptions(check, &flags->store);

  return {
      [cloud, flags]() -> int {
        if (!cloud->parsed()) return -1;
        auto settings = CloudSettings(*flags);
        if (!settings.ok()) return ReportError(settings.status());
        return RunConnect(*settings, flags->store.paths);
      },
      [dc, flags]() -> int {
        if (!dc->parsed()) return -1;
        ConnectionSettings settings;
        settings.provider = model::Provider::kBitbucketDataCenter;
        settings.url = flags->url;
        settings.auth = model::AuthMethod::kHttpAccessToken;
        auto secret = app::ReadSecretFile(flags->token_file);
        if (!secret.ok()) return ReportError(secret.status());
        settings.secret = *secret;
        return RunConnect(settings, flags->store.paths);
      },
      [gitlab, flags]() -> int {
        if (!gitlab->parsed()) return -1;
        ConnectionSettings settings;
        settings.provider = model::Provider::kGitLab;
        // Stored without trailing slashes: every API path is appended to it.
        settings.url = common::WithoutTrailingSlashes(flags->gitlab_url);
        settings.auth = model::AuthMethod::kGitLabToken;
        auto secret = app::ReadSecretFile(flags->token_file);
        if (!secret.ok()) return ReportError(secret.status());
        settings.secret = *secret;
        return RunConnect(settings, flags->store.paths);
      },
      [pagerduty, flags]() -> int {
        if (!pagerduty->parsed()) return -1;
        ConnectionSettings settings;
        settings.provider = model::Provider::kPagerDuty;
        settings.url = common::WithoutTrailingSlashes(flags->pagerduty_url);
        if (!settings.url.starts_with("https://") && !settings.url.starts_with("http://")) {
          return ReportError(common::Status::InvalidArgument(
              "--url must be an http or https URL such as https://api.pagerduty.com"));
        }
        settings.auth = model::AuthMethod::kPagerDutyToken;
        auto secret = app::ReadSecretFile(flags->token_file);
        if (!secret.ok()) return ReportError(secret.status());
        settings.secret = *secret;
        return RunConnectIncidentTool(settings, *flags);
      },
      [check, flags]() -> int { return check->parsed() ? RunCheck(flags->store.paths) : -1; },
  };
}

}  // namespace leadline::cli
