// Validation of an executable document against a schema (specification section 5): the 26 rules
// graphql-js 16 specifies, plus its recommended MaxIntrospectionDepth rule. Errors are worded as
// graphql-js words them (without its "Did you mean" suggestions) and carry the same locations.
// The rules done are listed in validation.cpp. Pure function; thread-safe.
#pragma once

#include <vector>

#include "api/graphql/ast.h"
#include "api/graphql/error.h"
#include "api/graphql/schema.h"

namespace leadline::graphql {

// At most this many errors are reported (graphql-js stops at 100 too).
inline constexpr size_t kMaxValidationErrors = 100;

std::vector<Error> Validate(const Schema& schema, const Document& document);

}  // namespace leadline::graphql
