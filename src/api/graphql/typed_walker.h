// Walks an executable document in the order graphql-js visits it, keeping the type information
// the validation rules need at each node (graphql-js's TypeInfo): the output type and parent
// type of fields, the field and directive definitions, the expected input type of arguments,
// list items and input object fields, and whether that position has a default. A rule derives
// from TypedVisitor and overrides the hooks it needs. Internal to the validator; not
// thread-safe.
#pragma once

#include <vector>

#include "api/graphql/ast.h"
#include "api/graphql/schema.h"

namespace leadline::graphql::validation {

class Context;

class TypedVisitor {
 public:
  virtual ~TypedVisitor() = default;

  virtual void EnterOperation(const DefinitionNode&) {}
  virtual void LeaveOperation(const DefinitionNode&) {}
  virtual void EnterFragmentDefinition(const DefinitionNode&) {}
  virtual void EnterVariableDefinition(const VariableDefinitionNode&) {}
  virtual void EnterSelectionSet(const std::vector<SelectionNode>&, bool /*of_inline_fragment*/) {}
  // Returning false skips the field's arguments, directives and selections for this visitor.
  virtual bool EnterField(const SelectionNode&) { return true; }
  virtual void LeaveField(const SelectionNode&) {}
  virtual void EnterInlineFragment(const SelectionNode&) {}
  virtual void EnterFragmentSpread(const SelectionNode&) {}
  // `location` is the directive location name (FIELD, QUERY, ...).
  virtual void EnterDirective(const DirectiveNode&, const char* /*location*/) {}
  virtual void LeaveDirective(const DirectiveNode&) {}
  virtual void EnterArgument(const ArgumentNode&) {}
  // Every value literal, variables included; returning false skips what is inside a list or
  // an object.
  virtual bool EnterValue(const ValueNode&) { return true; }
  virtual void EnterObjectField(const ObjectFieldNode&) {}
  // A named type of the document (variable types, type conditions).
  virtual void EnterNamedType(const std::string& /*name*/, uint32_t /*offset*/) {}

 protected:
  // The type information at the node being visited.
  const Type* type() const { return types_.empty() ? nullptr : types_.back(); }
  const Type* parent_type() const { return parents_.empty() ? nullptr : parents_.back(); }
  const Field* field_def() const { return fields_.empty() ? nullptr : fields_.back(); }
  const Directive* directive() const { return directive_; }
  const InputValue* argument() const { return argument_; }
  const Type* input_type() const { return inputs_.empty() ? nullptr : inputs_.back(); }
  const Type* parent_input_type() const {
    return inputs_.size() < 2 ? nullptr : inputs_[inputs_.size() - 2];
  }
  bool has_default() const { return !defaults_.empty() && defaults_.back(); }

 private:
  friend class Walker;
  std::vector<const Type*> types_;
  std::vector<const Type*> parents_;
  std::vector<const Field*> fields_;
  std::vector<const Type*> inputs_;
  std::vector<bool> defaults_;
  const Directive* directive_ = nullptr;
  const InputValue* argument_ = nullptr;
};

// Visits every executable definition of the document.
void WalkDocument(Context& context, TypedVisitor& visitor);
// Visits one definition (an operation or a fragment).
void WalkDefinition(Context& context, const DefinitionNode& definition, TypedVisitor& visitor);

}  // namespace leadline::graphql::validation
