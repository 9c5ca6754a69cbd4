// Input coercion as the specification defines it (sections 3.x "Input Coercion", 5.6 and 6.1.2):
// literals of the document and JSON variables of the request become Values of an input type, or
// an error saying why they cannot. Also prints values the way graphql-js prints them (default
// values in introspection, values in error messages). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "api/graphql/ast.h"
#include "api/graphql/error.h"
#include "api/graphql/schema.h"
#include "api/graphql/value.h"

namespace leadline::graphql {

// The coerced value of a literal for `type` (graphql-js valueFromAST). `variables` is an object
// of coerced variable values; a variable absent from it counts as not provided. Returns nullopt
// when the literal is not valid for the type, and *absent = true (with nullopt) when the
// literal is a variable that was not provided.
std::optional<Value> ValueFromLiteral(const ValueNode& literal, const Type* type,
                                      const Value* variables, bool* absent = nullptr);

// Coerces the JSON value of variable `name` to `type`; on failure appends a message for each
// problem ("Variable \"$a\" got invalid value \"x\"; Int cannot represent non-integer value").
std::optional<Value> CoerceInputValue(const Value& input, const Type* type, const std::string& name,
                                      std::vector<std::string>* problems);

// The coerced variables of an operation from the request's raw variables (an object or null),
// or the request errors saying which variable is wrong.
struct CoercedVariables {
  Value values = Value::Object();
  std::vector<Error> errors;
};
CoercedVariables CoerceVariableValues(const Schema& schema, const Document& document,
                                      const DefinitionNode& operation, const Value& raw,
                                      TypeArena& arena);

// The coerced arguments of a field or directive. On failure returns nullopt and sets *error.
std::optional<Value> CoerceArgumentValues(const std::vector<InputValue>& definitions,
                                          const std::vector<ArgumentNode>& arguments,
                                          const Value& variables, std::string* error);

// A literal as graphql-js prints it: "[1, 2]", "{a: \"x\"}", "$v".
std::string PrintValueNode(const ValueNode& value);
// A coerced value as a literal of its type (graphql-js print(astFromValue())); nullopt when it
// has no literal form.
std::optional<std::string> PrintValue(const Value& value, const Type* type);
// A JavaScript-like rendering of a JSON value for messages (graphql-js inspect()).
std::string InspectValue(const Value& value);

}  // namespace leadline::graphql
