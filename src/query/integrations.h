// The connections as a caller may see them, and how current each is. A code host's: whether its
// last check passed, how many of its repositories are selected, when they last synced and the
// last webhook delivery. An incident tool's (PagerDuty): whether its last check passed, its
// services and how many are mapped to repositories (stored by `services map`, or by [services] in
// leadline.toml), the severities that count, where its incident sync stands and the last webhook
// delivery, and what its services that send change events sent; the repositories whose
// pull-request feedback it refused. GET /v1/integrations and
// GraphQL's `integrations` both answer with it.
//
// Scoped to the caller: only the repositories it may see are counted, and a caller limited to
// some projects sees neither a connection none of whose repositories it may see (an incident
// tool's: none of whose mapped services maps onto one), nor webhook deliveries (they are not
// tied to projects); of an incident tool it sees only the services mapped onto a repository it
// may see. Reads the store; the caller holds it (one thread).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "auth/api_tokens.h"
#include "common/status.h"
#include "engine/incident_selection.h"
#include "model/connection.h"
#include "model/webhook.h"
#include "store/store.h"

namespace leadline::query {

// Where an incident connection's sync stands (its stored cursor, ingest/incident_sync.h).
enum class IncidentSyncState {
  kNever,       // no walk has begun
  kInProgress,  // a walk began and has not ended: running, or cut and resumed by the next sync
  kSynced,      // the last walk ended; last_sync_at says where
};
// "never", "in_progress", "synced".
const char* IncidentSyncStateName(IncidentSyncState state);

// The change events a PagerDuty connection's services send (`leadline services send-changes`,
// store/change_event_outbox.h), summed over those services.
struct ChangeEventCounts {
  std::size_t services = 0;  // services that send
  std::int64_t sent = 0;
  std::int64_t pending = 0;  // queued: due, or waiting for another try
  std::int64_t failed = 0;   // failed for good: `leadline services changes` lists them
};

// An incident tool's side of a connection.
struct IncidentToolStatus {
  // The services its last listing named; for a caller limited to some projects, only those
  // mapped onto a repository it may see.
  std::size_t services = 0;
  std::size_t mapped_services = 0;      // of those, mapped to repositories
  std::size_t configured_services = 0;  // of those, mapped by [services] in leadline.toml
  std::vector<std::string> counts;      // the severities that count
  IncidentSyncState sync = IncidentSyncState::kNever;
  // Set when one of its services (of those the caller sees) sends change events.
  std::optional<ChangeEventCounts> change_events;
};

// A repository whose feedback on pull requests its code host refused (a 403 while posting): its
// feedback is off until enabled again (store/feedback_outbox.h).
struct FeedbackRefusal {
  std::string repository;  // its location
  common::UnixSeconds refused_at = 0;
  std::string reason;  // the host's answer and what the credentials need
};

struct ConnectionStatus {
  model::Connection connection;
  bool connected = false;  // its last check passed
  std::size_t selected_repositories = 0;
  // A code host: the last sync of its selected repositories. An incident tool: where its last
  // whole incident walk ended (it read the incidents begun until then).
  std::optional<common::UnixSeconds> last_sync_at;
  // Its last webhook delivery; always nullopt for a caller limited to some projects.
  std::optional<model::WebhookDelivery> last_delivery;
  std::optional<IncidentToolStatus> incident_tool;  // set for an incident tool's connection
  // A code host's repositories, of those the caller may see, whose feedback was refused.
  std::vector<FeedbackRefusal> feedback_refused;
};

struct IntegrationStatus {
  std::vector<ConnectionStatus> connections;  // in the store's order
  // Whether the caller sees every project: only then are deliveries and the server's
  // reconciliation poll (which syncs every project) shown.
  bool every_project = false;
};

// `configured` is [services] of leadline.toml, which wins over the stored mappings.
common::Result<IntegrationStatus> LoadIntegrationStatus(
    store::Store& store, const auth::Principal& principal,
    const engine::ConfiguredServices& configured = {});

// An applied delivery's outcome ("applied: synced acme/api") as its kind ("applied") and what
// happened ("synced acme/api"); "pending" and no detail until it is applied.
struct DeliveryOutcome {
  std::string outcome;
  std::string detail;
};
DeliveryOutcome OutcomeOf(const model::WebhookDelivery& delivery);

}  // namespace leadline::query
