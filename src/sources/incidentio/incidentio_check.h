// The incident.io connection check and the listings it shares with the connector: who the key is
// (`GET /v1/identity`: its name and roles), whether it may read incidents, its severities
// (`GET /v1/severities`, which decide what counts by default) and its services: the catalog
// entries of the catalog type behind the "affected services" custom field (`GET /v2/custom_fields`,
// then `GET /v2/catalog_entries`). Stateless; thread-safe.
#pragma once

#include <vector>

#include "common/status.h"
#include "http/http_client.h"
#include "model/incident_service.h"
#include "sources/contract/connection_settings.h"
#include "sources/contract/connector.h"
#include "sources/incidentio/incidentio_parse.h"

namespace leadline::sources::incidentio {

common::Result<CheckReport> CheckIncidentIo(http::HttpClient& client,
                                            const ConnectionSettings& settings);

// Most severe first.
common::Result<std::vector<Severity>> Severities(http::HttpClient& client,
                                                 const ConnectionSettings& settings);

// Every catalog entry of every service custom field's catalog type; an error when no custom
// field names services, saying how to add one.
common::Result<std::vector<model::IncidentService>> Services(http::HttpClient& client,
                                                             const ConnectionSettings& settings);

}  // namespace leadline::sources::incidentio
