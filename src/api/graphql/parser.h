// Parses GraphQL source text into a Document: the executable language (operations, fragments,
// variables, directives, every value literal) and the type system language (SDL), with the
// byte offset of every node. Bounded: the source size, the number of tokens and the nesting of
// selection sets, values and type references are capped and checked while parsing, so hostile
// input fails fast with a clear error (never a deep recursion). Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "api/graphql/ast.h"
#include "api/graphql/error.h"

namespace leadline::graphql {

struct ParseLimits {
  size_t max_bytes = 1 << 20;
  size_t max_tokens = 50'000;
  // Selection sets, list and object values and list types each open one level.
  int max_nesting = 100;
};

struct ParseResult {
  Document document;
  std::optional<Error> error;  // set when the text is not a document
  bool ok() const { return !error.has_value(); }
};

// A request's document. Type system definitions are accepted here (the ExecutableDefinitions
// validation rule reports them, as the specification says).
ParseResult ParseDocument(std::string source, const ParseLimits& limits = {});

// A type system document (the schema's SDL): executable definitions are a syntax error.
ParseResult ParseSchemaDocument(std::string source, const ParseLimits& limits = {});

}  // namespace leadline::graphql
