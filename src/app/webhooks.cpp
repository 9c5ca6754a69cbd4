#include "app/webhooks.h"

#include "app/connections.h"
#include "auth/webhook_signature.h"

namespace leadline::app {

common::Result<std::vector<ConnectionWebhook>> WebhookSecrets(const std::string& db_path) {
  LEADLINE_ASSIGN_OR_RETURN(OpenedConnections opened, OpenConnections(db_path));
  std::vector<ConnectionWebhook> out;
  for (const model::Connection& connection : opened.connections) {
    LEADLINE_ASSIGN_OR_RETURN(std::string sealed, opened.store->LoadWebhookSecret(connection.id));
    std::string secret;
    if (sealed.empty()) {
      secret = auth::NewWebhookSecret();
      LEADLINE_RETURN_IF_ERROR(
          opened.store->SetWebhookSecret(connection.id, opened.box.Seal(secret)));
    } else {
      LEADLINE_ASSIGN_OR_RETURN(secret, opened.box.Open(sealed));
    }
    out.push_back({connection.name, secret, std::nullopt});
  }
  return out;
}

common::Result<std::vector<ConnectionWebhook>> WebhookStatus(const std::string& db_path) {
  LEADLINE_ASSIGN_OR_RETURN(OpenedConnections opened, OpenConnections(db_path));
  std::vector<ConnectionWebhook> out;
  for (const model::Connection& connection : opened.connections) {
    LEADLINE_ASSIGN_OR_RETURN(auto last, opened.store->LastDelivery(connection.id));
    out.push_back({connection.name, "", std::move(last)});
  }
  return out;
}

}  // namespace leadline::app
