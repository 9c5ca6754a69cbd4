// Limits checked on a validated document before it executes: the depth of fields, the number of
// aliases, and a complexity budget where every field costs 1 and a list field's subtree is
// multiplied by its `first` argument (connections cost by the page they ask for). Each refusal
// names the limit and the value. Pure function; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
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

// The errors for every limit an operation of the document exceeds; empty when all are within
// them. Runs before validation, so it assumes nothing of the document beyond its syntax.
std::vector<Error> CheckLimits(const Schema& schema, const Document& document,
                               const Value& variables, const QueryLimits& limits);

// Selection sets nested through fragment spreads (a chain of fragments each spreading the next)
// deeper than `max_nesting` levels: an error, else nullopt. The parser bounds nesting within one
// definition; this bounds it across definitions, before anything walks them recursively.
std::optional<Error> CheckFragmentNesting(const Document& document, int max_nesting);

}  // namespace leadline::graphql
