#include "cli/connect_command.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "app/connections.h"
#include "app/incident_connections.h"
#include "cli/errors.h"
#include "cli/store_options.h"
#include "http/curl_http_client.h"
#include "http/retrying_http_client.h"
#include "sources/bitbucket/connection_check.h"
#include "sources/gitlab/gitlab_check.h"
#include "sources/incidentio/incidentio_http.h"
#include "sources/opsgenie/opsgenie_http.h"
#include "sources/pagerduty/pagerduty_http.h"
#include "sources/registry/connection_request.h"
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
  std::string incidentio_url = sources::incidentio::kIncidentIoApiUrl;
  std::string site;
  std::string opsgenie_region = "us";
  std::string opsgenie_url;  // overrides the region's
  std::vector<std::string> counts;
  std::string webhook_secret_file;
};

// The request the flags make, with each secret file read.
common::Result<sources::ConnectionRequest> RequestFrom(const ConnectFlags& flags,
                                                       model::Provider provider) {
  sources::ConnectionRequest request;
  request.provider = provider;
  request.workspace = flags.workspace;
  request.email = flags.email;
  request.username = flags.username;
  const std::pair<const std::string*, std::string*> files[] = {
      {&flags.token_file, &request.token},
      {&flags.access_token_file, &request.access_token},
      {&flags.app_password_file, &request.app_password}};
  for (const auto& [file, secret] : files) {
    if (file->empty()) continue;
    LEADLINE_ASSIGN_OR_RETURN(*secret, app::ReadSecretFile(*file));
  }
  switch (provider) {
    case model::Provider::kBitbucketCloud:
      request.url = flags.api_url;
      break;
    case model::Provider::kGitLab:
      request.url = flags.gitlab_url;
      break;
    case model::Provider::kPagerDuty:
      request.url = flags.pagerduty_url;
      break;
    case model::Provider::kIncidentIo:
      request.url = flags.incidentio_url;
      break;
    case model::Provider::kJsm:
      request.url = flags.site;
      break;
    case model::Provider::kOpsgenie:
      request.url = !flags.opsgenie_url.empty()     ? flags.opsgenie_url
                    : flags.opsgenie_region == "eu" ? sources::opsgenie::kOpsgenieEuApiUrl
                                                    : sources::opsgenie::kOpsgenieApiUrl;
      break;
    default:
      request.url = flags.url;
  }
  return request;
}

common::Result<ConnectionSettings> SettingsFromFlags(const ConnectFlags& flags,
                                                     model::Provider provider) {
  LEADLINE_ASSIGN_OR_RETURN(const sources::ConnectionRequest request, RequestFrom(flags, provider));
  return sources::SettingsFrom(request, sources::kFlagNames);
}

int RunConnect(const ConnectionSettings& settings, const config::Paths& paths) {
  if (settings.auth == model::AuthMethod::kAppPassword) {
    std::fprintf(stderr,
                 "leadline: warning: Atlassian switched Bitbucket Cloud app passwords off on "
                 "2026-06-09; use an API token (--email, --token-file) instead\n");
  }
  http::CurlHttpClient curl;
  http::RetryingHttpClient client(curl, http::InteractiveRetryPolicy(), 0);
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
  if (settings.provider == model::Provider::kOpsgenie) {
    std::fprintf(stderr, "leadline: warning: %s\n", sources::opsgenie::kRetirement);
  }
  http::CurlHttpClient curl;
  http::RetryingHttpClient client(curl, http::InteractiveRetryPolicy(), 0);
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
  http::RetryingHttpClient client(curl, http::InteractiveRetryPolicy(), 0);
  auto outcomes = app::CheckAll(paths, client);
  if (!outcomes.ok()) return ReportError(outcomes.status());
  int failed = 0;
  for (const app::CheckOutcome& outcome : *outcomes) {
    if (outcome.status.ok()) {
      std::printf("ok    %s: %s\n", outcome.connection.name.c_str(),
                  app::DescribeCheck(outcome.connection.provider, *outcome.check).c_str());
      if (!outcome.warning.empty()) std::printf("      warning: %s\n", outcome.warning.c_str());
      if (!outcome.check->feedback.empty()) {
        std::printf("      feedback: %s\n", outcome.check->feedback.c_str());
      }
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
  CLI::App* connect = app.add_subcommand(
      "connect",
      "Connect Bitbucket, GitLab, PagerDuty, incident.io, Jira Service Management or Opsgenie "
      "(checks, then stores)");
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

  CLI::App* incidentio = connect->add_subcommand(
      "incidentio", "Connect incident.io (incidents of the services you map to repositories)");
  incidentio
      ->add_option("--token-file", flags->token_file,
                   "File holding an API key that may view incidents and the catalog")
      ->required();
  incidentio->add_option("--url", flags->incidentio_url, "API URL")->capture_default_str();
  incidentio->add_option("--count", flags->counts,
                         "A severity that counts, by name (repeat; default the two most severe; "
                         "* counts every one)");
  incidentio->add_option("--webhook-secret-file", flags->webhook_secret_file,
                         "File holding the signing secret (whsec_...) of a webhook endpoint "
                         "pointed at <public_url>/v1/webhooks/<connection id>");
  AddStoreOptions(incidentio, &flags->store);

  CLI::App* jsm = connect->add_subcommand(
      "jsm", "Connect Jira Service Management (incidents of the services you map to repositories)");
  jsm->add_option("--site", flags->site, "The site's address, https://<site>.atlassian.net")
      ->required();
  jsm->add_option("--email", flags->email, "The Atlassian account's e-mail")->required();
  jsm->add_option("--token-file", flags->token_file,
                  "File holding an API token of that account (an agent of the service projects)")
      ->required();
  jsm->add_option("--count", flags->counts,
                  "A priority that counts, by name (repeat; default the scheme's two most severe, "
                  "such as P1 and P2; * counts every one)");
  jsm->add_option("--webhook-secret-file", flags->webhook_secret_file,
                  "File holding the secret of a Jira webhook pointed at "
                  "<public_url>/v1/webhooks/<connection id>");
  AddStoreOptions(jsm, &flags->store);

  CLI::App* opsgenie = connect->add_subcommand(
      "opsgenie",
      "Connect Opsgenie until its API ends on 2027-04-05 (incidents of the teams you map)");
  opsgenie
      ->add_option("--token-file", flags->token_file,
                   "File holding an API key with Read access (Settings > API key management)")
      ->required();
  opsgenie->add_option("--region", flags->opsgenie_region, "Where the account is: us or eu")
      ->check(CLI::IsMember({"us", "eu"}))
      ->capture_default_str();
  opsgenie->add_option("--url", flags->opsgenie_url, "API URL (instead of the region's)");
  opsgenie->add_option("--count", flags->counts,
                       "A priority that counts (repeat; default P1 and P2; * counts every one)");
  AddStoreOptions(opsgenie, &flags->store);

  CLI::App* check = app.add_subcommand("check", "Check every stored connection");
  AddStoreOptions(check, &flags->store);

  const auto run_connect = [flags](CLI::App* command, model::Provider provider) {
    return [command, flags, provider]() -> int {
      if (!command->parsed()) return -1;
      auto settings = SettingsFromFlags(*flags, provider);
      if (!settings.ok()) return ReportError(settings.status());
      return model::IsIncidentTool(provider) ? RunConnectIncidentTool(*settings, *flags)
                                             : RunConnect(*settings, flags->store.paths);
    };
  };
  return {
      run_connect(cloud, model::Provider::kBitbucketCloud),
      run_connect(dc, model::Provider::kBitbucketDataCenter),
      run_connect(gitlab, model::Provider::kGitLab),
      run_connect(pagerduty, model::Provider::kPagerDuty),
      run_connect(incidentio, model::Provider::kIncidentIo),
      run_connect(jsm, model::Provider::kJsm),
      run_connect(opsgenie, model::Provider::kOpsgenie),
      [check, flags]() -> int { return check->parsed() ? RunCheck(flags->store.paths) : -1; },
  };
}

}  // namespace leadline::cli
