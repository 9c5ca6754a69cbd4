#include "api/bi_routes.h"

#include <nlohmann/json.hpp>

#include "api/access_gate.h"
#include "api/responses.h"
#include "common/time.h"

namespace leadline::api {
namespace {

HttpResponse Refresh(ApiContext& context) {
  if (context.bi_refresh == nullptr) {
    return ErrorResponse(503, "this server does not refresh the analytics tables");
  }
  const common::Result<BiRefreshReport> report = context.bi_refresh->Refresh();
  if (!report.ok()) return StatusResponse(report.status());
  if (report->turned_away) {
    HttpResponse busy = ErrorResponse(
        429,
        "a refresh of the analytics tables is under way and others already wait for the "
        "next one, which will include what this call asked for; try again shortly");
    busy.headers.emplace_back("Retry-After", "5");
    return busy;
  }
  if (!report->looker_error.empty()) {
    return ErrorResponse(502,
                         "the analytics tables were refreshed, but the Looker datagroup was not "
                         "triggered: " +
                             report->looker_error);
  }
  nlohmann::json looker = nullptr;
  if (report->looker_datagroup) {
    looker = {{"datagroup", *report->looker_datagroup},
              {"triggered_at", common::FormatRfc3339(report->looker_triggered_at)}};
  }
  HttpResponse response;
  response.body = nlohmann::json{{"analytics",
                                  {{"scopes_rewritten", report->scopes_rewritten},
                                   {"rows_written", report->rows_written},
                                   {"refreshed_at", common::FormatRfc3339(report->refreshed_at)}}},
                                 {"looker", looker}}
                      .dump() +
                  "\n";
  return response;
}

}  // namespace

void AddBiRoutes(HttpServer& server, ApiContext& context) {
  server.Route("POST", "/v1/bi/refresh",
               GuardedWithCi(context, "bi:refresh", /*incidents=*/false,
                             [&context](const HttpRequest&, const auth::Principal&) {
                               return Refresh(context);
                             }));
}

}  // namespace leadline::api
