#include "api/graphql/request.h"

#include "api/graphql/coercion.h"
#include "api/graphql/validation.h"

namespace leadline::graphql {

Response ExecuteRequest(const Schema& schema, Resolver& resolver, const Request& request,
                        const RequestOptions& options, const ObjectHandle& root) {
  Response response;
  ParseResult parsed = ParseDocument(request.query, options.parse);
  if (!parsed.ok()) {
    response.errors.push_back(std::move(*parsed.error));
    return response;
  }
  const Document& document = parsed.document;
  if (auto error = CheckFragmentNesting(document, options.parse.max_nesting)) {
    response.errors.push_back(std::move(*error));
    return response;
  }
  if (request.variables.kind != Value::Kind::kObject && !request.variables.is_null()) {
    response.errors.push_back(
        {"Variables must be provided as an Object where each property is a "
         "variable value.",
         {},
         {},
         kBadUserInput});
    return response;
  }
  // The limits come before validation (whose overlapping-fields rule is the costly part) and
  // see the raw variables: `first: $n` counts with the value asked for.
  response.errors = CheckLimits(schema, document, request.variables, options.limits);
  if (!response.errors.empty()) return response;
  if (options.validate) {
    response.errors = Validate(schema, document);
    if (!response.errors.empty()) return response;
  }
  Error error;
  const DefinitionNode* operation = SelectOperation(document, request.operation_name, &error);
  if (operation == nullptr) {
    response.errors.push_back(std::move(error));
    return response;
  }
  return Execute(schema, document, *operation, request.variables, resolver, root);
}

}  // namespace leadline::graphql
