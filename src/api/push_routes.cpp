#include "api/push_routes.h"

#include <nlohmann/json.hpp>
#include <optional>

#include "api/access_gate.h"
#include "api/responses.h"
#include "common/text.h"
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

// A CI job's token writes only the repository it runs for: an item naming another is a 403 that
// says so (an API token's scope answers 404, as for anything it cannot see).
template <typename Items, typename RepositoryOf>
std::optional<HttpResponse> OutsideTheJobsRepository(const auth::Principal& principal,
                                                     const Items& items, const char* what,
                                                     RepositoryOf repository_of) {
  if (!principal.ci_repository) return std::nullopt;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string& named = repository_of(items[i]);
    if (named != *principal.ci_repository) {
      return ErrorResponse(403, std::string(what) + "[" + std::to_string(i) +
                                    "].repository: the CI job's token may write only '" +
                                    *principal.ci_repository + "', the job's project, not '" +
                                    named + "'");
    }
  }
  return std::nullopt;
}

HttpResponse PushDeployments(ApiContext& context, const HttpRequest& request,
                             const auth::Principal& principal) {
  const sources::ParsedDeployments parsed =
      sources::ReadDeployments(request.body, sources::kMaxPushedItems);
  if (!parsed.errors.empty()) return FieldErrorsResponse(parsed.errors);
  if (auto refused = OutsideTheJobsRepository(
          principal, parsed.deployments, "deployments",
          [](const sources::PushedDeployment& d) -> const std::string& { return d.repository; })) {
    return *refused;
  }
  // ... and, where its token names the environment it deploys to, only to that one.
  for (std::size_t i = 0; principal.ci_environment && i < parsed.deployments.size(); ++i) {
    const std::string named = parsed.deployments[i].deployment.environment_name.value_or("");
    if (!common::EqualsIgnoringCase(named, *principal.ci_environment)) {
      return ErrorResponse(403, "deployments[" + std::to_string(i) +
                                    "].environment: the CI job deploys to '" +
                                    *principal.ci_environment + "', not to '" + named + "'");
    }
  }
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
  if (auto refused = OutsideTheJobsRepository(
          principal, parsed.incidents, "incidents",
          [](const model::Incident& i) -> const std::string& { return i.repository; })) {
    return *refused;
  }
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
  server.Route(
      "POST", "/v1/deployments",
      GuardedWithCi(context, "write:events", /*incidents=*/false,
                    [&context](const HttpRequest& request, const auth::Principal& principal) {
                      return PushDeployments(context, request, principal);
                    }),
      RouteOptions{.accepts_gzip = true});
  server.Route(
      "POST", "/v1/incidents",
      GuardedWithCi(context, "write:events", /*incidents=*/true,
                    [&context](const HttpRequest& request, const auth::Principal& principal) {
                      return PushIncidents(context, request, principal);
                    }),
      RouteOptions{.accepts_gzip = true});
}

}  // namespace leadline::api
