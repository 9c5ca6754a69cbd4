// The GraphQL API (scope `read`, behind the same gate and audit as the REST API):
//   POST /graphql                a GraphQL request as JSON (api/graphql_http.h)
//   GET  /graphql                a query in the query string (no mutations)
//   GET  /graphql/schema.graphql the schema as SDL
// Answered by the engine (api/graphql/) over Leadline's schema (api/graphql_resolver.h) from the
// same metrics view as the REST routes, within the request limits of docs/graphql.md and a
// deadline per request. Thread-safe.
#pragma once

#include <chrono>

#include "api/api_context.h"
#include "api/http_server.h"

namespace leadline::api {

// How long one request may run before its remaining fields are errors.
inline constexpr std::chrono::milliseconds kGraphqlDeadline{10'000};

void AddGraphqlRoutes(HttpServer& server, ApiContext& context);

}  // namespace leadline::api
