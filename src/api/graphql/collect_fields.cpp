#include "api/graphql/collect_fields.h"

#include <set>
#include <unordered_map>

#include "api/graphql/coercion.h"

namespace leadline::graphql {
namespace {

bool DirectiveCondition(const DirectiveNode& directive, const Value& variables) {
  for (const auto& argument : directive.arguments) {
    if (argument.name != "if") continue;
    static const Type kBoolean = [] {
      Type type;
      type.name = "Boolean";
      return type;
    }();
    auto value = ValueFromLiteral(argument.value, &kBoolean, &variables);
    return value && value->kind == Value::Kind::kBoolean && value->boolean;
  }
  return false;
}

bool FragmentApplies(const Schema& schema, const std::string& condition, const Type* object_type) {
  if (condition.empty()) return true;
  const Type* type = schema.FindType(condition);
  if (type == nullptr) return false;
  if (type == object_type) return true;
  return type->is_abstract() && schema.IsPossibleType(type, object_type);
}

struct Collector {
  const Schema& schema;
  const FragmentMap& fragments;
  const Value& variables;
  const Type* object_type;
  std::vector<CollectedField> fields;
  std::set<std::string_view> visited;
  std::unordered_map<std::string_view, size_t> index;  // response key -> position in fields

  void Collect(const std::vector<SelectionNode>& selections) {
    for (const auto& selection : selections) {
      if (!ShouldInclude(selection.directives, variables)) continue;
      switch (selection.kind) {
        case SelectionNode::Kind::kField: {
          const std::string_view key = selection.ResponseKey();
          const auto [it, added] = index.emplace(key, fields.size());
          if (added) fields.push_back({key, {}});
          fields[it->second].nodes.push_back(&selection);
          break;
        }
        case SelectionNode::Kind::kInlineFragment:
          if (FragmentApplies(schema, selection.type_condition, object_type)) {
            Collect(selection.selections);
          }
          break;
        case SelectionNode::Kind::kFragmentSpread: {
          if (!visited.insert(selection.name).second) break;
          const auto it = fragments.find(selection.name);
          if (it == fragments.end()) break;
          if (!FragmentApplies(schema, it->second->type_condition, object_type)) break;
          Collect(it->second->selections);
          break;
        }
      }
    }
  }
};

}  // namespace

FragmentMap FragmentsOf(const Document& document) {
  FragmentMap fragments;
  for (const auto& definition : document.definitions) {
    if (definition.kind == DefinitionNode::Kind::kFragment) {
      fragments.emplace(definition.name, &definition);
    }
  }
  return fragments;
}

bool ShouldInclude(const std::vector<DirectiveNode>& directives, const Value& variables) {
  for (const auto& directive : directives) {
    if (directive.name == "skip" && DirectiveCondition(directive, variables)) return false;
    if (directive.name == "include" && !DirectiveCondition(directive, variables)) return false;
  }
  return true;
}

std::vector<CollectedField> CollectFields(
    const Schema& schema, const FragmentMap& fragments, const Value& variables,
    const Type* object_type, const std::vector<const std::vector<SelectionNode>*>& selection_sets) {
  Collector collector{schema, fragments, variables, object_type, {}, {}, {}};
  for (const auto* selections : selection_sets) collector.Collect(*selections);
  return std::move(collector.fields);
}

}  // namespace leadline::graphql
