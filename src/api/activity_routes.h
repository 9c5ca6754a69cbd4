// More of the read API (scope `read`), from the same view and with the same scope parameters
// and pagination as api/read_routes.h:
//   GET /v1/pull-requests  pull requests merged in the window, newest first: stages, size,
//                          review depth, progress (team= narrows to a team's authors)
//   GET /v1/incidents      incidents begun in the window that count, with the deployment each
//                          was tied to, newest first
//   GET /v1/doctor         the data-quality findings of each repository over the window, with
//                          what to change (as `leadline doctor`)
#pragma once

#include "api/api_context.h"
#include "api/http_server.h"

namespace leadline::api {

void AddActivityRoutes(HttpServer& server, ApiContext& context);

}  // namespace leadline::api
