// Limits checked on a validated document before it executes: the depth of fields, the number of
// aliases, and a complexity budget where every field costs 1 and a list field's subtree is
// multiplied by its `first` argument (connections cost by the page they ask for). Each refusal
// names the limit and the value. Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "api/graphql/ast.h"
#include "api/graphql/error.h"
#include "api/graphql/schema.h"
#include "api/graphql/value.h"

namespace leadline::graphql {

struct QueryLimits {
  int max_depth = 15;
  int max_aliases = 30;
  int64_t max_complexity = 10'000;
  // A list field without a `first` argument is assumed to return this many items.
  int64_t default_list_size = 10;
};

// The errors for every limit the operation exceeds; empty when it is within all of them.
std::vector<Error> CheckLimits(const Schema& schema, const Document& document,
                               const DefinitionNode& operation, const Value& variables,
                               const QueryLimits& limits);

}  // namespace leadline::graphql
