// What a dashboard's filters offer (scope `read`), limited to what the token may see:
//   GET /v1/projects      the projects the token may see, with their repository counts
//   GET /v1/teams         leadline.toml's teams with at least one member among the authors of
//                         pull requests in the repositories the token may see
//   GET /v1/integrations/bitbucket
//                         each connection the token sees a repository of: edition, whether its
//                         last check passed, the selected repositories it may see, when their
//                         last sync succeeded, and (for a token of every project) the last
//                         webhook delivery and its outcome
#pragma once

#include "api/api_context.h"
#include "api/http_server.h"

namespace leadline::api {

void AddCatalogRoutes(HttpServer& server, ApiContext& context);

}  // namespace leadline::api
