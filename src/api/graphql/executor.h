// Executes a validated operation (specification section 6) breadth-first: each level of the
// query is resolved with one Resolver call per field and place, for all parent objects at once.
// The response is the same as the specification's depth-first algorithm gives: values are
// completed and coerced per the field types, a field error nulls the field or, for a non-null
// field, the nearest nullable parent, and errors that a depth-first execution would never have
// reached (inside a subtree already abandoned) are dropped, so errors, their paths and their
// order match graphql-js. Thread-safe as long as the resolver is; one call per request.
#pragma once

#include <string_view>
#include <vector>

#include "api/graphql/error.h"
#include "api/graphql/resolver.h"

namespace leadline::graphql {

struct Response {
  bool has_data = false;  // false for request errors (parse, validation, variables)
  Value data;
  std::vector<Error> errors;
};

// {"errors":[...],"data":...} with members in the order the query asked for them.
std::string ResponseToJson(const Response& response);

// The operation to run: the one named, or the only one. nullptr with *error set otherwise.
const DefinitionNode* SelectOperation(const Document& document, std::string_view operation_name,
                                      Error* error);

// Coerces the raw variables (a JSON object or null) and executes the operation against `root`.
Response Execute(const Schema& schema, const Document& document, const DefinitionNode& operation,
                 const Value& raw_variables, Resolver& resolver, const ObjectHandle& root = {});

}  // namespace leadline::graphql
