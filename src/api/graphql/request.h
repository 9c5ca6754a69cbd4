// Runs one GraphQL request from text to response: parse (bounded), validate (the
// specification's rules), check the request limits (depth, aliases, complexity) before anything
// executes, coerce the variables, execute. The one entry point the HTTP route and the tests use.
// Thread-safe when the resolver is; the schema is shared read-only.
#pragma once

#include <string>

#include "api/graphql/executor.h"
#include "api/graphql/limits.h"
#include "api/graphql/parser.h"

namespace leadline::graphql {

struct Request {
  std::string query;
  std::string operation_name;  // empty when the document has one operation
  Value variables = Value::Object();
};

struct RequestOptions {
  ParseLimits parse;
  QueryLimits limits;
  bool validate = true;
};

Response ExecuteRequest(const Schema& schema, Resolver& resolver, const Request& request,
                        const RequestOptions& options = {}, const ObjectHandle& root = {});

}  // namespace leadline::graphql
