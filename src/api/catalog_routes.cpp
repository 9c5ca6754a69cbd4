#include "api/catalog_routes.h"

#include "api/metrics_json.h"
#include "api/read_helpers.h"
#include "common/time.h"
#include "query/integrations.h"
#include "query/teams.h"

namespace leadline::api {
namespace {

using nlohmann::ordered_json;

HttpResponse Projects(ApiContext& context, const HttpRequest& request,
                      const auth::Principal& principal) {
  auto page = ParsePage(request);
  if (!page.ok()) return StatusResponse(page.status());
  auto view = context.view();
  if (!view.ok()) return StatusResponse(view.status());
  const std::vector<const model::Project*> projects = query::VisibleProjects(**view, principal);
  return Json(Paginated(projects.size(), *page, [&](std::size_t i) {
    return ordered_json{{"name", projects[i]->name},
                        {"repositories", projects[i]->repository_ids.size()}};
  }));
}

HttpResponse Teams(ApiContext& context, const HttpRequest& request,
                   const auth::Principal& principal) {
  auto page = ParsePage(request);
  if (!page.ok()) return StatusResponse(page.status());
  auto view = context.view();
  if (!view.ok()) return StatusResponse(view.status());
  const std::vector<const std::string*> names = query::VisibleTeams(**view, principal);
  return Json(Paginated(names.size(), *page, [&](std::size_t i) {
    return ordered_json{{"name", *names[i]}};
  }));
}

ordered_json LastDeliveryJson(const std::optional<model::WebhookDelivery>& delivery) {
  if (!delivery) return nullptr;
  const query::DeliveryOutcome outcome = query::OutcomeOf(*delivery);
  return {{"received_at", common::FormatRfc3339(delivery->received_at)},
          {"event", delivery->event_key},
          {"outcome", outcome.outcome},
          {"detail", outcome.detail}};
}

// An incident tool's services, what counts and its sync; null for a code host.
ordered_json IncidentToolJson(const std::optional<query::IncidentToolStatus>& tool) {
  if (!tool) return nullptr;
  return {{"services", tool->services},
          {"mapped_services", tool->mapped_services},
          {"configured_services", tool->configured_services},
          {"counts", tool->counts},
          {"sync", query::IncidentSyncStateName(tool->sync)},
          // Its services that send change events: null when none does.
          {"change_events", tool->change_events
                                ? ordered_json{{"services", tool->change_events->services},
                                               {"sent", tool->change_events->sent},
                                               {"pending", tool->change_events->pending},
                                               {"failed", tool->change_events->failed}}
                                : ordered_json()}};
}

ordered_json ReconciliationJson(const ReconciliationState& state) {
  if (state.every == 0) {
    return {{"every_s", nullptr},
            {"last_run_at", nullptr},
            {"last_run_ok", nullptr},
            {"error", nullptr},
            {"lag_s", nullptr}};
  }
  const bool ran = state.last_run_at.has_value();
  return {{"every_s", state.every},
          {"last_run_at", TimeOrNull(state.last_run_at)},
          {"last_run_ok", ran ? ordered_json(state.last_run_ok) : ordered_json()},
          {"error", ran && !state.last_run_ok ? ordered_json(state.last_error) : ordered_json()},
          {"lag_s", state.lag}};
}

ordered_json FeedbackRefusedJson(const std::vector<query::FeedbackRefusal>& refused) {
  ordered_json out = ordered_json::array();
  for (const query::FeedbackRefusal& one : refused) {
    out.push_back({{"repository", one.repository},
                   {"refused_at", common::FormatRfc3339(one.refused_at)},
                   {"reason", one.reason}});
  }
  return out;
}

HttpResponse Integrations(ApiContext& context, const HttpRequest&,
                          const auth::Principal& principal) {
  auto status = context.store.With([&](store::Store& store) {
    return query::LoadIntegrationStatus(store, principal, context.configured_services);
  });
  if (!status.ok()) return StatusResponse(status.status());
  ordered_json items = ordered_json::array();
  for (const query::ConnectionStatus& item : status->connections) {
    const model::Connection& connection = item.connection;
    items.push_back({{"id", connection.id},
                     {"name", connection.name},
                     {"provider", model::ProviderName(connection.provider)},
                     // The field's first name, kept for clients written against it.
                     {"edition", model::ProviderName(connection.provider)},
                     {"url", connection.url},
                     {"connected", item.connected},
                     {"checked_at", TimeOrNull(connection.checked_at)},
                     {"selected_repositories", item.selected_repositories},
                     {"last_sync_at", TimeOrNull(item.last_sync_at)},
                     // Deliveries are not tied to projects: only a token of every project sees
                     // them.
                     {"last_webhook", LastDeliveryJson(item.last_delivery)},
                     {"incident_tool", IncidentToolJson(item.incident_tool)},
                     // Repositories whose pull-request feedback the host refused (a 403).
                     {"feedback_refused", FeedbackRefusedJson(item.feedback_refused)}});
  }
  // The poll syncs every project's repositories: like deliveries, only for every project.
  return Json(ordered_json{
      {"connections", std::move(items)},
      {"reconciliation",
       status->every_project ? ReconciliationJson(context.reconciliation()) : ordered_json()}});
}

}  // namespace

void AddCatalogRoutes(HttpServer& server, ApiContext& context) {
  AddReadRoute(server, context, "/v1/projects", Projects);
  AddReadRoute(server, context, "/v1/teams", Teams);
  // Every provider's connections; the first path, from when only Bitbucket connected, stays.
  AddReadRoute(server, context, "/v1/integrations", Integrations);
  AddReadRoute(server, context, "/v1/integrations/bitbucket", Integrations);
}

}  // namespace leadline::api
