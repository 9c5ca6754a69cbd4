// The push API for CI and incident tools:
//   POST /v1/deployments  (scope write:events) the shape of sources/push/deployment_json.h
//   POST /v1/incidents    (scope write:events) the shape of sources/push/incident_json.h
// A body is one object, or an array of 1 to sources::kMaxPushedItems, or
// {"deployments"|"incidents": [...]}; stored all or none, idempotent by the caller's ids
// (deployments per repository, incidents per source). Answers 200 {"received": n, "changed": m};
// 400 for a body that is not JSON, 422 listing every bad field, 404 for a repository the token
// may not write (whether or not it exists) and for an incident of that id outside its projects,
// 403 for an incident by service alone from a token scoped to projects.
#pragma once

#include "api/api_context.h"
#include "api/http_server.h"

namespace leadline::api {

void AddPushRoutes(HttpServer& server, ApiContext& context);

}  // namespace leadline::api
