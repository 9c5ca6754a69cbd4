// The admin API's connections, repositories and incident services, for an admin over every
// project (api/admin_common.h's gate), doing what `leadline connect`, `check`, `repos` and
// `services` do:
//   GET  /v1/admin/connections               the connections, with their last check (no secret)
//   POST /v1/admin/connections               {"provider", "url"?, "workspace"?, "email"?,
//                                            "token" | "access_token" | "username" +
//                                            "app_password", "counts"?, "webhook_secret"?}: checks
//                                            with the upstream, then stores it: 201
//   POST /v1/admin/connections/check         checks every connection again
//   GET  /v1/admin/repositories[?refresh=true]   the connected repositories and their selection
//   POST /v1/admin/repositories/select       {"patterns": ["acme/*"]}: synced from now on (and
//   POST /v1/admin/repositories/deselect     their webhooks registered), or no longer
//   GET  /v1/admin/services[?refresh=true]   the incident tools' services and their mappings
//   PUT  /v1/admin/services/{service}        {"repositories": "acme/api*"}: maps a service
// A refusal by the upstream is a 422 that says what it refused, never the caller's own 401.
// Every call is audited by the gate; secrets in bodies are sealed, never echoed or logged.
// Thread-safe.
#pragma once

#include "api/api_context.h"
#include "api/http_server.h"

namespace leadline::api {

void AddAdminConnectionRoutes(HttpServer& server, ApiContext& context);

}  // namespace leadline::api
