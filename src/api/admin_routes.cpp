#include "api/admin_routes.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "api/access_gate.h"
#include "api/admin_common.h"
#include "api/admin_connection_routes.h"
#include "api/responses.h"
#include "auth/access_rules.h"
#include "auth/api_tokens.h"

namespace leadline::api {
namespace {

using admin::AdminOnly;
using admin::Json;
using admin::NameIn;
using admin::ObjectBody;
using admin::Strings;
using admin::Time;
using nlohmann::json;

constexpr std::string_view kTokensPrefix = "/v1/admin/tokens/";
constexpr std::string_view kProjectsPrefix = "/v1/admin/projects/";
constexpr std::string_view kSessionsPrefix = "/v1/admin/sessions/";

json TokenJson(const model::ApiToken& token) {
  return {{"name", token.name},
          {"scopes", token.scopes},
          {"projects", token.projects},
          {"created_at", Time(token.created_at)},
          {"expires_at", Time(token.expires_at)},
          {"revoked_at", Time(token.revoked_at)},
          {"last_used_at", Time(token.last_used_at)}};
}

HttpResponse ListTokens(ApiContext& context) {
  auto tokens =
      context.store.With([](store::Store& store) { return store.access().LoadApiTokens(); });
  if (!tokens.ok()) return StatusResponse(tokens.status());
  json items = json::array();
  for (const model::ApiToken& token : *tokens) items.push_back(TokenJson(token));
  return Json(200, {{"items", items}});
}

HttpResponse CreateToken(ApiContext& context, const HttpRequest& request) {
  auto body = ObjectBody(request);
  if (!body.ok()) return StatusResponse(body.status());
  const auto name = body->find("name");
  if (name == body->end() || !name->is_string() ||
      name->get<std::string>().size() > admin::kMostNameBytes) {
    return ErrorResponse(400, "'name' must be a string of at most 100 bytes");
  }
  auto scopes = Strings(*body, "scopes");
  if (!scopes.ok()) return StatusResponse(scopes.status());
  auto projects = Strings(*body, "projects");
  if (!projects.ok()) return StatusResponse(projects.status());
  std::optional<common::Seconds> expires_in;
  if (const auto days = body->find("expires_in_days"); days != body->end() && !days->is_null()) {
    if (!days->is_number_integer() || days->get<std::int64_t>() < 1 ||
        days->get<std::int64_t>() > 3650) {
      return ErrorResponse(400, "'expires_in_days' must be a whole number from 1 to 3650");
    }
    expires_in = days->get<std::int64_t>() * common::kDay;
  }
  const common::UnixSeconds now = context.now();
  auto minted = context.store.With([&](store::Store& store) -> common::Result<auth::MintedToken> {
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Project> known,
                              store.access().LoadProjects());
    LEADLINE_ASSIGN_OR_RETURN(auth::MintedToken token,
                              auth::MintToken(name->get<std::string>(), *scopes, *projects,
                                              auth::ProjectNames(known), expires_in, now));
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::ApiToken> tokens,
                              store.access().LoadApiTokens());
    LEADLINE_RETURN_IF_ERROR(auth::CheckTokenNameFree(token.token.name, tokens));
    LEADLINE_ASSIGN_OR_RETURN(token.token.id, store.access().InsertApiToken(token.token));
    return token;
  });
  if (!minted.ok()) return StatusResponse(minted.status());
  json answer = TokenJson(minted->token);
  answer["secret"] = minted->secret;  // shown this once
  return Json(201, answer);
}

HttpResponse RevokeToken(ApiContext& context, const HttpRequest& request) {
  const std::optional<std::string> name = NameIn(request, kTokensPrefix);
  if (!name) return ErrorResponse(404, "no such token");
  auto revoked = context.store.With(
      [&](store::Store& store) { return store.access().RevokeApiToken(*name, context.now()); });
  if (!revoked.ok()) return StatusResponse(revoked.status());
  if (!*revoked) return ErrorResponse(404, "no live token '" + *name + "'");
  return Json(200, {{"revoked", *name}});
}

HttpResponse SaveProject(ApiContext& context, const HttpRequest& request) {
  const std::optional<std::string> name = NameIn(request, kProjectsPrefix);
  if (!name) return ErrorResponse(404, "no such project");
  auto body = ObjectBody(request);
  if (!body.ok()) return StatusResponse(body.status());
  auto patterns = Strings(*body, "repositories");
  if (!patterns.ok()) return StatusResponse(patterns.status());
  if (patterns->empty()) {
    return ErrorResponse(400, "'repositories' must name at least one pattern, e.g. \"acme/pay-*\"");
  }
  std::vector<std::string> locations;
  const common::Status saved = context.store.With([&](store::Store& store) -> common::Status {
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repos,
                              store.repositories().LoadConnectedRepositories());
    LEADLINE_ASSIGN_OR_RETURN(const model::Project project,
                              auth::ProjectFromPatterns(*name, *patterns, repos, &locations));
    LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store.Begin());
    LEADLINE_RETURN_IF_ERROR(store.access().SaveProject(project).status());
    return transaction.Commit();
  });
  if (!saved.ok()) return StatusResponse(saved);
  if (context.data_changed) context.data_changed();
  return Json(200, {{"name", *name}, {"repositories", locations}});
}

HttpResponse DeleteProject(ApiContext& context, const HttpRequest& request) {
  const std::optional<std::string> name = NameIn(request, kProjectsPrefix);
  if (!name) return ErrorResponse(404, "no such project");
  const common::Status deleted = context.store.With([&](store::Store& store) -> common::Status {
    LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::ApiToken> tokens,
                              store.access().LoadApiTokens());
    LEADLINE_RETURN_IF_ERROR(auth::CheckProjectDeletable(*name, tokens));
    LEADLINE_ASSIGN_OR_RETURN(const bool found, store.access().DeleteProject(*name));
    if (!found) return common::Status::NotFound("no project '" + *name + "'");
    return common::Status::Ok();
  });
  if (!deleted.ok()) return StatusResponse(deleted);
  if (context.data_changed) context.data_changed();
  return Json(200, {{"deleted", *name}});
}

HttpResponse ListSessions(ApiContext& context) {
  auto sessions = context.store.With(
      [&](store::Store& store) { return store.sessions().LoadSessions(context.now()); });
  if (!sessions.ok()) return StatusResponse(sessions.status());
  json items = json::array();
  for (const model::PersonSession& session : *sessions) {
    items.push_back({{"id", session.id},
                     {"person", session.name},
                     {"subject", session.subject},
                     {"created_at", Time(session.created_at)},
                     {"last_seen_at", Time(session.last_seen_at)},
                     {"expires_at", Time(session.expires_at)},
                     {"revoked_at", Time(session.revoked_at)}});
  }
  return Json(200, {{"items", items}});
}

HttpResponse RevokeSession(ApiContext& context, const HttpRequest& request) {
  const std::string_view text = std::string_view(request.path).substr(kSessionsPrefix.size());
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id <= 0) {
    return ErrorResponse(404, "no such session");
  }
  auto revoked = context.store.With(
      [&](store::Store& store) { return store.sessions().RevokeSessions(id, "", context.now()); });
  if (!revoked.ok()) return StatusResponse(revoked.status());
  if (*revoked == 0) return ErrorResponse(404, "no live session " + std::to_string(id));
  return Json(200, {{"revoked", id}});
}

}  // namespace

void AddAdminRoutes(HttpServer& server, ApiContext& context) {
  const auto route = [&](const char* method, const char* path, auto answer) {
    server.Route(
        method, path,
        AdminOnly(context, [&context, answer](const HttpRequest& request, const auth::Principal&) {
          return answer(context, request);
        }));
  };
  route("GET", "/v1/admin/tokens", [](ApiContext& c, const HttpRequest&) { return ListTokens(c); });
  route("POST", "/v1/admin/tokens", CreateToken);
  route("DELETE", "/v1/admin/tokens/{name}", RevokeToken);
  route("PUT", "/v1/admin/projects/{name}", SaveProject);
  route("DELETE", "/v1/admin/projects/{name}", DeleteProject);
  route("GET", "/v1/admin/sessions",
        [](ApiContext& c, const HttpRequest&) { return ListSessions(c); });
  route("DELETE", "/v1/admin/sessions/{id}", RevokeSession);
  AddAdminConnectionRoutes(server, context);
}

}  // namespace leadline::api
