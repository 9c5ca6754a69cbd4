#include "api/health_routes.h"

#include "api/responses.h"

namespace leadline::api {

void AddHealthRoutes(HttpServer& server, ApiContext& context) {
  server.Route("GET", "/healthz", [](const HttpRequest&) {
    return HttpResponse{200, "{\"status\": \"ok\"}\n", "application/json", {}, {}};
  });
  server.Route("GET", "/readyz", [&context](const HttpRequest&) {
    const common::Status ready =
        context.store.With([](store::Store& store) { return store.SchemaVersion().status(); });
    if (!ready.ok()) return ErrorResponse(503, "the store does not answer: " + ready.message());
    const common::Status secrets = context.secrets_open();
    if (!secrets.ok()) return ErrorResponse(503, secrets.message());
    // Still ready while the view catches up (it answers from the previous one), but said, so
    // that an operator sees a server whose view lags the others'.
    const common::Seconds behind = context.view_behind();
    return HttpResponse{
        200,
        "{\"status\": \"ready\", \"view_behind_seconds\": " + std::to_string(behind) + "}\n",
        "application/json",
        {},
        {}};
  });
  server.Route("GET", "/metrics", [&context](const HttpRequest&) {
    return HttpResponse{200, context.metrics.Render(), "text/plain; version=0.0.4", {}, {}};
  });
}

}  // namespace leadline::api
