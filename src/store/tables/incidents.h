// Incidents, the organisation's rather than a repository's, keyed by their source and the
// source's id; and for each incident connection its services with their mappings to
// repositories, the severities it counts and its sync cursor (store/sql/incident_service_rows.h
// says how each behaves). Reached through Store::incidents(), on the store's connection; used
// from one thread at a time, like the Store. Outside a transaction each call commits at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "model/incident.h"
#include "model/incident_service.h"

namespace leadline::store {

class Incidents {
 public:
  virtual ~Incidents() = default;

  // Returns how many were new or changed.
  virtual common::Result<std::int64_t> UpsertIncidents(
      const std::vector<model::Incident>& incidents) = 0;
  virtual common::Result<std::optional<model::Incident>> FindIncident(const std::string& source,
                                                                      const std::string& id) = 0;
  // Every incident, oldest first.
  virtual common::Result<std::vector<model::Incident>> LoadIncidents() = 0;

  virtual common::Status UpsertIncidentServices(
      std::int64_t connection_id, const std::vector<model::IncidentService>& services) = 0;
  virtual common::Result<std::vector<model::IncidentService>> LoadIncidentServices(
      std::int64_t connection_id) = 0;
  virtual common::Result<bool> MapIncidentService(std::int64_t connection_id,
                                                  const std::string& service_id,
                                                  const std::string& repos) = 0;
  virtual common::Result<std::optional<model::IncidentConnectionState>> LoadIncidentConnection(
      std::int64_t connection_id) = 0;
  virtual common::Status SaveIncidentCounts(std::int64_t connection_id,
                                            const std::vector<std::string>& counts) = 0;
  virtual common::Status SaveIncidentCursor(std::int64_t connection_id,
                                            const std::string& cursor) = 0;
};

}  // namespace leadline::store
