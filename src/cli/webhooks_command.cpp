#include "cli/webhooks_command.h"

#include <cstdio>
#include <memory>

#include "app/repositories.h"
#include "app/webhooks.h"
#include "cli/errors.h"
#include "cli/store_options.h"
#include "common/time.h"
#include "config/settings.h"
#include "http/curl_http_client.h"
#include "http/retrying_http_client.h"

namespace leadline::cli {
namespace {

// "last delivery pullrequest:updated at 2026-11-22T06:51:02Z, applied: synced acme/api"
std::string DescribeDelivery(const model::WebhookDelivery& d) {
  return "last delivery " + d.event_key + " at " + common::FormatRfc3339(d.received_at) + ", " +
         (d.applied_at ? d.outcome : "waiting to be applied");
}

int RunSecret(const config::Paths& paths) {
  auto secrets = app::WebhookSecrets(paths);
  if (!secrets.ok()) return ReportError(secrets.status());
  for (const app::ConnectionWebhook& hook : *secrets) {
    std::printf("%s  %s\n", hook.connection.c_str(), hook.secret.c_str());
  }
  return 0;
}

int RunRegister(const config::Paths& paths, const std::string& config_path) {
  auto settings = config::LoadSettings(config_path, paths.settings_file);
  if (!settings.ok()) return ReportError(settings.status());
  if (settings->webhook_public_url().empty()) {
    return ReportError(common::Status::FailedPrecondition(
        "no public URL: add [webhooks] public_url = \"https://...\" (the address Bitbucket "
        "and GitLab reach `leadline serve` at) to " +
        paths.settings_file));
  }
  auto repositories = app::StoredRepositories(paths);
  if (!repositories.ok()) return ReportError(repositories.status());
  std::erase_if(*repositories, [](const model::Repository& repo) { return !repo.selected; });
  if (repositories->empty()) {
    return ReportError(common::Status::NotFound(
        "no repository is selected: select some with `leadline repos select PATTERN`"));
  }
  return UpdateWebhooks(paths, *repositories, true, settings->webhook_public_url());
}

int RunStatus(const config::Paths& paths) {
  auto status = app::WebhookStatus(paths);
  if (!status.ok()) return ReportError(status.status());
  for (const app::ConnectionWebhook& hook : *status) {
    if (!hook.last_delivery) {
      std::printf("%s: no delivery yet\n", hook.connection.c_str());
      continue;
    }
    std::printf("%s: %s\n", hook.connection.c_str(), DescribeDelivery(*hook.last_delivery).c_str());
  }
  auto repositories = app::RepositoryWebhooks(paths);
  if (!repositories.ok()) return ReportError(repositories.status());
  for (const app::RepositoryWebhook& repo : *repositories) {
    const std::string hook = repo.hook_id.empty()
                                 ? "no hook registered (leadline webhooks register)"
                                 : "hook " + repo.hook_id;
    std::printf(
        "  %s: %s, %s\n", repo.location.c_str(), hook.c_str(),
        repo.last_delivery ? DescribeDelivery(*repo.last_delivery).c_str() : "no delivery yet");
  }
  return 0;
}

}  // namespace

int UpdateWebhooks(const config::Paths& paths, const std::vector<model::Repository>& repositories,
                   bool selected, const std::string& public_url) {
  if (public_url.empty()) {
    if (selected) {
      std::printf(
          "No webhook registered: without [webhooks] public_url in leadline.toml, `leadline "
          "serve` catches changes by its reconciliation poll only.\n");
    }
    return 0;
  }
  http::CurlHttpClient curl;
  http::RetryingHttpClient client(curl, {}, 0);
  auto changes = app::UpdateHooks(paths, repositories, selected, public_url, client);
  if (!changes.ok()) return ReportError(changes.status());
  int exit_code = 0;
  for (const app::HookChange& change : *changes) {
    if (!change.status.ok()) {
      exit_code =
          ReportError(change.status.WithContext(std::string(selected ? "registering" : "removing") +
                                                " the webhook of " + change.location));
    } else if (selected) {
      std::printf("Webhook %s on %s -> %s\n", change.hook_id.c_str(), change.location.c_str(),
                  change.url.c_str());
    } else {
      std::printf("Webhook removed from %s\n", change.location.c_str());
    }
  }
  return exit_code;
}

std::vector<std::function<int()>> AddWebhooksCommands(CLI::App& app) {
  auto store = std::make_shared<StoreOptions>();
  CLI::App* webhooks =
      app.add_subcommand("webhooks", "Bitbucket and GitLab webhooks into `leadline serve`");
  webhooks->require_subcommand(1);
  CLI::App* secret = webhooks->add_subcommand(
      "secret",
      "Print each connection's webhook secret (made on first use) for the upstream's "
      "webhook settings");
  CLI::App* status = webhooks->add_subcommand(
      "status", "Each connection's last delivery and its outcome, each selected repository's hook");
  CLI::App* register_hooks = webhooks->add_subcommand(
      "register",
      "Register Leadline's webhook on every selected repository through the upstream's API "
      "(needs [webhooks] public_url in leadline.toml)");
  auto config_path = std::make_shared<std::string>();
  register_hooks->add_option("--config", *config_path,
                             "Settings file (default: leadline.toml beside the store)");
  for (CLI::App* command : {secret, status, register_hooks}) {
    AddStoreOptions(command, store.get());
  }
  return {
      [secret, store]() { return secret->parsed() ? RunSecret(store->paths) : -1; },
      [status, store]() { return status->parsed() ? RunStatus(store->paths) : -1; },
      [register_hooks, store, config_path]() {
        return register_hooks->parsed() ? RunRegister(store->paths, *config_path) : -1;
      },
  };
}

}  // namespace leadline::cli
