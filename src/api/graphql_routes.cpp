#include "api/graphql_routes.h"

#include "api/access_gate.h"
#include "api/graphql_http.h"
#include "api/graphql_resolver.h"
#include "api/leadline_sdl.h"
#include "api/responses.h"

namespace leadline::api {
namespace {

HttpResponse Answer(ApiContext& context, const HttpRequest& request,
                    const auth::Principal& principal) {
  auto read = ReadGraphqlCall(request);
  if (HttpResponse* refused = std::get_if<HttpResponse>(&read)) return std::move(*refused);
  const GraphqlCall& call = std::get<GraphqlCall>(read);
  auto view = context.view();
  if (!view.ok()) {
    return GraphqlRequestError(HttpStatusOf(view.status()), view.status().message(),
                               call.graphql_response_json);
  }
  LeadlineResolver resolver(*view, principal, context.now(),
                            LeadlineResolver::Clock::now() + kGraphqlDeadline, kGraphqlDeadline);
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
