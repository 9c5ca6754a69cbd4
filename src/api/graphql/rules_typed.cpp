// The validation rules that need the schema's types: fields, arguments, values, directives,
// fragments' type conditions and variables' positions.
#include <algorithm>
#include <map>
#include <set>

#include "api/graphql/coercion.h"
#include "api/graphql/rules.h"
#include "api/graphql/typed_walker.h"

namespace leadline::graphql::validation {
namespace {

// A visitor that holds the context, for rules written as TypedVisitor subclasses.
class Rule : public TypedVisitor {
 public:
  explicit Rule(Context& context) : context_(context) {}

 protected:
  Context& context_;
};

}  // namespace

void SingleFieldSubscriptions(Context& context) {
  const Type* subscription = context.schema().subscription_type();
  if (subscription == nullptr) return;
  const Value no_variables = Value::Object();
  for (const auto& definition : context.document().definitions) {
    if (definition.kind != DefinitionNode::Kind::kOperation ||
        definition.operation != OperationType::kSubscription) {
      continue;
    }
    const auto fields = CollectFields(context.schema(), context.fragments(), no_variables,
                                      subscription, {&definition.selections});
    const std::string subject = definition.name.empty()
                                    ? "Anonymous Subscription"
                                    : "Subscription \"" + definition.name + "\"";
    if (fields.size() > 1) {
      std::vector<uint32_t> offsets;
      for (size_t i = 1; i < fields.size(); ++i) {
        for (const SelectionNode* node : fields[i].nodes) offsets.push_back(node->offset);
      }
      context.Report(subject + " must select only one top level field.", offsets);
    }
    for (const auto& field : fields) {
      if (!field.nodes.front()->name.starts_with("__")) continue;
      std::vector<uint32_t> offsets;
      for (const SelectionNode* node : field.nodes) offsets.push_back(node->offset);
      context.Report(subject + " must not select an introspection top level field.", offsets);
    }
  }
}

namespace {

bool DefinedByDocument(const Document& document, const std::string& name) {
  for (const auto& definition : document.definitions) {
    if (definition.kind == DefinitionNode::Kind::kTypeSystem && definition.name == name &&
        definition.type_system->kind != TypeSystemNode::Kind::kDirective &&
        !definition.type_system->extension) {
      return true;
    }
  }
  return false;
}

// The built-in scalars and introspection types, which type system definitions may always name.
bool IsStandardTypeName(const std::string& name) {
  return name == "String" || name == "Int" || name == "Float" || name == "Boolean" ||
         name == "ID" || name.starts_with("__");
}

// Every type reference inside a type system definition, with where it is written.
void TypeSystemNames(const TypeSystemNode& node,
                     std::vector<std::pair<const std::string*, uint32_t>>& out) {
  const auto add_type = [&](const auto& self, const TypeNode& type) -> void {
    if (type.kind == TypeNode::Kind::kNamed) {
      out.emplace_back(&type.name, type.offset);
    } else {
      self(self, *type.of);
    }
  };
  for (size_t i = 0; i < node.operation_types.size(); ++i) {
    out.emplace_back(&node.operation_types[i].second, node.operation_type_offsets[i]);
  }
  for (size_t i = 0; i < node.interfaces.size(); ++i) {
    out.emplace_back(&node.interfaces[i], node.interface_offsets[i]);
  }
  for (const auto& field : node.fields) {
    for (const auto& argument : field.arguments) add_type(add_type, *argument.type);
    add_type(add_type, *field.type);
  }
  for (const auto& value : node.input_values) add_type(add_type, *value.type);
}

}  // namespace

void KnownTypeNames(Context& context) {
  class KnownTypes : public Rule {
   public:
    using Rule::Rule;
    void EnterNamedType(const std::string& name, uint32_t offset) override {
      if (context_.schema().FindType(name) != nullptr ||
          DefinedByDocument(context_.document(), name)) {
        return;
      }
      context_.Report("Unknown type \"" + name + "\".", {offset});
    }
  } rule(context);
  WalkDocument(context, rule);
  for (const auto& definition : context.document().definitions) {
    if (definition.kind != DefinitionNode::Kind::kTypeSystem) continue;
    std::vector<std::pair<const std::string*, uint32_t>> names;
    TypeSystemNames(*definition.type_system, names);
    for (const auto& [name, offset] : names) {
      if (context.schema().FindType(*name) != nullptr || IsStandardTypeName(*name) ||
          DefinedByDocument(context.document(), *name)) {
        continue;
      }
      context.Report("Unknown type \"" + *name + "\".", {offset});
    }
  }
}

void FragmentsOnCompositeTypes(Context& context) {
  class Composite : public Rule {
   public:
    using Rule::Rule;
    void EnterInlineFragment(const SelectionNode& fragment) override {
      if (fragment.type_condition.empty()) return;
      const Type* type = context_.schema().FindType(fragment.type_condition);
      if (type != nullptr && !type->is_composite()) {
        context_.Report(
            "Fragment cannot condition on non composite type \"" + fragment.type_condition + "\".",
            {fragment.type_condition_offset});
      }
    }
    void EnterFragmentDefinition(const DefinitionNode& fragment) override {
      const Type* type = context_.schema().FindType(fragment.type_condition);
      if (type != nullptr && !type->is_composite()) {
        context_.Report("Fragment \"" + fragment.name +
                            "\" cannot condition on non composite type \"" +
                            fragment.type_condition + "\".",
                        {fragment.type_condition_offset});
      }
    }
  } rule(context);
  WalkDocument(context, rule);
}

void VariablesAreInputTypes(Context& context) {
  class InputTypes : public Rule {
   public:
    using Rule::Rule;
    void EnterVariableDefinition(const VariableDefinitionNode& variable) override {
      const Type* type = context_.schema().FromTypeNode(*variable.type, context_.arena());
      if (type != nullptr && !type->IsInputType()) {
        context_.Report("Variable \"$" + variable.name + "\" cannot be non-input type \"" +
                            PrintTypeNode(*variable.type) + "\".",
                        {variable.type->offset});
      }
    }
  } rule(context);
  WalkDocument(context, rule);
}

void ScalarLeafs(Context& context) {
  class Leafs : public Rule {
   public:
    using Rule::Rule;
    bool EnterField(const SelectionNode& field) override {
      const Type* field_type = type();
      if (field_type == nullptr) return true;
      if (field_type->Named()->is_leaf()) {
        if (field.has_selection_set) {
          context_.Report("Field \"" + field.name + "\" must not have a selection since type \"" +
                              PrintType(field_type) + "\" has no subfields.",
                          {field.selection_set_offset});
        }
      } else if (!field.has_selection_set) {
        context_.Report("Field \"" + field.name + "\" of type \"" + PrintType(field_type) +
                            "\" must have a selection of subfields. Did you mean \"" + field.name +
                            " { ... }\"?",
                        {field.offset});
      }
      return true;
    }
  } rule(context);
  WalkDocument(context, rule);
}

void FieldsOnCorrectType(Context& context) {
  class Fields : public Rule {
   public:
    using Rule::Rule;
    bool EnterField(const SelectionNode& field) override {
      if (parent_type() != nullptr && field_def() == nullptr) {
        context_.Report(
            "Cannot query field \"" + field.name + "\" on type \"" + parent_type()->name + "\".",
            {field.offset});
      }
      return true;
    }
  } rule(context);
  WalkDocument(context, rule);
}

void PossibleFragmentSpreads(Context& context) {
  class Spreads : public Rule {
   public:
    using Rule::Rule;
    void EnterInlineFragment(const SelectionNode& fragment) override {
      const Type* fragment_type = type();
      const Type* parent = parent_type();
      if (fragment_type != nullptr && fragment_type->is_composite() && parent != nullptr &&
          !context_.schema().TypesOverlap(fragment_type, parent)) {
        context_.Report("Fragment cannot be spread here as objects of type \"" + parent->name +
                            "\" can never be of type \"" + fragment_type->name + "\".",
                        {fragment.offset});
      }
    }
    void EnterFragmentSpread(const SelectionNode& spread) override {
      const DefinitionNode* fragment = context_.Fragment(spread.name);
      if (fragment == nullptr) return;
      const Type* fragment_type = context_.schema().FindType(fragment->type_condition);
      const Type* parent = parent_type();
      if (fragment_type != nullptr && fragment_type->is_composite() && parent != nullptr &&
          !context_.schema().TypesOverlap(fragment_type, parent)) {
        context_.Report("Fragment \"" + spread.name +
                            "\" cannot be spread here as objects of type \"" + parent->name +
                            "\" can never be of type \"" + fragment_type->name + "\".",
                        {spread.offset});
      }
    }
  } rule(context);
  WalkDocument(context, rule);
}

void KnownDirectives(Context& context) {
  class Directives : public Rule {
   public:
    using Rule::Rule;
    void EnterDirective(const DirectiveNode& node, const char* location) override {
      const Directive* definition = directive();
      if (definition == nullptr) {
        context_.Report("Unknown directive \"@" + node.name + "\".", {node.offset});
        return;
      }
      const auto& locations = definition->locations;
      if (std::find(locations.begin(), locations.end(), location) == locations.end()) {
        context_.Report("Directive \"@" + node.name + "\" may not be used on " + location + ".",
                        {node.offset});
      }
    }
  } rule(context);
  WalkDocument(context, rule);
}

void KnownArgumentNames(Context& context) {
  class Arguments : public Rule {
   public:
    using Rule::Rule;
    void EnterDirective(const DirectiveNode& node, const char*) override {
      in_directive_ = true;
      const Directive* definition = directive();
      if (definition == nullptr) return;
      for (const auto& argument : node.arguments) {
        if (definition->FindArgument(argument.name) == nullptr) {
          context_.Report(
              "Unknown argument \"" + argument.name + "\" on directive \"@" + node.name + "\".",
              {argument.offset});
        }
      }
    }
    void LeaveDirective(const DirectiveNode&) override { in_directive_ = false; }
    void EnterArgument(const ArgumentNode& node) override {
      if (in_directive_ || argument() != nullptr) return;
      if (field_def() != nullptr && parent_type() != nullptr) {
        context_.Report("Unknown argument \"" + node.name + "\" on field \"" + parent_type()->name +
                            "." + field_def()->name + "\".",
                        {node.offset});
      }
    }

   private:
    bool in_directive_ = false;
  } rule(context);
  WalkDocument(context, rule);
}

void ValuesOfCorrectType(Context& context) {
  class Values : public Rule {
   public:
    using Rule::Rule;
    bool EnterValue(const ValueNode& value) override {
      switch (value.kind) {
        case ValueNode::Kind::kVariable:
          return true;
        case ValueNode::Kind::kNull:
          if (input_type() != nullptr && input_type()->is_non_null()) {
            context_.Report(
                "Expected value of type \"" + PrintType(input_type()) + "\", found null.",
                {value.offset});
          }
          return true;
        case ValueNode::Kind::kList: {
          const Type* list =
              parent_input_type() != nullptr ? parent_input_type()->Nullable() : nullptr;
          if (list == nullptr || !list->is_list()) {
            CheckLeaf(value);
            return false;
          }
          return true;
        }
        case ValueNode::Kind::kObject: {
          const Type* object = input_type() != nullptr ? input_type()->Named() : nullptr;
          if (object == nullptr || object->kind != TypeKind::kInputObject) {
            CheckLeaf(value);
            return false;
          }
          for (const auto& field : object->input_fields) {
            const bool provided =
                std::any_of(value.fields.begin(), value.fields.end(),
                            [&](const ObjectFieldNode& node) { return node.name == field.name; });
            if (!provided && field.type->is_non_null() && !field.default_value) {
              context_.Report("Field \"" + object->name + "." + field.name +
                                  "\" of required type \"" + PrintType(field.type) +
                                  "\" was not provided.",
                              {value.offset});
            }
          }
          if (object->one_of) {
            std::set<std::string_view> keys;
            for (const auto& field : value.fields) keys.insert(field.name);
            if (keys.size() != 1) {
              context_.Report(
                  "OneOf Input Object \"" + object->name + "\" must specify exactly one key.",
                  {value.offset});
            } else {
              const ValueNode* only = nullptr;
              for (const auto& field : value.fields) only = &field.value;
              if (only->kind == ValueNode::Kind::kNull) {
                context_.Report("Field \"" + object->name + "." + std::string(*keys.begin()) +
                                    "\" must be non-null.",
                                {value.offset});
              }
            }
          }
          return true;
        }
        default:
          CheckLeaf(value);
          return true;
      }
    }
    void EnterObjectField(const ObjectFieldNode& field) override {
      const Type* parent = parent_input_type() != nullptr ? parent_input_type()->Named() : nullptr;
      if (input_type() == nullptr && parent != nullptr && parent->kind == TypeKind::kInputObject) {
        context_.Report(
            "Field \"" + field.name + "\" is not defined by type \"" + parent->name + "\".",
            {field.offset});
      }
    }

   private:
    // graphql-js isValidValueNode: a literal at a leaf position must parse as that leaf.
    void CheckLeaf(const ValueNode& value) {
      const Type* location = input_type();
      if (location == nullptr) return;
      const Type* named = location->Named();
      if (!named->is_leaf() || !ValueFromLiteral(value, named, nullptr)) {
        context_.Report("Expected value of type \"" + PrintType(location) + "\", found " +
                            PrintValueNode(value) + ".",
                        {value.offset});
      }
    }
  } rule(context);
  WalkDocument(context, rule);
}

void ProvidedRequiredArguments(Context& context) {
  class Required : public Rule {
   public:
    using Rule::Rule;
    void LeaveField(const SelectionNode& field) override {
      const Field* definition = field_def();
      if (definition == nullptr) return;
      for (const auto& argument : definition->arguments) {
        if (!argument.type->is_non_null() || argument.default_value) continue;
        const bool provided =
            std::any_of(field.arguments.begin(), field.arguments.end(),
                        [&](const ArgumentNode& node) { return node.name == argument.name; });
        if (!provided) {
          context_.Report("Field \"" + definition->name + "\" argument \"" + argument.name +
                              "\" of type \"" + PrintType(argument.type) +
                              "\" is required, but it was not provided.",
                          {field.offset});
        }
      }
    }
    void LeaveDirective(const DirectiveNode& node) override {
      const Directive* definition = directive();
      if (definition == nullptr) return;
      for (const auto& argument : definition->arguments) {
        if (!argument.type->is_non_null() || argument.default_value) continue;
        const bool provided =
            std::any_of(node.arguments.begin(), node.arguments.end(),
                        [&](const ArgumentNode& arg) { return arg.name == argument.name; });
        if (!provided) {
          context_.Report("Directive \"@" + definition->name + "\" argument \"" + argument.name +
                              "\" of type \"" + PrintType(argument.type) +
                              "\" is required, but it was not provided.",
                          {node.offset});
        }
      }
    }
  } rule(context);
  WalkDocument(context, rule);
}

void VariablesInAllowedPosition(Context& context) {
  const Schema& schema = context.schema();
  for (const auto& definition : context.document().definitions) {
    if (definition.kind != DefinitionNode::Kind::kOperation) continue;
    std::map<std::string_view, const VariableDefinitionNode*> variables;
    for (const auto& variable : definition.variables) variables[variable.name] = &variable;
    for (const VariableUsage& usage : context.RecursiveVariableUsages(definition)) {
      const auto it = variables.find(usage.node->text);
      if (it == variables.end() || usage.type == nullptr) continue;
      const VariableDefinitionNode& variable = *it->second;
      const Type* variable_type = schema.FromTypeNode(*variable.type, context.arena());
      if (variable_type == nullptr) continue;
      bool allowed = true;
      if (usage.type->is_non_null() && !variable_type->is_non_null()) {
        const bool non_null_default = variable.default_value.has_value() &&
                                      variable.default_value->kind != ValueNode::Kind::kNull;
        allowed = (non_null_default || usage.location_has_default) &&
                  schema.IsSubType(variable_type, usage.type->of_type);
      } else {
        allowed = schema.IsSubType(variable_type, usage.type);
      }
      if (!allowed) {
        context.Report("Variable \"$" + variable.name + "\" of type \"" + PrintType(variable_type) +
                           "\" used in position expecting type \"" + PrintType(usage.type) + "\".",
                       {variable.offset, usage.node->offset});
      }
      if (usage.parent_type != nullptr && usage.parent_type->kind == TypeKind::kInputObject &&
          usage.parent_type->one_of && !variable_type->is_non_null()) {
        context.Report("Variable \"$" + variable.name + "\" is of type \"" +
                           PrintType(variable_type) +
                           "\" but must be non-nullable to be used for OneOf Input Object \"" +
                           usage.parent_type->name + "\".",
                       {variable.offset, usage.node->offset});
      }
    }
  }
}

void MaxIntrospectionDepth(Context& context) {
  constexpr int kMaxListsDepth = 3;
  std::map<std::string_view, int> checked;   // fragment -> smallest entry depth checked
  std::map<std::string_view, int> exceeded;  // fragment -> entry depth that exceeded
  const auto too_deep = [&](const auto& self, const SelectionNode& node,
                            std::map<std::string_view, int>& visited, int depth) -> bool {
    if (node.kind == SelectionNode::Kind::kFragmentSpread) {
      const std::string_view name = node.name;
      if (auto it = exceeded.find(name); it != exceeded.end() && it->second <= depth) return true;
      const auto seen = visited.find(name);
      const auto done = checked.find(name);
      if ((seen != visited.end() && seen->second >= depth) ||
          (done != checked.end() && done->second >= depth)) {
        return false;
      }
      const DefinitionNode* fragment = context.Fragment(name);
      if (fragment == nullptr) return false;
      visited[name] = depth;
      for (const auto& child : fragment->selections) {
        if (self(self, child, visited, depth)) {
          exceeded[name] = depth;
          return true;
        }
      }
      checked[name] = depth;
      return false;
    }
    if (node.kind == SelectionNode::Kind::kField &&
        (node.name == "fields" || node.name == "interfaces" || node.name == "possibleTypes" ||
         node.name == "inputFields")) {
      if (++depth >= kMaxListsDepth) return true;
    }
    for (const auto& child : node.selections) {
      if (self(self, child, visited, depth)) return true;
    }
    return false;
  };
  const auto walk = [&](const auto& self, const std::vector<SelectionNode>& selections) -> void {
    for (const auto& selection : selections) {
      if (selection.kind == SelectionNode::Kind::kField &&
          (selection.name == "__schema" || selection.name == "__type")) {
        std::map<std::string_view, int> visited;
        if (too_deep(too_deep, selection, visited, 0)) {
          context.Report("Maximum introspection depth exceeded", {selection.offset});
          continue;
        }
      }
      self(self, selection.selections);
    }
  };
  for (const auto& definition : context.document().definitions) {
    if (definition.kind != DefinitionNode::Kind::kTypeSystem) walk(walk, definition.selections);
  }
}

}  // namespace leadline::graphql::validation
