// CollectFields (specification 6.3.2): the fields a selection set asks of an object type after
// fragments are expanded and @skip/@include applied, grouped by response key in the order the
// document first names them. Pure function over an immutable document; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/graphql/ast.h"
#include "api/graphql/schema.h"
#include "api/graphql/value.h"

namespace leadline::graphql {

using FragmentMap = std::map<std::string, const DefinitionNode*, std::less<>>;
FragmentMap FragmentsOf(const Document& document);

struct CollectedField {
  std::string_view response_key;
  std::vector<const SelectionNode*> nodes;
};

// `selection_sets` are merged in order (a field's sub-selections across its nodes).
std::vector<CollectedField> CollectFields(
    const Schema& schema, const FragmentMap& fragments, const Value& variables,
    const Type* object_type, const std::vector<const std::vector<SelectionNode>*>& selection_sets);

// Whether @skip/@include keep a selection, given the coerced variables.
bool ShouldInclude(const std::vector<DirectiveNode>& directives, const Value& variables);

}  // namespace leadline::graphql
