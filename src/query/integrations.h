// The code hosts' connections as a caller may see them, and how current each is: whether its
// last check passed, how many of its repositories are selected, when they last synced and the
// last webhook delivery. GET /v1/integrations and GraphQL's `integrations` both answer with it.
//
// Scoped to the caller: only the repositories it may see are counted, and a caller limited to
// some projects sees neither a connection none of whose repositories it may see, nor webhook
// deliveries (they are not tied to projects). Reads the store; the caller holds it (one thread).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "auth/api_tokens.h"
#include "common/status.h"
#include "model/connection.h"
#include "model/webhook.h"
#include "store/store.h"

namespace leadline::query {

struct ConnectionStatus {
  model::Connection connection;
  bool connected = false;  // its last check passed
  std::size_t selected_repositories = 0;
  std::optional<common::UnixSeconds> last_sync_at;  // of its selected repositories
  // Its last webhook delivery; always nullopt for a caller limited to some projects.
  std::optional<model::WebhookDelivery> last_delivery;
};

struct IntegrationStatus {
  std::vector<ConnectionStatus> connections;  // in the store's order
  // Whether the caller sees every project: only then are deliveries and the server's
  // reconciliation poll (which syncs every project) shown.
  bool every_project = false;
};

common::Result<IntegrationStatus> LoadIntegrationStatus(store::Store& store,
                                                        const auth::Principal& principal);

// An applied delivery's outcome ("applied: synced acme/api") as its kind ("applied") and what
// happened ("synced acme/api"); "pending" and no detail until it is applied.
struct DeliveryOutcome {
  std::string outcome;
  std::string detail;
};
DeliveryOutcome OutcomeOf(const model::WebhookDelivery& delivery);

}  // namespace leadline::query
