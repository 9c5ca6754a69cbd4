// What the validation rules share while they check one document: the schema, the document, its
// fragments, the errors found so far (capped), wrapper types made for the document's type
// references, and the variable usages of each definition (computed once). Internal to the
// validator; one per Validate() call; not thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/graphql/collect_fields.h"
#include "api/graphql/error.h"
#include "api/graphql/schema.h"

namespace leadline::graphql::validation {

// A variable used somewhere in a definition, with the input type its position expects.
struct VariableUsage {
  const ValueNode* node = nullptr;
  const Type* type = nullptr;         // nullptr when the position is unknown
  bool location_has_default = false;  // the argument or input field has a default
  const Type* parent_type = nullptr;  // the input type around the position, if any
};

class Context {
 public:
  Context(const Schema& schema, const Document& document);

  const Schema& schema() const { return schema_; }
  const Document& document() const { return document_; }
  TypeArena& arena() { return arena_; }
  const DefinitionNode* Fragment(std::string_view name) const;
  const FragmentMap& fragments() const { return fragments_; }

  // Records an error at the given offsets; false once the error cap is reached.
  bool Report(std::string message, std::vector<uint32_t> offsets);
  bool full() const { return full_; }
  std::vector<Error> TakeErrors();

  // The fragment spreads anywhere inside a selection set (nested fields and inline fragments).
  std::vector<const SelectionNode*> FragmentSpreads(const std::vector<SelectionNode>& selections);
  // The fragments an operation uses, directly or through other fragments, in first-use order.
  std::vector<const DefinitionNode*> RecursiveFragments(const DefinitionNode& operation);
  // The variable usages of one definition (not following spreads).
  const std::vector<VariableUsage>& VariableUsages(const DefinitionNode& definition);
  // The usages of an operation and of every fragment it uses.
  std::vector<VariableUsage> RecursiveVariableUsages(const DefinitionNode& operation);

 private:
  const Schema& schema_;
  const Document& document_;
  TypeArena arena_;
  FragmentMap fragments_;
  std::vector<PendingError> errors_;
  bool full_ = false;
  std::map<const DefinitionNode*, std::vector<VariableUsage>> usages_;
};

}  // namespace leadline::graphql::validation
