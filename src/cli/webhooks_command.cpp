#include "cli/webhooks_command.h"

#include <cstdio>
#include <memory>

#include "app/webhooks.h"
#include "cli/errors.h"
#include "common/time.h"

namespace leadline::cli {
namespace {

int RunSecret(const std::string& db_path) {
  auto secrets = app::WebhookSecrets(db_path);
  if (!secrets.ok()) return ReportError(secrets.status());
  for (const app::ConnectionWebhook& hook : *secrets) {
    std::printf("%s  %s\n", hook.connection.c_str(), hook.secret.c_str());
  }
  return 0;
}

int RunStatus(const std::string& db_path) {
  auto status = app::WebhookStatus(db_path);
  if (!status.ok()) return ReportError(status.status());
  for (const app::ConnectionWebhook& hook : *status) {
    if (!hook.last_delivery) {
      std::printf("%s: no delivery yet\n", hook.connection.c_str());
      continue;
    }
    const model::WebhookDelivery& d = *hook.last_delivery;
    std::printf("%s: last delivery %s at %s, %s\n", hook.connection.c_str(), d.event_key.c_str(),
                common::FormatRfc3339(d.received_at).c_str(),
                d.applied_at ? d.outcome.c_str() : "waiting to be applied");
  }
  return 0;
}

}  // namespace

std::vector<std::function<int()>> AddWebhooksCommands(CLI::App& app) {
  auto db_path = std::make_shared<std::string>("leadline.db");
  CLI::App* webhooks = app.add_subcommand("webhooks", "Bitbucket webhooks into `leadline serve`");
  webhooks->require_subcommand(1);
  CLI::App* secret = webhooks->add_subcommand(
      "secret",
      "Print each connection's webhook secret (made on first use) for Bitbucket's "
      "webhook settings");
  CLI::App* status =
      webhooks->add_subcommand("status", "Each connection's last delivery and its outcome");
  for (CLI::App* command : {secret, status}) {
    command->add_option("--db", *db_path, "SQLite store file")->capture_default_str();
  }
  return {
      [secret, db_path]() { return secret->parsed() ? RunSecret(*db_path) : -1; },
      [status, db_path]() { return status->parsed() ? RunStatus(*db_path) : -1; },
  };
}

}  // namespace leadline::cli
