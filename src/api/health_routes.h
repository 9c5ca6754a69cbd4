// Operational endpoints, without a token:
//   GET /healthz  the process answers: 200 {"status": "ok"}
//   GET /readyz   the store answers too, and its sealed secrets open with the server's key:
//                 200 {"status": "ready", "view_behind_seconds": N} (N: how long the metrics
//                 view has lagged data that landed, here or on another server; 0 when current),
//                 else 503 saying which
//   GET /metrics  the Prometheus text format (api/server_metrics.h)
#pragma once

#include "api/api_context.h"
#include "api/http_server.h"

namespace leadline::api {

void AddHealthRoutes(HttpServer& server, ApiContext& context);

}  // namespace leadline::api
