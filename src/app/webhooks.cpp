#include "app/webhooks.h"

#include <algorithm>

#include "app/connections.h"
#include "sources/contract/webhook_signature.h"
#include "sources/registry/registry.h"
#include "store/store.h"

namespace leadline::app {

namespace {

// The connection's webhook secret, made and stored sealed when it has none yet.
common::Result<std::string> SecretOf(OpenedConnections& opened,
                                     const model::Connection& connection) {
  LEADLINE_ASSIGN_OR_RETURN(std::string sealed,
                            opened.store->connections().LoadWebhookSecret(connection.id));
  if (!sealed.empty()) return opened.box.Open(sealed);
  std::string secret = sources::NewWebhookSecret();
  LEADLINE_RETURN_IF_ERROR(
      opened.store->connections().SetWebhookSecret(connection.id, opened.box.Seal(secret)));
  return secret;
}

}  // namespace

std::string HookUrl(const std::string& public_url, const model::Connection& connection) {
  const sources::WebhookDecoder* decoder = sources::FindWebhookDecoder(connection.provider);
  if (decoder && !decoder->SharedPaths().empty()) return public_url + decoder->SharedPaths()[0];
  return public_url + "/v1/webhooks/" + std::to_string(connection.id);
}

namespace {

// One repository's hook registered (selected) or removed; returns the hook id now stored.
common::Result<std::string> UpdateHook(OpenedConnections& opened, const model::Repository& repo,
                                       bool selected, const std::string& public_url,
                                       http::HttpClient& client) {
  const auto connection =
      std::find_if(opened.connections.begin(), opened.connections.end(),
                   [&](const model::Connection& c) { return c.id == repo.connection_id; });
  if (connection == opened.connections.end()) {
    return common::Status::NotFound("its connection is gone");
  }
  LEADLINE_ASSIGN_OR_RETURN(std::string token, opened.box.Open(connection->sealed_secret));
  const sources::ConnectionSettings settings = SettingsFor(*connection, token);
  LEADLINE_ASSIGN_OR_RETURN(const sources::Connector* connector,
                            sources::ConnectorFor(connection->provider));
  std::string hook_id;
  if (selected) {
    LEADLINE_ASSIGN_OR_RETURN(const std::string secret, SecretOf(opened, *connection));
    LEADLINE_ASSIGN_OR_RETURN(
        hook_id, connector->RegisterWebhook(client, settings, repo,
                                            {HookUrl(public_url, *connection), secret}));
  } else if (!repo.webhook_id.empty()) {
    LEADLINE_RETURN_IF_ERROR(connector->RemoveWebhook(client, settings, repo, repo.webhook_id));
  }
  LEADLINE_RETURN_IF_ERROR(opened.store->repositories().SetWebhookId(repo.id, hook_id));
  return hook_id;
}

}  // namespace

common::Result<std::vector<ConnectionWebhook>> WebhookSecrets(const config::Paths& paths) {
  LEADLINE_ASSIGN_OR_RETURN(OpenedConnections opened, OpenConnections(paths));
  std::vector<ConnectionWebhook> out;
  for (const model::Connection& connection : opened.connections) {
    LEADLINE_ASSIGN_OR_RETURN(std::string secret, SecretOf(opened, connection));
    out.push_back({connection.name, secret, std::nullopt});
  }
  return out;
}

common::Result<std::vector<RepositoryWebhook>> RepositoryWebhooks(const config::Paths& paths) {
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(paths.store));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repositories,
                            store->repositories().LoadConnectedRepositories());
  std::vector<RepositoryWebhook> out;
  for (const model::Repository& repo : repositories) {
    if (!repo.selected) continue;
    LEADLINE_ASSIGN_OR_RETURN(auto last, store->webhook_inbox().LastDeliveryFor(repo.location));
    out.push_back({repo.location, repo.webhook_id, std::move(last)});
  }
  return out;
}

common::Result<std::vector<HookChange>> UpdateHooks(
    const config::Paths& paths, const std::vector<model::Repository>& repositories, bool selected,
    const std::string& public_url, http::HttpClient& client) {
  LEADLINE_ASSIGN_OR_RETURN(OpenedConnections opened, OpenConnections(paths));
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> stored,
                            opened.store->repositories().LoadConnectedRepositories());
  std::vector<HookChange> out;
  for (const model::Repository& changed : repositories) {
    // The stored row knows the hook registered earlier.
    const auto repo = std::find_if(stored.begin(), stored.end(),
                                   [&](const model::Repository& r) { return r.id == changed.id; });
    if (repo == stored.end()) continue;
    const auto connection =
        std::find_if(opened.connections.begin(), opened.connections.end(),
                     [&](const model::Connection& c) { return c.id == repo->connection_id; });
    auto hook = UpdateHook(opened, *repo, selected, public_url, client);
    out.push_back({repo->location, hook.ok() ? common::Status::Ok() : hook.status(),
                   hook.ok() ? *hook : repo->webhook_id,
                   connection == opened.connections.end() ? "" : HookUrl(public_url, *connection)});
  }
  return out;
}

common::Result<std::vector<ConnectionWebhook>> WebhookStatus(const config::Paths& paths) {
  LEADLINE_ASSIGN_OR_RETURN(OpenedConnections opened, OpenConnections(paths));
  std::vector<ConnectionWebhook> out;
  for (const model::Connection& connection : opened.connections) {
    LEADLINE_ASSIGN_OR_RETURN(auto last, opened.store->webhook_inbox().LastDelivery(connection.id));
    out.push_back({connection.name, "", std::move(last)});
  }
  return out;
}

}  // namespace leadline::app
