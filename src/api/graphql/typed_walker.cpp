#include "api/graphql/typed_walker.h"

#include "api/graphql/validation_context.h"

namespace leadline::graphql::validation {

class Walker {
 public:
  Walker(Context& context, TypedVisitor& visitor)
      : schema_(context.schema()), arena_(context.arena()), v_(visitor) {}

  void Definition(const DefinitionNode& definition) {
    switch (definition.kind) {
      case DefinitionNode::Kind::kOperation: {
        const Type* root = schema_.RootType(definition.operation);
        v_.types_.push_back(root != nullptr && root->kind == TypeKind::kObject ? root : nullptr);
        v_.EnterOperation(definition);
        for (const auto& variable : definition.variables) VariableDefinition(variable);
        const char* location = definition.operation == OperationType::kQuery      ? "QUERY"
                               : definition.operation == OperationType::kMutation ? "MUTATION"
                                                                                  : "SUBSCRIPTION";
        Directives(definition.directives, location);
        SelectionSet(definition.selections, false);
        v_.LeaveOperation(definition);
        v_.types_.pop_back();
        break;
      }
      case DefinitionNode::Kind::kFragment: {
        const Type* type = schema_.FindType(definition.type_condition);
        v_.types_.push_back(type != nullptr && type->IsOutputType() ? type : nullptr);
        v_.EnterFragmentDefinition(definition);
        v_.EnterNamedType(definition.type_condition, definition.type_condition_offset);
        Directives(definition.directives, "FRAGMENT_DEFINITION");
        SelectionSet(definition.selections, false);
        v_.types_.pop_back();
        break;
      }
      case DefinitionNode::Kind::kTypeSystem:
        break;
    }
  }

 private:
  void NamedTypes(const TypeNode& type) {
    if (type.kind == TypeNode::Kind::kNamed) {
      v_.EnterNamedType(type.name, type.offset);
    } else {
      NamedTypes(*type.of);
    }
  }

  void VariableDefinition(const VariableDefinitionNode& variable) {
    const Type* type = schema_.FromTypeNode(*variable.type, arena_);
    v_.inputs_.push_back(type != nullptr && type->IsInputType() ? type : nullptr);
    v_.EnterVariableDefinition(variable);
    NamedTypes(*variable.type);
    if (variable.default_value) Value(*variable.default_value);
    Directives(variable.directives, "VARIABLE_DEFINITION");
    v_.inputs_.pop_back();
  }

  void SelectionSet(const std::vector<SelectionNode>& selections, bool of_inline_fragment) {
    const Type* named = v_.type() != nullptr ? v_.type()->Named() : nullptr;
    v_.parents_.push_back(named != nullptr && named->is_composite() ? named : nullptr);
    v_.EnterSelectionSet(selections, of_inline_fragment);
    for (const auto& selection : selections) Selection(selection);
    v_.parents_.pop_back();
  }

  void Selection(const SelectionNode& selection) {
    switch (selection.kind) {
      case SelectionNode::Kind::kField: {
        const Type* parent = v_.parent_type();
        const Field* field = parent != nullptr ? schema_.FieldOf(parent, selection.name) : nullptr;
        v_.fields_.push_back(field);
        v_.types_.push_back(field != nullptr && field->type->IsOutputType() ? field->type
                                                                            : nullptr);
        if (v_.EnterField(selection)) {
          Arguments(selection.arguments);
          Directives(selection.directives, "FIELD");
          if (selection.has_selection_set) SelectionSet(selection.selections, false);
          v_.LeaveField(selection);
        }
        v_.types_.pop_back();
        v_.fields_.pop_back();
        break;
      }
      case SelectionNode::Kind::kInlineFragment: {
        const Type* type = selection.type_condition.empty()
                               ? (v_.type() != nullptr ? v_.type()->Named() : nullptr)
                               : schema_.FindType(selection.type_condition);
        v_.types_.push_back(type != nullptr && type->IsOutputType() ? type : nullptr);
        v_.EnterInlineFragment(selection);
        if (!selection.type_condition.empty()) {
          v_.EnterNamedType(selection.type_condition, selection.type_condition_offset);
        }
        Directives(selection.directives, "INLINE_FRAGMENT");
        SelectionSet(selection.selections, true);
        v_.types_.pop_back();
        break;
      }
      case SelectionNode::Kind::kFragmentSpread:
        v_.EnterFragmentSpread(selection);
        Directives(selection.directives, "FRAGMENT_SPREAD");
        break;
    }
  }

  void Directives(const std::vector<DirectiveNode>& directives, const char* location) {
    for (const auto& directive : directives) {
      v_.directive_ = schema_.FindDirective(directive.name);
      v_.EnterDirective(directive, location);
      Arguments(directive.arguments);
      v_.LeaveDirective(directive);
      v_.directive_ = nullptr;
    }
  }

  void Arguments(const std::vector<ArgumentNode>& arguments) {
    for (const auto& argument : arguments) {
      // As graphql-js: a directive's arguments, else the field's (even for an unknown directive).
      const InputValue* definition = nullptr;
      if (v_.directive_ != nullptr) {
        definition = v_.directive_->FindArgument(argument.name);
      } else if (v_.field_def() != nullptr) {
        definition = v_.field_def()->FindArgument(argument.name);
      }
      v_.argument_ = definition;
      v_.defaults_.push_back(definition != nullptr && definition->default_value.has_value());
      v_.inputs_.push_back(
          definition != nullptr && definition->type->IsInputType() ? definition->type : nullptr);
      v_.EnterArgument(argument);
      Value(argument.value);
      v_.inputs_.pop_back();
      v_.defaults_.pop_back();
      v_.argument_ = nullptr;
    }
  }

  void Value(const ValueNode& value) {
    switch (value.kind) {
      case ValueNode::Kind::kList: {
        const Type* list = v_.input_type() != nullptr ? v_.input_type()->Nullable() : nullptr;
        const Type* item = list != nullptr && list->is_list() ? list->of_type : list;
        v_.defaults_.push_back(false);
        v_.inputs_.push_back(item != nullptr && item->IsInputType() ? item : nullptr);
        if (v_.EnterValue(value)) {
          for (const auto& element : value.items) Value(element);
        }
        v_.inputs_.pop_back();
        v_.defaults_.pop_back();
        break;
      }
      case ValueNode::Kind::kObject: {
        if (!v_.EnterValue(value)) break;
        for (const auto& field : value.fields) {
          const Type* object = v_.input_type() != nullptr ? v_.input_type()->Named() : nullptr;
          const InputValue* definition = nullptr;
          if (object != nullptr && object->kind == TypeKind::kInputObject) {
            definition = object->FindInputField(field.name);
          }
          v_.defaults_.push_back(definition != nullptr && definition->default_value.has_value());
          v_.inputs_.push_back(definition != nullptr && definition->type->IsInputType()
                                   ? definition->type
                                   : nullptr);
          v_.EnterObjectField(field);
          Value(field.value);
          v_.inputs_.pop_back();
          v_.defaults_.pop_back();
        }
        break;
      }
      default:
        v_.EnterValue(value);
        break;
    }
  }

  const Schema& schema_;
  TypeArena& arena_;
  TypedVisitor& v_;
};

void WalkDocument(Context& context, TypedVisitor& visitor) {
  Walker walker(context, visitor);
  for (const auto& definition : context.document().definitions) walker.Definition(definition);
}

void WalkDefinition(Context& context, const DefinitionNode& definition, TypedVisitor& visitor) {
  Walker walker(context, visitor);
  walker.Definition(definition);
}

}  // namespace leadline::graphql::validation
