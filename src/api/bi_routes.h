// The BI refresh a CI job or a service asks for:
//   POST /v1/bi/refresh  (scope bi:refresh, or a CI job's OIDC token its [[ci_trust]] rule
//                         accepts) refreshes the analytics tables from the server's metrics view
//                         and triggers the Looker datagroup the server was started with
//                         (`serve --looker-datagroup`), so that a pipeline needs no Looker
//                         credentials. No body. One refresh at a time: calls arriving during a
//                         refresh wait for the next one and share it (its result is theirs);
//                         past two waiting, a call is answered 429 with Retry-After at once.
// Answers 200 {"analytics": {"scopes_rewritten", "rows_written", "refreshed_at"}, "looker":
// {"datagroup": "model::name", "triggered_at"} or null when no datagroup is configured}; 502
// when the tables were refreshed but Looker refused or could not be reached (the error says
// why, never a credential); 503 when the view or the store is not available. The access gate
// audits every call with who asked (the token's name, or the CI job's issuer, project,
// pipeline, job and subject).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "api/api_context.h"
#include "api/http_server.h"
#include "common/status.h"

namespace leadline::api {

struct BiRefreshReport {
  // Set alone when the call was turned away (a refresh is under way and others already wait
  // for the next one): answered 429.
  bool turned_away = false;
  std::int64_t scopes_rewritten = 0;
  std::int64_t rows_written = 0;
  common::UnixSeconds refreshed_at = 0;
  // "model::name" of the datagroup triggered; none when the server triggers none.
  std::optional<std::string> looker_datagroup;
  common::UnixSeconds looker_triggered_at = 0;
  // Why the datagroup was not triggered, when it was to be (the tables were refreshed).
  std::string looker_error;
};

// What the route calls; implemented by the serve composition (app/bi_refresher.h).
class BiRefresh {
 public:
  virtual ~BiRefresh() = default;
  virtual common::Result<BiRefreshReport> Refresh() = 0;
};

void AddBiRoutes(HttpServer& server, ApiContext& context);

}  // namespace leadline::api
