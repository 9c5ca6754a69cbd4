#include "api/catalog_routes.h"

#include <algorithm>

#include "api/metrics_json.h"
#include "api/read_helpers.h"
#include "common/time.h"
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
  // Applied outcomes read "applied: synced acme/api": the kind, then what happened.
  std::string outcome = delivery->applied_at ? delivery->outcome : "pending";
  std::string detail;
  if (const std::size_t colon = outcome.find(": "); colon != std::string::npos) {
    detail = outcome.substr(colon + 2);
    outcome.resize(colon);
  }
  return {{"received_at", common::FormatRfc3339(delivery->received_at)},
          {"event", delivery->event_key},
          {"outcome", outcome},
          {"detail", detail}};
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

HttpResponse Integrations(ApiContext& context, const HttpRequest&,
                          const auth::Principal& principal) {
  const bool every_project = !principal.repositories.has_value();
  auto answer = context.store.With([&](store::Store& store) -> common::Result<ordered_json> {
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Connection> connections,
                              store.LoadConnections());
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repositories,
                              store.LoadConnectedRepositories());
    ordered_json items = ordered_json::array();
    for (const model::Connection& connection : connections) {
      std::size_t seen = 0;
      std::size_t selected = 0;
      std::optional<common::UnixSeconds> last_sync;
      for (const model::Repository& repo : repositories) {
        if (repo.connection_id != connection.id || !principal.MaySee(repo.id)) continue;
        ++seen;
        if (!repo.selected) continue;
        ++selected;
        if (repo.synced_at) last_sync = std::max(last_sync.value_or(0), *repo.synced_at);
      }
      // A token limited to some projects learns nothing of a connection it sees none of.
      if (!every_project && seen == 0) continue;
      ordered_json item = {{"id", connection.id},
                           {"name", connection.name},
                           {"provider", model::ProviderName(connection.provider)},
                           // The field's first name, kept for clients written against it.
                           {"edition", model::ProviderName(connection.provider)},
                           {"url", connection.url},
                           {"connected", connection.check_outcome.starts_with("ok")},
                           {"checked_at", TimeOrNull(connection.checked_at)},
                           {"selected_repositories", selected},
                           {"last_sync_at", TimeOrNull(last_sync)},
                           {"last_webhook", nullptr}};
      // Deliveries are not tied to projects: only a token of every project sees them.
      if (every_project) {
        LEADLINE_ASSIGN_OR_RETURN(const auto delivery, store.LastDelivery(connection.id));
        item["last_webhook"] = LastDeliveryJson(delivery);
      }
      items.push_back(std::move(item));
    }
    // The poll syncs every project's repositories: like deliveries, only for every project.
    return ordered_json{
        {"connections", std::move(items)},
        {"reconciliation",
         every_project ? ReconciliationJson(context.reconciliation()) : ordered_json()}};
  });
  if (!answer.ok()) return StatusResponse(answer.status());
  return Json(*answer);
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
