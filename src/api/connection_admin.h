// What the admin API asks of the composition to manage connections, repositories and incident
// services: the work the CLI's `connect`, `check`, `repos` and `services` commands do, which
// talks to the upstreams and so lives above the API layer (app/served_connection_admin.h).
// Implementations are thread-safe: each call may come from any request thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/connection.h"
#include "model/incident_service.h"
#include "model/repository.h"
#include "sources/registry/connection_request.h"

namespace leadline::api {

struct NewConnection {
  sources::ConnectionRequest request;
  std::vector<std::string> counts;  // incident tools: the severities that count (empty: default)
  std::string webhook_secret;       // incident tools: a webhook subscription's signing secret
};

// A connection after it was made or checked.
struct CheckedConnection {
  model::Connection connection;
  common::Status status;  // ok, or why the check failed
  std::string described;  // "Dev Eloper (devnick), 250 repositories visible"
  std::string warning;    // fewer repositories visible than last listed
  // Incident tools, when connected: the services listed and the severities that count.
  std::size_t services = 0;
  std::vector<std::string> counts;
};

struct ServiceMapping {
  std::string connection;          // the connection's name
  model::IncidentService service;  // its mapping as it applies
  std::size_t incidents = 0;       // stored incidents of the service
  bool configured = false;         // mapped by [services] in leadline.toml, not through the API
};

// A repository whose selection changed, and what became of its webhook.
struct SelectionChange {
  model::Repository repository;
  common::Status webhook;  // ok, or why registering (removing) it failed
  std::string hook_url;    // where the registered webhook delivers; empty when none
};

class ConnectionAdmin {
 public:
  virtual ~ConnectionAdmin() = default;

  // Checks the connection with the upstream, then stores it (its secret sealed); a connection
  // that fails its check is not stored, and the error says why.
  virtual common::Result<CheckedConnection> Connect(const NewConnection& connection) = 0;
  // Checks every stored connection again and records each outcome.
  virtual common::Result<std::vector<CheckedConnection>> CheckAll() = 0;
  // The connected repositories with their selection; asked of each upstream when `refresh`.
  virtual common::Result<std::vector<model::Repository>> Repositories(bool refresh) = 0;
  // Selects (deselects) the repositories matching any pattern, registering (removing) their
  // webhooks when a public URL is configured; fails, changing nothing, when a pattern matches none.
  virtual common::Result<std::vector<SelectionChange>> Select(
      const std::vector<std::string>& patterns, bool selected) = 0;
  // The incident tools' services with their mappings; asked of each tool when `refresh`.
  virtual common::Result<std::vector<ServiceMapping>> Services(bool refresh) = 0;
  // Maps a service (by id, or name without case) to the repositories matching `repositories`.
  virtual common::Result<ServiceMapping> MapService(const std::string& service,
                                                    const std::string& repositories) = 0;
};

}  // namespace leadline::api
