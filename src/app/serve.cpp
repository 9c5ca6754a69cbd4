#include "app/serve.h"

#include "api/api_context.h"
#include "api/health_routes.h"
#include "api/push_routes.h"
#include "api/read_routes.h"
#include "api/server_metrics.h"
#include "api/shared_store.h"
#include "app/metrics_snapshots.h"

namespace leadline::app {

struct Service::Parts {
  std::unique_ptr<MetricsSnapshots> snapshots;
  std::unique_ptr<api::SharedStore> store;
  api::ServerMetrics metrics;
  std::unique_ptr<api::ApiContext> context;
  std::unique_ptr<api::HttpServer> server;
};

Service::Service(std::unique_ptr<Parts> parts, int port) : parts_(std::move(parts)), port_(port) {}
Service::~Service() = default;

common::Result<std::unique_ptr<Service>> Service::Start(const ServeRequest& request) {
  auto parts = std::make_unique<Parts>();
  LEADLINE_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::OpenStore(request.db_path));
  parts->store = std::make_unique<api::SharedStore>(std::move(store));
  parts->snapshots = std::make_unique<MetricsSnapshots>(request.db_path, request.config_path);
  MetricsSnapshots& snapshots = *parts->snapshots;
  parts->context = std::make_unique<api::ApiContext>(
      api::ApiContext{*parts->store, parts->metrics, [&snapshots] { return snapshots.Current(); },
                      [&snapshots] { snapshots.MarkStale(); }});
  parts->server = std::make_unique<api::HttpServer>(request.server);
  api::AddHealthRoutes(*parts->server, *parts->context);
  api::AddPushRoutes(*parts->server, *parts->context);
  api::AddReadRoutes(*parts->server, *parts->context);
  api::ServerMetrics& metrics = parts->metrics;
  parts->server->SetObserver(
      [&metrics](const api::HttpRequest&, const api::HttpResponse& res, const std::string& route,
                 double elapsed_ms) { metrics.CountRequest(route, res.status, elapsed_ms); });
  LEADLINE_ASSIGN_OR_RETURN(const int port, parts->server->Bind());
  return std::unique_ptr<Service>(new Service(std::move(parts), port));
}

common::Status Service::Serve() { return parts_->server->Serve(); }

void Service::Stop() { parts_->server->Stop(); }

}  // namespace leadline::app
