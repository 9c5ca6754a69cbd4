// The push API for CI and incident tools:
//   POST /v1/deployments  (scope write:events) the shape of sources/push/deployment_json.h
//   POST /v1/incidents    (scope write:events) the shape of sources/push/incident_json.h
// A body is one object, an array, or {"deployments"|"incidents": [...]}; stored all or none,
// idempotent by the caller's ids. Answers 200 {"received": n, "changed": m}; 400 for a body that
// is not JSON, 422 listing every bad field, 404 for a repository the token may not see (whether
// or not it exists).
#pragma once

#include "api/api_context.h"
#include "api/http_server.h"

namespace leadline::api {

void AddPushRoutes(HttpServer& server, ApiContext& context);

}  // namespace leadline::api
