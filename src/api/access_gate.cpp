#include "api/access_gate.h"

#include <cstdio>
#include <optional>

#include "api/responses.h"
#include "api/session_cookie.h"
#include "auth/ci_trust.h"
#include "auth/oidc_sign_in.h"
#include "auth/person_sessions.h"
#include "common/text.h"

namespace leadline::api {

namespace {

// The secret of the request's session cookie, when people sign in and the request carries no
// Authorization header (a token always wins).
std::optional<std::string> SessionSecret(const ApiContext& context, const HttpRequest& request) {
  if (context.people == nullptr || !request.Header("authorization").empty()) return std::nullopt;
  return CookieValue(request.Header("cookie"),
                     SessionCookieName(context.people->settings().secure()));
}

// A call that changes something on the strength of a cookie must come from the dashboard's own
// origin: SameSite=Lax keeps other sites' cookies out, this keeps sibling hosts out too.
bool FromOwnOrigin(const ApiContext& context, const HttpRequest& request) {
  if (request.method == "GET" || request.method == "HEAD") return true;
  return request.Header("origin") == context.people->settings().origin();
}

}  // namespace

RouteHandler Guarded(ApiContext& context, std::string scope, GuardedHandler handler) {
  return [&context, scope = std::move(scope),
          handler = std::move(handler)](const HttpRequest& request) {
    const common::UnixSeconds now = context.now();
    std::string refusal;
    const std::optional<std::string> session_secret = SessionSecret(context, request);
    auto principal =
        context.store.With([&](store::Store& store) -> common::Result<auth::Principal> {
          LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Project> projects,
                                    store.access().LoadProjects());
          if (session_secret) {
            LEADLINE_ASSIGN_OR_RETURN(
                const std::optional<model::PersonSession> session,
                store.sessions().LoadSession(auth::HashSecret(*session_secret)));
            return auth::AuthenticateSession(session, context.people->settings(), projects, now,
                                             &refusal);
          }
          LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::ApiToken> tokens,
                                    store.access().LoadApiTokens());
          return auth::Authenticate(request.Header("authorization"), tokens, projects, now,
                                    &refusal);
        });
    HttpResponse response;
    if (!principal.ok()) {
      response = StatusResponse(principal.status());
      response.headers.emplace_back("WWW-Authenticate", "Bearer");
      if (session_secret && !refusal.empty()) {
        response.headers.emplace_back("Set-Cookie",
                                      ClearSessionCookie(context.people->settings().secure()));
      }
      response.refusal = refusal.empty() ? "unavailable" : refusal;
      context.refused(request, response);
      return response;
    }
    if (session_secret && !FromOwnOrigin(context, request)) {
      response = ErrorResponse(403, "a signed-in session may change things only from " +
                                        context.people->settings().origin());
      response.refusal = "cross_origin";
    } else if (!principal->Has(scope)) {
      response = ErrorResponse(
          403, session_secret
                   ? principal->token_name + "'s roles do not grant '" + scope + "'"
                   : "the token '" + principal->token_name + "' lacks the scope '" + scope + "'");
      response.refusal = "missing_scope";
    } else {
      response = handler(request, *principal);
    }
    // The audit entry must not be lost silently, but an answer is owed either way.
    const common::Status written = context.store.With([&](store::Store& store) {
      const common::Status appended = store.audit().AppendAudit(
          {{now, principal->token_name, request.method, request.path, response.status}});
      if (!appended.ok()) return appended;
      // Last use is a convenience (and the idle expiry's clock): a failed write costs no answer.
      if (principal->token_id != 0) (void)store.access().TouchApiToken(principal->token_id, now);
      if (principal->session_id != 0 &&
          now - principal->session_last_seen >= auth::kSessionTouchEvery) {
        (void)store.sessions().TouchSession(principal->session_id, now);
      }
      return appended;
    });
    if (!written.ok()) response = StatusResponse(written);
    return response;
  };
}

namespace {

// The principal of a CI job: the one repository it may write, and the environment it deploys
// to when known.
auth::Principal CiPrincipalFor(const auth::CiIdentity& ci, const model::Repository& repo,
                               const std::string& environment) {
  auth::Principal principal;
  principal.token_name = ci.AuditName();
  principal.scopes = {"write:events"};
  principal.repositories = std::set<std::int64_t>{repo.id};
  principal.ci_repository = repo.location;
  if (!environment.empty()) principal.ci_environment = environment;
  return principal;
}

// The name of a Bitbucket deployment step's environment, as the repository's sync stored it (""
// when the step names none, or one not stored yet), which must be one the rule names, by name
// or type, when it names any.
common::Result<std::string> StepEnvironment(store::Store& store, const auth::CiIdentity& ci,
                                            const model::Repository& repo) {
  if (ci.environment_uuid.empty()) return std::string();
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Environment> environments,
                            store.pipelines().LoadEnvironments(repo.id));
  for (const model::Environment& environment : environments) {
    if (!common::EqualsIgnoringCase(environment.uuid, ci.environment_uuid)) continue;
    if (ci.environments_to_check.empty()) return environment.name;
    for (const std::string& allowed : ci.environments_to_check) {
      if (common::EqualsIgnoringCase(allowed, environment.name) ||
          common::EqualsIgnoringCase(allowed, model::EnvironmentTypeName(environment.type))) {
        return environment.name;
      }
    }
    return common::Status::PermissionDenied("the CI step deploys to '" + environment.name +
                                            "', which the trust rule for " + ci.issuer +
                                            " does not allow");
  }
  if (ci.environments_to_check.empty()) return std::string();
  return common::Status::PermissionDenied("the CI step's deployment environment " +
                                          ci.environment_uuid + " is not one " + repo.location +
                                          " is known to have (a sync reads its environments)");
}

// The connected repository the identity speaks for: GitLab, the project's path on a connection
// to the token's instance; Bitbucket, the repository with the token's uuid.
common::Result<auth::Principal> CiPrincipal(store::Store& store, const auth::CiIdentity& ci) {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Connection> connections,
                            store.connections().LoadConnections());
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repositories,
                            store.repositories().LoadConnectedRepositories());
  const bool bitbucket = ci.provider == "bitbucket";
  for (const model::Repository& repo : repositories) {
    if (bitbucket ? !common::EqualsIgnoringCase(repo.upstream_id, ci.project)
                  : repo.location != ci.project) {
      continue;
    }
    for (const model::Connection& connection : connections) {
      if (connection.id != repo.connection_id) continue;
      if (bitbucket && connection.provider == model::Provider::kBitbucketCloud) {
        LEADLINE_ASSIGN_OR_RETURN(const std::string environment, StepEnvironment(store, ci, repo));
        return CiPrincipalFor(ci, repo, environment);
      }
      if (!bitbucket && connection.provider == model::Provider::kGitLab &&
          common::WithoutTrailingSlashes(connection.url) ==
              common::WithoutTrailingSlashes(ci.issuer)) {
        return CiPrincipalFor(ci, repo, ci.environment);
      }
    }
  }
  if (bitbucket) {
    return common::Status::PermissionDenied(
        "the CI step's repository " + ci.project +
        " is not a repository of a Bitbucket Cloud connection (`leadline repos list` lists "
        "them, and reads their uuids)");
  }
  return common::Status::PermissionDenied("the CI job's project '" + ci.project +
                                          "' is not a repository of a GitLab connection to " +
                                          ci.issuer + " (`leadline repos list` shows them)");
}

}  // namespace

RouteHandler GuardedWithCi(ApiContext& context, std::string scope, bool incidents,
                           GuardedHandler handler) {
  RouteHandler by_token = Guarded(context, scope, handler);
  return [&context, incidents, handler = std::move(handler),
          by_token = std::move(by_token)](const HttpRequest& request) {
    const std::string header = request.Header("authorization");
    constexpr std::string_view kBearer = "Bearer ";
    const std::string_view bearer =
        header.starts_with(kBearer) ? std::string_view(header).substr(kBearer.size()) : "";
    if (context.ci_trust == nullptr || context.ci_trust->empty() || !auth::LooksLikeJwt(bearer)) {
      return by_token(request);
    }
    const common::UnixSeconds now = context.now();
    std::optional<auth::CiIdentity> verified;
    common::Result<auth::Principal> principal = [&]() -> common::Result<auth::Principal> {
      LEADLINE_ASSIGN_OR_RETURN(const auth::CiIdentity ci, context.ci_trust->Verify(bearer, now));
      verified = ci;
      if (incidents && !ci.allow_incidents) {
        return common::Status::PermissionDenied("the trust rule for " + ci.issuer +
                                                " does not let CI jobs push incidents "
                                                "(allow_incidents)");
      }
      return context.store.With([&](store::Store& store) { return CiPrincipal(store, ci); });
    }();
    HttpResponse response;
    if (!principal.ok()) {
      response = StatusResponse(principal.status());
      if (response.status >= 500 && verified) context.ci_trust->Release(*verified);
      if (response.status == 401) response.headers.emplace_back("WWW-Authenticate", "Bearer");
      response.refusal = response.status >= 500 ? "unavailable"
                         : principal.status().code() == common::StatusCode::kPermissionDenied
                             ? "ci_rule"
                             : "ci_token";
      context.refused(request, response);
      return response;
    }
    response = handler(request, *principal);
    const common::Status written = context.store.With([&](store::Store& store) {
      return store.audit().AppendAudit(
          {{now, principal->token_name, request.method, request.path, response.status}});
    });
    if (!written.ok()) response = StatusResponse(written);
    // Nothing was stored or done (a 429 turned the call away before it ran): the job may send
    // the same token again.
    if (response.status >= 500 || response.status == 429) context.ci_trust->Release(*verified);
    return response;
  };
}

void AuditCall(ApiContext& context, const HttpRequest& request, const std::string& who,
               int status) {
  const common::Status written = context.store.With([&](store::Store& store) {
    return store.audit().AppendAudit({{context.now(), who, request.method, request.path, status}});
  });
  if (!written.ok()) {
    std::fprintf(stderr, "leadline: error: auditing %s %s: %s\n", request.method.c_str(),
                 request.path.c_str(), written.message().c_str());
  }
}

}  // namespace leadline::api
