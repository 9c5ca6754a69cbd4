// The composition behind the incident tools' commands: `connect pagerduty` (after the connection
// check and store of connections.h: the tool's services and the severities that count),
// `services list`, `services map` and `incidents sync` (each incident connection's resumable
// backfill, then incremental syncs). Single-threaded; owns what it opens.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/connection_clients.h"
#include "app/connections.h"
#include "config/paths.h"
#include "engine/incident_selection.h"
#include "ingest/incident_sync.h"
#include "model/incident_service.h"

namespace leadline::app {

// Patterns and severities people type are bounded like other identifiers.
inline constexpr std::size_t kMaxPatternBytes = 200;
inline constexpr std::size_t kMaxCountedSeverities = 20;

struct IncidentConnectOutcome {
  ConnectOutcome connected;
  std::size_t services = 0;         // services listed and stored
  std::vector<std::string> counts;  // the severities that count
};

// Checks and stores the connection (Connect), lists and stores its services, and stores the
// severities that count: `counts`, or the tool's default when empty. A `webhook_secret` (the
// signing secret PagerDuty shows once when a webhook subscription is made) is stored sealed as
// the connection's webhook secret; empty keeps the one stored. Connecting again keeps mappings
// and the sync's cursor.
common::Result<IncidentConnectOutcome> ConnectIncidentTool(
    const config::Paths& paths, const sources::ConnectionSettings& settings,
    const std::vector<std::string>& counts, http::HttpClient& client,
    const std::string& webhook_secret = "");

struct ListedService {
  std::string connection;          // the connection's name
  model::IncidentService service;  // its mapping as it applies: [services] over the stored one
  std::size_t incidents = 0;       // stored incidents of the service (all severities)
  bool configured = false;         // mapped by [services] in leadline.toml
};

// Every incident connection's services, listed again from each tool when `refresh`, with their
// mappings as they apply (`configured`: [services]); NotFound when no incident tool is connected.
common::Result<std::vector<ListedService>> ListServices(
    const config::Paths& paths, http::HttpClient& client, bool refresh,
    const engine::ConfiguredServices& configured);

// The one of `stored` that `service` names: its id, or its name without case. NotFound, or
// InvalidArgument when several have that name, naming what to give instead.
common::Result<model::IncidentService> FindService(
    const std::vector<model::IncidentService>& stored, const std::string& service);

// Maps the service named `service` (its id, or its name without case) to the repositories
// matching `repos` (fnmatch over locations). Errors name the services when none or several match,
// and refuse a service that [services] (`configured`) maps: the settings would win.
common::Result<ListedService> MapService(const config::Paths& paths, const std::string& service,
                                         const std::string& repos,
                                         const engine::ConfiguredServices& configured);

// The services with stored incidents that count nowhere: no mapping, stored or configured.
common::Result<std::vector<ListedService>> UnmappedServicesWithIncidents(
    const config::Paths& paths, const engine::ConfiguredServices& configured);

struct IncidentConnectionSync {
  std::string connection;
  common::Status status;
  ingest::IncidentSyncCounts synced;
  common::UnixSeconds since = 0;  // where a new walk started; 0 when a cut one went on
};

struct IncidentSyncOptions {
  config::Paths paths;
  // A first sync (or one after --restart) goes back to `since`; a later one from the last walk's
  // end less a day, or from the oldest incident of the connection still open, if older.
  common::UnixSeconds since = 0;
  bool restart = false;              // forget where the last walk stood
  std::int64_t only_connection = 0;  // 0: every incident connection
  // Only connections whose first sync has begun: a webhook or the server's poll never starts a
  // backfill, whose reach `leadline incidents sync --since` decides. The others are reported
  // FailedPrecondition, saying so.
  bool only_begun = false;
  std::function<void(const std::string& connection, const ingest::IncidentSyncCounts&)> after_page;
};

// Syncs every incident connection; a failure in one is reported and the others still sync.
common::Result<std::vector<IncidentConnectionSync>> SyncIncidentConnections(
    const IncidentSyncOptions& options, ConnectionClients& clients);

}  // namespace leadline::app
