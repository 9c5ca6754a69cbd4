#include "api/access_gate.h"

#include <cstdio>

#include "api/responses.h"

namespace leadline::api {

RouteHandler Guarded(ApiContext& context, std::string scope, GuardedHandler handler) {
  return [&context, scope = std::move(scope),
          handler = std::move(handler)](const HttpRequest& request) {
    const common::UnixSeconds now = context.now();
    std::string refusal;
    auto principal = context.store.With([&](store::Store& store)
                                            -> common::Result<auth::Principal> {
      LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::ApiToken> tokens, store.LoadApiTokens());
      LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Project> projects, store.LoadProjects());
      return auth::Authenticate(request.Header("authorization"), tokens, projects, now, &refusal);
    });
    HttpResponse response;
    if (!principal.ok()) {
      response = StatusResponse(principal.status());
      response.headers.emplace_back("WWW-Authenticate", "Bearer");
      response.refusal = refusal.empty() ? "unavailable" : refusal;
      context.refused(request, response);
      return response;
    }
    if (!principal->Has(scope)) {
      response = ErrorResponse(
          403, "the token '" + principal->token_name + "' lacks the scope '" + scope + "'");
      response.refusal = "missing_scope";
    } else {
      response = handler(request, *principal);
    }
    // The audit entry must not be lost silently, but an answer is owed either way.
    const common::Status written = context.store.With([&](store::Store& store) {
      const common::Status appended = store.AppendAudit(
          {{now, principal->token_name, request.method, request.path, response.status}});
      if (appended.ok()) (void)store.TouchApiToken(principal->token_id, now);
      return appended;
    });
    if (!written.ok()) response = StatusResponse(written);
    return response;
  };
}

void AuditCall(ApiContext& context, const HttpRequest& request, const std::string& who,
               int status) {
  const common::Status written = context.store.With([&](store::Store& store) {
    return store.AppendAudit({{context.now(), who, request.method, request.path, status}});
  });
  if (!written.ok()) {
    std::fprintf(stderr, "leadline: error: auditing %s %s: %s\n", request.method.c_str(),
                 request.path.c_str(), written.message().c_str());
  }
}

}  // namespace leadline::api
