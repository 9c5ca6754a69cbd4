#include "api/graphql_routes.h"

#include "api/access_gate.h"
#include "api/graphql_http.h"
#include "api/graphql_resolver.h"
#include "api/leadline_sdl.h"
#include "api/persisted_queries.h"
#include "api/responses.h"

namespace leadline::api {
namespace {

HttpResponse Answer(ApiContext& context, const HttpRequest& request,
                    const auth::Principal& principal) {
  auto read = ReadGraphqlCall(request);
  if (HttpResponse* refused = std::get_if<HttpResponse>(&read)) return std::move(*refused);
  GraphqlCall& call = std::get<GraphqlCall>(read);
  if (context.persisted_queries != nullptr) {
    PersistedQueryError error;
    std::optional<std::string> document = context.persisted_queries->Resolve(
        call.has_query ? std::optional<std::string>(call.request.query) : std::nullopt,
        call.persisted_hash, &error);
    if (!document) {
      // Not found is what a client asks again after (with the document): no request error.
      const bool retry = error.code == "PERSISTED_QUERY_NOT_FOUND";
      return GraphqlRequestError(retry && !call.graphql_response_json ? 200 : 400, error.message,
                                 call.graphql_response_json, error.code);
    }
    call.request.query = std::move(*document);
  } else if (!call.has_query) {
    return GraphqlRequestError(400, "this server keeps no persisted queries: send the document",
                               call.graphql_response_json, "PERSISTED_QUERY_NOT_SUPPORTED");
  }
  auto view = context.view();
  if (!view.ok()) {
    return GraphqlRequestError(HttpStatusOf(view.status()), view.status().message(),
                               call.graphql_response_json);
  }
  GraphqlSources sources;
  sources.integrations = [&context](const auth::Principal& caller) {
    return context.store.With([&](store::Store& store) {
      return query::LoadIntegrationStatus(store, caller, context.configured_services);
    });
  };
  sources.reconciliation = context.reconciliation;
  LeadlineResolver resolver(*view, principal, context.now(),
                            LeadlineResolver::Clock::now() + kGraphqlDeadline, kGraphqlDeadline,
                            std::move(sources));
  return GraphqlAnswer(
      graphql::ExecuteRequest(LeadlineSchema(), resolver, call.request, LeadlineRequestOptions()),
      call.graphql_response_json);
}

}  // namespace

void AddGraphqlRoutes(HttpServer& server, ApiContext& context) {
  (void)LeadlineSchema();  // built before the first request
  for (const char* method : {"GET", "POST"}) {
    server.Route(method, "/graphql",
                 Guarded(context, "read",
                         [&context](const HttpRequest& request, const auth::Principal& principal) {
                           return Answer(context, request, principal);
                         }));
  }
  server.Route("GET", "/graphql/schema.graphql",
               Guarded(context, "read", [](const HttpRequest&, const auth::Principal&) {
                 HttpResponse response;
                 response.content_type = "text/plain; charset=utf-8";
                 response.body = std::string(LeadlineSdl());
                 return response;
               }));
}

}  // namespace leadline::api
