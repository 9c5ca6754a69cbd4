// The read API (scope `read`), answered from the metrics view (query/metrics_view.h) and filtered
// to what the token may see, aggregates included:
//   GET /v1/metrics/dora   the five metrics, sample sizes, levels and the proxy flag, for a scope
//                          and window (api/scope_params.h), benchmark=2023|2024, trend=weekly
//   GET /v1/repositories   the repositories, paginated
//   GET /v1/deployments    production deployments with what each shipped and why it failed;
//                          failed=true for the failed ones only; paginated, newest first
// Pagination: limit (default 50, at most 500) and cursor (the `next` of the previous page).
#pragma once

#include "api/api_context.h"
#include "api/http_server.h"

namespace leadline::api {

void AddReadRoutes(HttpServer& server, ApiContext& context);

}  // namespace leadline::api
