#include "api/graphql/limits.h"

#include <algorithm>
#include <map>
#include <set>

#include "api/graphql/coercion.h"
#include "api/graphql/collect_fields.h"

namespace leadline::graphql {
namespace {

constexpr int64_t kCap = int64_t{1} << 52;  // saturate well before overflow

int64_t Add(int64_t a, int64_t b) { return std::min(kCap, a + b); }
int64_t Multiply(int64_t a, int64_t b) {
  if (a == 0 || b == 0) return 0;
  return a > kCap / b ? kCap : std::min(kCap, a * b);
}

struct Measure {
  int64_t depth = 0;
  int64_t aliases = 0;
  int64_t complexity = 0;
};

// Measures selection sets; fragments are measured once each (memoised), so fragments spread
// many times cost time linear in the document, not in its expansion.
class Measurer {
 public:
  Measurer(const Schema& schema, const FragmentMap& fragments, const Value& variables,
           const QueryLimits& limits)
      : schema_(schema), fragments_(fragments), variables_(variables), limits_(limits) {}

  Measure Selections(const std::vector<SelectionNode>& selections, const Type* parent) {
    Measure total;
    for (const auto& selection : selections) {
      Measure part;
      switch (selection.kind) {
        case SelectionNode::Kind::kField:
          part = FieldMeasure(selection, parent);
          break;
        case SelectionNode::Kind::kInlineFragment: {
          const Type* type = selection.type_condition.empty()
                                 ? parent
                                 : schema_.FindType(selection.type_condition);
          part = Selections(selection.selections, type);
          break;
        }
        case SelectionNode::Kind::kFragmentSpread:
          part = Fragment(selection.name);
          break;
      }
      total.depth = std::max(total.depth, part.depth);
      total.aliases = Add(total.aliases, part.aliases);
      total.complexity = Add(total.complexity, part.complexity);
    }
    return total;
  }

 private:
  Measure FieldMeasure(const SelectionNode& selection, const Type* parent) {
    const Field* field = parent != nullptr ? schema_.FieldOf(parent, selection.name) : nullptr;
    const Type* type = field != nullptr ? field->type->Named() : nullptr;
    Measure inner = Selections(selection.selections, type);
    Measure measure;
    measure.depth = 1 + inner.depth;
    measure.aliases = Add(inner.aliases, selection.alias.empty() ? 0 : 1);
    // Introspection is bounded by the schema, not by data: it costs nothing.
    const bool introspection = (parent != nullptr && parent->name.starts_with("__")) ||
                               selection.name == "__schema" || selection.name == "__type";
    if (introspection) return measure;
    measure.complexity = Multiply(Add(1, inner.complexity), Multiplier(selection, field));
    return measure;
  }

  // A field's `first` argument, else the assumed list size for a list, else 1.
  int64_t Multiplier(const SelectionNode& selection, const Field* field) const {
    for (const auto& argument : selection.arguments) {
      if (argument.name != "first") continue;
      static const Value kNull;
      const Value* value = &kNull;
      Value literal;
      if (argument.value.kind == ValueNode::Kind::kVariable) {
        const Value* variable = variables_.Find(argument.value.text);
        if (variable != nullptr) value = variable;
      } else if (argument.value.kind == ValueNode::Kind::kInt) {
        literal = Value::Int(std::strtoll(argument.value.text.c_str(), nullptr, 10));
        value = &literal;
      }
      if (value->kind == Value::Kind::kInt) return std::max<int64_t>(0, value->integer);
    }
    if (field != nullptr) {
      const InputValue* first = field->FindArgument("first");
      if (first != nullptr && first->default_value &&
          first->default_value->kind == ValueNode::Kind::kInt) {
        return std::max<int64_t>(0, std::strtoll(first->default_value->text.c_str(), nullptr, 10));
      }
      if (field->type->Nullable()->is_list()) return limits_.default_list_size;
    }
    return 1;
  }

  Measure Fragment(const std::string& name) {
    if (const auto it = memo_.find(name); it != memo_.end()) return it->second;
    const auto fragment = fragments_.find(name);
    if (fragment == fragments_.end() || !visiting_.insert(name).second) return {};
    Measure measure = Selections(fragment->second->selections,
                                 schema_.FindType(fragment->second->type_condition));
    visiting_.erase(name);
    memo_.emplace(name, measure);
    return measure;
  }

  const Schema& schema_;
  const FragmentMap& fragments_;
  const Value& variables_;
  const QueryLimits& limits_;
  std::map<std::string, Measure, std::less<>> memo_;
  std::set<std::string, std::less<>> visiting_;
};

}  // namespace

std::vector<Error> CheckLimits(const Schema& schema, const Document& document,
                               const Value& variables, const QueryLimits& limits) {
  const FragmentMap fragments = FragmentsOf(document);
  Measurer measurer(schema, fragments, variables, limits);
  std::vector<PendingError> errors;
  for (const auto& operation : document.definitions) {
    if (operation.kind != DefinitionNode::Kind::kOperation) continue;
    const Measure measure =
        measurer.Selections(operation.selections, schema.RootType(operation.operation));
    const auto refuse = [&](std::string message) {
      errors.push_back({{std::move(message), {}, {}, kLimitExceeded}, {operation.offset}});
    };
    if (measure.depth > limits.max_depth) {
      refuse("Query has depth of " + std::to_string(measure.depth) +
             ", which exceeds max depth of " + std::to_string(limits.max_depth) + ".");
    }
    if (measure.aliases > limits.max_aliases) {
      refuse("Query has " + std::to_string(measure.aliases) +
             " aliases, which exceeds max aliases of " + std::to_string(limits.max_aliases) + ".");
    }
    if (measure.complexity > limits.max_complexity) {
      refuse("Query has complexity of " + std::to_string(measure.complexity) +
             ", which exceeds max complexity of " + std::to_string(limits.max_complexity) + ".");
    }
  }
  return Locate(document.source, std::move(errors));
}

namespace {

// A definition's own selection nesting and the fragments it spreads, with the nesting at which
// each spread sits.
struct Spreads {
  int own = 0;
  std::vector<std::pair<const DefinitionNode*, int>> targets;
};

void GatherSpreads(const FragmentMap& fragments, const std::vector<SelectionNode>& selections,
                   int level, Spreads& out) {
  out.own = std::max(out.own, level);
  for (const auto& selection : selections) {
    if (selection.kind == SelectionNode::Kind::kFragmentSpread) {
      const auto it = fragments.find(selection.name);
      if (it != fragments.end()) out.targets.emplace_back(it->second, level);
    } else if (!selection.selections.empty()) {
      // Recursion bounded by the parser's nesting limit within one definition.
      GatherSpreads(fragments, selection.selections, level + 1, out);
    }
  }
}

}  // namespace

std::optional<Error> CheckFragmentNesting(const Document& document, int max_nesting) {
  const FragmentMap fragments = FragmentsOf(document);
  std::map<const DefinitionNode*, Spreads> spreads;
  for (const auto& definition : document.definitions) {
    if (definition.kind == DefinitionNode::Kind::kTypeSystem) continue;
    GatherSpreads(fragments, definition.selections, 1, spreads[&definition]);
  }
  // The deepest nesting below each definition, by an iterative depth-first search (a chain of
  // thousands of fragments must not recurse). Spreads that close a cycle are left to the
  // NoFragmentCycles rule.
  std::map<const DefinitionNode*, int> depth;
  std::set<const DefinitionNode*> on_stack;
  for (const auto& [root, unused] : spreads) {
    if (depth.count(root)) continue;
    std::vector<std::pair<const DefinitionNode*, size_t>> stack{{root, 0}};
    on_stack.insert(root);
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      const Spreads& info = spreads[node];
      if (next < info.targets.size()) {
        const DefinitionNode* target = info.targets[next++].first;
        if (!depth.count(target) && !on_stack.count(target)) {
          on_stack.insert(target);
          stack.emplace_back(target, 0);
        }
        continue;
      }
      int deepest = info.own;
      for (const auto& [target, level] : info.targets) {
        const auto it = depth.find(target);
        if (it != depth.end()) deepest = std::max(deepest, level + it->second);
      }
      depth[node] = deepest;
      on_stack.erase(node);
      stack.pop_back();
      if (deepest > max_nesting) {
        return Error{"Syntax Error: Document nesting exceeds the limit of " +
                         std::to_string(max_nesting) + " levels through fragment spreads.",
                     {SourceLocation(document.source, node->offset)},
                     {},
                     kParseFailed};
      }
    }
  }
  return std::nullopt;
}

}  // namespace leadline::graphql
