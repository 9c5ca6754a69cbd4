#include "api/admin_connection_routes.h"

#include <nlohmann/json.hpp>

#include "api/admin_common.h"
#include "api/connection_admin.h"
#include "api/responses.h"
#include "model/provider.h"

namespace leadline::api {
namespace {

using admin::Json;
using admin::ObjectBody;
using admin::String;
using admin::Strings;
using admin::Time;
using nlohmann::json;

constexpr std::string_view kServicesPrefix = "/v1/admin/services/";
constexpr std::size_t kMostFieldBytes = 8192;  // a token's length, bounded as in the CLI
constexpr std::size_t kMostPatterns = 100;
constexpr std::size_t kMostCounts = 20;
constexpr std::size_t kMostPatternBytes = 200;

// An error from work that asked an upstream: the upstream's refusal is not the caller's (a 401
// here would tell the dashboard its own session ended), so it is a 422 that says what happened,
// and an upstream that does not answer a 502.
HttpResponse UpstreamErrorResponse(const common::Status& status) {
  switch (status.code()) {
    case common::StatusCode::kUnauthenticated:
    case common::StatusCode::kPermissionDenied:
      return ErrorResponse(422, "the upstream refused: " + status.message());
    case common::StatusCode::kUnavailable:
      return ErrorResponse(502, "the upstream did not answer: " + status.message());
    default:
      return StatusResponse(status);
  }
}

json ConnectionJson(const model::Connection& connection) {
  return {{"id", connection.id},
          {"name", connection.name},
          {"provider", model::ProviderName(connection.provider)},
          {"url", connection.url},
          {"workspace", connection.workspace},
          {"auth", model::AuthMethodName(connection.auth)},
          {"username", connection.username},
          {"checked_at", Time(connection.checked_at)},
          {"check_outcome", connection.check_outcome},
          {"webhook_path", "/v1/webhooks/" + std::to_string(connection.id)}};
}

json CheckedJson(const CheckedConnection& checked) {
  json out = ConnectionJson(checked.connection);
  out["ok"] = checked.status.ok();
  if (checked.status.ok()) {
    out["check"] = checked.described;
  } else {
    out["error"] = checked.status.message();
  }
  if (!checked.warning.empty()) out["warning"] = checked.warning;
  if (model::IsIncidentTool(checked.connection.provider) && !checked.counts.empty()) {
    out["services"] = checked.services;
    out["counts"] = checked.counts;
  }
  return out;
}

json RepositoryJson(const model::Repository& repository) {
  return {{"repository", repository.location},
          {"connection_id", repository.connection_id},
          {"source", repository.source},
          {"default_branch", repository.default_branch},
          {"selected", repository.selected},
          {"visible", repository.visible},
          {"synced_at", Time(repository.synced_at)}};
}

json MappingJson(const ServiceMapping& mapping) {
  return {{"connection", mapping.connection}, {"id", mapping.service.id},
          {"name", mapping.service.name},     {"repositories", mapping.service.repos},
          {"configured", mapping.configured}, {"incidents", mapping.incidents}};
}

bool Refresh(const HttpRequest& request) { return request.Query("refresh") == "true"; }

HttpResponse ListConnections(ApiContext& context) {
  auto connections =
      context.store.With([](store::Store& store) { return store.connections().LoadConnections(); });
  if (!connections.ok()) return StatusResponse(connections.status());
  json items = json::array();
  for (const model::Connection& connection : *connections) {
    items.push_back(ConnectionJson(connection));
  }
  return Json(200, {{"items", items}});
}

// The body of POST /v1/admin/connections as a new connection, or a 400 naming the field.
common::Result<NewConnection> NewConnectionFrom(const json& body) {
  NewConnection out;
  LEADLINE_ASSIGN_OR_RETURN(const std::string provider, String(body, "provider", 64));
  const std::optional<model::Provider> parsed = model::ParseProvider(provider);
  if (!parsed || !model::IsConnectable(*parsed)) {
    return common::Status::InvalidArgument(
        "'provider' must be one of bitbucket-cloud, bitbucket-dc, gitlab, pagerduty, incidentio, "
        "jsm, opsgenie");
  }
  sources::ConnectionRequest& request = out.request;
  request.provider = *parsed;
  const std::pair<const char*, std::string*> fields[] = {{"url", &request.url},
                                                         {"workspace", &request.workspace},
                                                         {"email", &request.email},
                                                         {"token", &request.token},
                                                         {"access_token", &request.access_token},
                                                         {"username", &request.username},
                                                         {"app_password", &request.app_password},
                                                         {"webhook_secret", &out.webhook_secret}};
  for (const auto& [key, value] : fields) {
    LEADLINE_ASSIGN_OR_RETURN(*value, String(body, key, kMostFieldBytes));
  }
  LEADLINE_ASSIGN_OR_RETURN(out.counts, Strings(body, "counts", kMostCounts));
  // Said before anything is asked of the upstream.
  LEADLINE_RETURN_IF_ERROR(sources::SettingsFrom(request, sources::kJsonNames).status());
  return out;
}

HttpResponse CreateConnection(ConnectionAdmin& admin, const HttpRequest& request) {
  auto body = ObjectBody(request);
  if (!body.ok()) return StatusResponse(body.status());
  auto connection = NewConnectionFrom(*body);
  if (!connection.ok()) return StatusResponse(connection.status());
  auto connected = admin.Connect(*connection);
  if (!connected.ok()) return UpstreamErrorResponse(connected.status());
  return Json(201, CheckedJson(*connected));
}

HttpResponse CheckConnections(ConnectionAdmin& admin) {
  auto checked = admin.CheckAll();
  if (!checked.ok()) return UpstreamErrorResponse(checked.status());
  json items = json::array();
  for (const CheckedConnection& one : *checked) items.push_back(CheckedJson(one));
  return Json(200, {{"items", items}});
}

HttpResponse ListRepositories(ConnectionAdmin& admin, const HttpRequest& request) {
  auto repositories = admin.Repositories(Refresh(request));
  if (!repositories.ok()) return UpstreamErrorResponse(repositories.status());
  json items = json::array();
  for (const model::Repository& repository : *repositories) {
    items.push_back(RepositoryJson(repository));
  }
  return Json(200, {{"items", items}});
}

HttpResponse ChangeSelection(ApiContext& context, ConnectionAdmin& admin,
                             const HttpRequest& request, bool selected) {
  auto body = ObjectBody(request);
  if (!body.ok()) return StatusResponse(body.status());
  auto patterns = Strings(*body, "patterns", kMostPatterns);
  if (!patterns.ok()) return StatusResponse(patterns.status());
  if (patterns->empty()) {
    return ErrorResponse(400, "'patterns' must name at least one pattern, e.g. \"acme/*\"");
  }
  for (const std::string& pattern : *patterns) {
    if (pattern.size() > kMostPatternBytes) {
      return ErrorResponse(400, "each pattern must be at most 200 bytes");
    }
  }
  auto changed = admin.Select(*patterns, selected);
  if (!changed.ok()) return UpstreamErrorResponse(changed.status());
  json items = json::array();
  for (const SelectionChange& change : *changed) {
    json item = RepositoryJson(change.repository);
    json webhook = {{"ok", change.webhook.ok()}};
    if (!change.webhook.ok()) webhook["error"] = change.webhook.message();
    if (!change.hook_url.empty()) webhook["url"] = change.hook_url;
    item["webhook"] = webhook;
    items.push_back(item);
  }
  if (!changed->empty() && context.data_changed) context.data_changed();
  return Json(200, {{"changed", items}});
}

HttpResponse ListServices(ConnectionAdmin& admin, const HttpRequest& request) {
  auto services = admin.Services(Refresh(request));
  if (!services.ok()) return UpstreamErrorResponse(services.status());
  json items = json::array();
  for (const ServiceMapping& mapping : *services) items.push_back(MappingJson(mapping));
  return Json(200, {{"items", items}});
}

HttpResponse MapService(ApiContext& context, ConnectionAdmin& admin, const HttpRequest& request) {
  const std::optional<std::string> service = admin::NameIn(request, kServicesPrefix);
  if (!service) return ErrorResponse(404, "no such service");
  auto body = ObjectBody(request);
  if (!body.ok()) return StatusResponse(body.status());
  auto repositories = String(*body, "repositories", kMostPatternBytes);
  if (!repositories.ok()) return StatusResponse(repositories.status());
  if (repositories->empty()) {
    return ErrorResponse(400,
                         "'repositories' must be a pattern over repository locations, such as "
                         "\"acme/api\" or \"acme/platform/*\"");
  }
  auto mapped = admin.MapService(*service, *repositories);
  if (!mapped.ok()) return StatusResponse(mapped.status());
  if (context.data_changed) context.data_changed();
  return Json(200, MappingJson(*mapped));
}

}  // namespace

void AddAdminConnectionRoutes(HttpServer& server, ApiContext& context) {
  using Answer = std::function<HttpResponse(ConnectionAdmin&, const HttpRequest&)>;
  const auto route = [&](const char* method, const char* path, Answer answer) {
    server.Route(method, path,
                 admin::AdminOnly(context, [&context, answer = std::move(answer)](
                                               const HttpRequest& request, const auth::Principal&) {
                   if (context.connections == nullptr) {
                     return ErrorResponse(503, "this server does not manage connections");
                   }
                   return answer(*context.connections, request);
                 }));
  };
  route("GET", "/v1/admin/connections",
        [&context](ConnectionAdmin&, const HttpRequest&) { return ListConnections(context); });
  route("POST", "/v1/admin/connections", CreateConnection);
  route("POST", "/v1/admin/connections/check",
        [](ConnectionAdmin& admin, const HttpRequest&) { return CheckConnections(admin); });
  route("GET", "/v1/admin/repositories", ListRepositories);
  route("POST", "/v1/admin/repositories/select",
        [&context](ConnectionAdmin& admin, const HttpRequest& request) {
          return ChangeSelection(context, admin, request, true);
        });
  route("POST", "/v1/admin/repositories/deselect",
        [&context](ConnectionAdmin& admin, const HttpRequest& request) {
          return ChangeSelection(context, admin, request, false);
        });
  route("GET", "/v1/admin/services", ListServices);
  route("PUT", "/v1/admin/services/{service}",
        [&context](ConnectionAdmin& admin, const HttpRequest& request) {
          return MapService(context, admin, request);
        });
}

}  // namespace leadline::api
