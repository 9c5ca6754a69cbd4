// Managing access through the API, for an admin over every project (a token with the `admin`
// scope and no project limit, or a person whose roles give `admin` over "*"): an admin limited
// to some projects could otherwise mint itself a wider token, so it is refused (403).
//   GET    /v1/admin/tokens             the tokens (never their secrets)
//   POST   /v1/admin/tokens             {"name", "scopes", "projects"?, "expires_in_days"?}: 201
//                                       with the secret, shown once
//   DELETE /v1/admin/tokens/{name}      revokes it at once
//   PUT    /v1/admin/projects/{name}    {"repositories": ["acme/pay-*", ...]}: creates or replaces
//   DELETE /v1/admin/projects/{name}    refused while a live token is scoped to it
//   GET    /v1/admin/sessions           people's sessions
//   DELETE /v1/admin/sessions/{id}      ends one at once
// and the connections, repositories and incident services (api/admin_connection_routes.h).
// The rules are the CLI's (auth/access_rules.h); every call is audited by the gate. Thread-safe.
#pragma once

#include "api/api_context.h"
#include "api/http_server.h"

namespace leadline::api {

void AddAdminRoutes(HttpServer& server, ApiContext& context);

}  // namespace leadline::api
