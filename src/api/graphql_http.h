// GraphQL over HTTP, as the GraphQL-over-HTTP specification says: the request's parameters from
// a GET's query string or a POST's JSON body (`application/json`), the answer's media type from
// Accept (`application/graphql-response+json` when the client lists it, else `application/json`)
// and its status code. A request that is not a GraphQL request (a body that is not a JSON object,
// no `query`, `variables` that are not an object, another content type, a mutation over GET, an
// Accept that allows neither media type) is answered 400, 405, 406 or 415 with a GraphQL-shaped
// `{"errors": [{"message": ...}]}` that says what to send instead. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "api/graphql/executor.h"
#include "api/graphql/request.h"
#include "api/http_types.h"

namespace leadline::api {

inline constexpr char kGraphqlResponseJson[] = "application/graphql-response+json";

struct GraphqlCall {
  graphql::Request request;  // its query empty when the call sent none (a persisted query's hash)
  bool has_query = true;
  // `extensions.persistedQuery.sha256Hash` (api/persisted_queries.h), when the call names one.
  std::optional<std::string> persisted_hash;
  // Whether to answer as application/graphql-response+json (else application/json).
  bool graphql_response_json = false;
};

// The call a GET or POST /graphql makes, or the answer refusing it.
std::variant<GraphqlCall, HttpResponse> ReadGraphqlCall(const HttpRequest& request);

// The executed request as the HTTP answer: with application/graphql-response+json, a request
// error (no `data`: parse, validation, limits, variables) is a 400; otherwise 200.
HttpResponse GraphqlAnswer(const graphql::Response& response, bool graphql_response_json);

// A request error in GraphQL's shape, with the given status (and extensions.code when not empty).
HttpResponse GraphqlRequestError(int status, const std::string& message, bool graphql_response_json,
                                 const std::string& code = "");

}  // namespace leadline::api
