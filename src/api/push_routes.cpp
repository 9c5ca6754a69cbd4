#include "api/push_routes.h"

#include <nlohmann/json.hpp>

#include "api/access_gate.h"
#include "api/responses.h"
#include "ingest/pushed_deployments.h"
#include "ingest/pushed_incidents.h"
#include "sources/push/incident_json.h"
#include "sources/push/push_limits.h"

namespace leadline::api {
namespace {

HttpResponse Stored(std::size_t received, std::size_t changed) {
  HttpResponse response;
  response.body = nlohmann::json{{"received", received}, {"changed", changed}}.dump() + "\n";
  return response;
}

HttpResponse PushDeployments(ApiContext& context, const HttpRequest& request,
                             const auth::Principal& principal) {
  const sources::ParsedDeployments parsed =
      sources::ReadDeployments(request.body, sources::kMaxPushedItems);
  if (!parsed.errors.empty()) return FieldErrorsResponse(parsed.errors);
  const auto stored = context.store.With([&](store::Store& store) {
    return ingest::StorePushedDeployments(store, parsed.deployments,
                                          ingest::WriteScope{principal.repositories});
  });
  if (!stored.ok()) return StatusResponse(stored.status());
  if (stored->changed > 0 && context.data_changed) context.data_changed();
  return Stored(stored->read, stored->changed);
}

HttpResponse PushIncidents(ApiContext& context, const HttpRequest& request,
                           const auth::Principal& principal) {
  const sources::ParsedIncidents parsed =
      sources::ReadIncidents(request.body, "api", sources::kMaxPushedItems);
  if (!parsed.errors.empty()) return FieldErrorsResponse(parsed.errors);
  const auto stored = context.store.With([&](store::Store& store) {
    return ingest::StorePushedIncidents(store, parsed.incidents,
                                        ingest::WriteScope{principal.repositories});
  });
  if (!stored.ok()) return StatusResponse(stored.status());
  if (stored->changed > 0 && context.data_changed) context.data_changed();
  return Stored(stored->read, stored->changed);
}

}  // namespace

void AddPushRoutes(HttpServer& server, ApiContext& context) {
  server.Route("POST", "/v1/deployments",
               Guarded(context, "write:events",
                       [&context](const HttpRequest& request, const auth::Principal& principal) {
                         return PushDeployments(context, request, principal);
                       }),
               RouteOptions{.accepts_gzip = true});
  server.Route("POST", "/v1/incidents",
               Guarded(context, "write:events",
                       [&context](const HttpRequest& request, const auth::Principal& principal) {
                         return PushIncidents(context, request, principal);
                       }),
               RouteOptions{.accepts_gzip = true});
}

}  // namespace leadline::api
