#include "api/push_routes.h"

#include <map>
#include <nlohmann/json.hpp>

#include "api/access_gate.h"
#include "api/responses.h"
#include "ingest/pushed_deployments.h"
#include "sources/push/incident_json.h"
#include "sources/push/push_limits.h"

namespace leadline::api {
namespace {

HttpResponse Stored(std::size_t received, std::size_t changed) {
  HttpResponse response;
  response.body = nlohmann::json{{"received", received}, {"changed", changed}}.dump() + "\n";
  return response;
}

// The repositories `principal` may see, by location.
common::Result<std::map<std::string, std::int64_t>> VisibleRepositories(
    store::Store& store, const auth::Principal& principal) {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repos,
                            store.LoadConnectedRepositories());
  std::map<std::string, std::int64_t> out;
  for (const model::Repository& repo : repos) {
    if (principal.MaySee(repo.id)) out.emplace(repo.location, repo.id);
  }
  return out;
}

HttpResponse NoRepository(const std::string& location) {
  return ErrorResponse(404, "no repository '" + location + "'");
}

HttpResponse PushDeployments(ApiContext& context, const HttpRequest& request,
                             const auth::Principal& principal) {
  const sources::ParsedDeployments parsed =
      sources::ReadDeployments(request.body, sources::kMaxPushedItems);
  if (!parsed.errors.empty()) return FieldErrorsResponse(parsed.errors);
  return context.store.With([&](store::Store& store) {
    auto visible = VisibleRepositories(store, principal);
    if (!visible.ok()) return StatusResponse(visible.status());
    for (const sources::PushedDeployment& pushed : parsed.deployments) {
      if (!visible->contains(pushed.repository)) return NoRepository(pushed.repository);
    }
    auto stored = ingest::StorePushedDeployments(store, parsed.deployments);
    if (!stored.ok()) return StatusResponse(stored.status());
    if (stored->changed > 0 && context.data_changed) context.data_changed();
    return Stored(stored->read, stored->changed);
  });
}

HttpResponse PushIncidents(ApiContext& context, const HttpRequest& request,
                           const auth::Principal& principal) {
  const sources::ParsedIncidents parsed =
      sources::ReadIncidents(request.body, "api", sources::kMaxPushedItems);
  if (!parsed.errors.empty()) return FieldErrorsResponse(parsed.errors);
  return context.store.With([&](store::Store& store) {
    auto visible = VisibleRepositories(store, principal);
    if (!visible.ok()) return StatusResponse(visible.status());
    for (const model::Incident& incident : parsed.incidents) {
      if (!incident.repository.empty() && !visible->contains(incident.repository)) {
        return NoRepository(incident.repository);
      }
      // A service maps to repositories through settings the token cannot see: only a token for
      // every project may report an incident by service alone.
      if (incident.repository.empty() && principal.repositories) {
        return ErrorResponse(403,
                             "a token scoped to projects must name the incident's "
                             "repository (incident '" +
                                 incident.id + "')");
      }
    }
    store::Transaction transaction(store);
    if (common::Status begun = transaction.Begin(); !begun.ok()) return StatusResponse(begun);
    auto changed = store.UpsertIncidents(parsed.incidents);
    if (!changed.ok()) return StatusResponse(changed.status());
    if (common::Status done = transaction.Commit(); !done.ok()) return StatusResponse(done);
    if (*changed > 0 && context.data_changed) context.data_changed();
    return Stored(parsed.incidents.size(), static_cast<std::size_t>(*changed));
  });
}

}  // namespace

void AddPushRoutes(HttpServer& server, ApiContext& context) {
  server.Route("POST", "/v1/deployments",
               Guarded(context, "write:events",
                       [&context](const HttpRequest& request, const auth::Principal& principal) {
                         return PushDeployments(context, request, principal);
                       }));
  server.Route("POST", "/v1/incidents",
               Guarded(context, "write:events",
                       [&context](const HttpRequest& request, const auth::Principal& principal) {
                         return PushIncidents(context, request, principal);
                       }));
}

}  // namespace leadline::api
