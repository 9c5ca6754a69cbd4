// The validation rules that need only the document: names, fragments, variables, uniqueness.
#include <algorithm>
#include <map>
#include <set>

#include "api/graphql/rules.h"
#include "api/graphql/typed_walker.h"

namespace leadline::graphql::validation {
namespace {

bool IsOperation(const DefinitionNode& definition) {
  return definition.kind == DefinitionNode::Kind::kOperation;
}

}  // namespace

void ExecutableDefinitions(Context& context) {
  for (const auto& definition : context.document().definitions) {
    if (definition.kind != DefinitionNode::Kind::kTypeSystem) continue;
    const bool schema = definition.type_system->kind == TypeSystemNode::Kind::kSchema;
    const std::string name = schema ? "schema" : "\"" + definition.name + "\"";
    context.Report("The " + name + " definition is not executable.", {definition.offset});
  }
}

void UniqueOperationNames(Context& context) {
  std::map<std::string_view, uint32_t> known;
  for (const auto& definition : context.document().definitions) {
    if (!IsOperation(definition) || definition.name.empty()) continue;
    const auto [it, added] = known.emplace(definition.name, definition.name_offset);
    if (!added) {
      context.Report("There can be only one operation named \"" + definition.name + "\".",
                     {it->second, definition.name_offset});
    }
  }
}

void LoneAnonymousOperation(Context& context) {
  size_t operations = 0;
  for (const auto& definition : context.document().definitions)
    operations += IsOperation(definition);
  for (const auto& definition : context.document().definitions) {
    if (IsOperation(definition) && definition.name.empty() && operations > 1) {
      context.Report("This anonymous operation must be the only defined operation.",
                     {definition.offset});
    }
  }
}

void UniqueFragmentNames(Context& context) {
  std::map<std::string_view, uint32_t> known;
  for (const auto& definition : context.document().definitions) {
    if (definition.kind != DefinitionNode::Kind::kFragment) continue;
    const auto [it, added] = known.emplace(definition.name, definition.name_offset);
    if (!added) {
      context.Report("There can be only one fragment named \"" + definition.name + "\".",
                     {it->second, definition.name_offset});
    }
  }
}

void KnownFragmentNames(Context& context) {
  class Rule : public TypedVisitor {
   public:
    explicit Rule(Context& context) : context_(context) {}
    void EnterFragmentSpread(const SelectionNode& spread) override {
      if (context_.Fragment(spread.name) == nullptr) {
        context_.Report("Unknown fragment \"" + spread.name + "\".", {spread.name_offset});
      }
    }

   private:
    Context& context_;
  } rule(context);
  WalkDocument(context, rule);
}

void NoUnusedFragments(Context& context) {
  std::set<std::string_view> used;  // by name: a duplicate of a used fragment counts as used
  for (const auto& definition : context.document().definitions) {
    if (!IsOperation(definition)) continue;
    for (const DefinitionNode* fragment : context.RecursiveFragments(definition)) {
      used.insert(fragment->name);
    }
  }
  for (const auto& definition : context.document().definitions) {
    if (definition.kind == DefinitionNode::Kind::kFragment && !used.count(definition.name)) {
      context.Report("Fragment \"" + definition.name + "\" is never used.", {definition.offset});
    }
  }
}

void NoFragmentCycles(Context& context) {
  // A depth-first search from each fragment, as graphql-js does it: every cycle once.
  std::set<std::string_view> visited;
  std::vector<const SelectionNode*> spread_path;
  std::map<std::string_view, size_t> index_by_name;
  const auto detect = [&](const auto& self, const DefinitionNode& fragment) -> void {
    if (!visited.insert(fragment.name).second) return;
    const auto spreads = context.FragmentSpreads(fragment.selections);
    if (spreads.empty()) return;
    index_by_name[fragment.name] = spread_path.size();
    for (const SelectionNode* spread : spreads) {
      spread_path.push_back(spread);
      const auto cycle = index_by_name.find(spread->name);
      if (cycle == index_by_name.end()) {
        if (const DefinitionNode* next = context.Fragment(spread->name)) self(self, *next);
      } else {
        std::string via;
        std::vector<uint32_t> offsets;
        for (size_t i = cycle->second; i < spread_path.size(); ++i) {
          offsets.push_back(spread_path[i]->offset);
          if (i + 1 < spread_path.size()) {
            via += (via.empty() ? "\"" : ", \"") + spread_path[i]->name + "\"";
          }
        }
        context.Report("Cannot spread fragment \"" + spread->name + "\" within itself" +
                           (via.empty() ? "." : " via " + via + "."),
                       offsets);
      }
      spread_path.pop_back();
    }
    index_by_name.erase(fragment.name);
  };
  for (const auto& definition : context.document().definitions) {
    if (definition.kind == DefinitionNode::Kind::kFragment) detect(detect, definition);
  }
}

void UniqueVariableNames(Context& context) {
  for (const auto& definition : context.document().definitions) {
    if (!IsOperation(definition)) continue;
    std::vector<std::pair<std::string_view, std::vector<uint32_t>>> groups;
    for (const auto& variable : definition.variables) {
      auto it = std::find_if(groups.begin(), groups.end(),
                             [&](const auto& group) { return group.first == variable.name; });
      if (it == groups.end()) {
        groups.push_back({variable.name, {}});
        it = groups.end() - 1;
      }
      it->second.push_back(variable.name_offset);
    }
    for (const auto& [name, offsets] : groups) {
      if (offsets.size() > 1) {
        context.Report("There can be only one variable named \"$" + std::string(name) + "\".",
                       offsets);
      }
    }
  }
}

void NoUndefinedVariables(Context& context) {
  for (const auto& definition : context.document().definitions) {
    if (!IsOperation(definition)) continue;
    std::set<std::string_view> defined;
    for (const auto& variable : definition.variables) defined.insert(variable.name);
    for (const VariableUsage& usage : context.RecursiveVariableUsages(definition)) {
      if (defined.count(usage.node->text)) continue;
      context.Report(definition.name.empty()
                         ? "Variable \"$" + usage.node->text + "\" is not defined."
                         : "Variable \"$" + usage.node->text + "\" is not defined by operation \"" +
                               definition.name + "\".",
                     {usage.node->offset, definition.offset});
    }
  }
}

void NoUnusedVariables(Context& context) {
  for (const auto& definition : context.document().definitions) {
    if (!IsOperation(definition)) continue;
    std::set<std::string_view> used;
    for (const VariableUsage& usage : context.RecursiveVariableUsages(definition)) {
      used.insert(usage.node->text);
    }
    for (const auto& variable : definition.variables) {
      if (used.count(variable.name)) continue;
      context.Report(definition.name.empty()
                         ? "Variable \"$" + variable.name + "\" is never used."
                         : "Variable \"$" + variable.name + "\" is never used in operation \"" +
                               definition.name + "\".",
                     {variable.offset});
    }
  }
}

namespace {

void ReportDuplicateArguments(Context& context, const std::vector<ArgumentNode>& arguments) {
  std::vector<std::pair<std::string_view, std::vector<uint32_t>>> groups;
  for (const auto& argument : arguments) {
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& group) { return group.first == argument.name; });
    if (it == groups.end()) {
      groups.push_back({argument.name, {}});
      it = groups.end() - 1;
    }
    it->second.push_back(argument.offset);
  }
  for (const auto& [name, offsets] : groups) {
    if (offsets.size() > 1) {
      context.Report("There can be only one argument named \"" + std::string(name) + "\".",
                     offsets);
    }
  }
}

}  // namespace

void UniqueArgumentNames(Context& context) {
  class Rule : public TypedVisitor {
   public:
    explicit Rule(Context& context) : context_(context) {}
    bool EnterField(const SelectionNode& field) override {
      ReportDuplicateArguments(context_, field.arguments);
      return true;
    }
    void EnterDirective(const DirectiveNode& directive, const char*) override {
      ReportDuplicateArguments(context_, directive.arguments);
    }

   private:
    Context& context_;
  } rule(context);
  WalkDocument(context, rule);
}

void UniqueDirectivesPerLocation(Context& context) {
  const auto check = [&](const std::vector<DirectiveNode>& directives) {
    std::map<std::string_view, uint32_t> seen;
    for (const auto& directive : directives) {
      const Directive* definition = context.schema().FindDirective(directive.name);
      if (definition == nullptr || definition->repeatable) continue;
      const auto [it, added] = seen.emplace(directive.name, directive.offset);
      if (!added) {
        context.Report(
            "The directive \"@" + directive.name + "\" can only be used once at this location.",
            {it->second, directive.offset});
      }
    }
  };
  class Rule : public TypedVisitor {
   public:
    explicit Rule(decltype(check)& check) : check_(check) {}
    void EnterOperation(const DefinitionNode& operation) override { check_(operation.directives); }
    void EnterFragmentDefinition(const DefinitionNode& fragment) override {
      check_(fragment.directives);
    }
    void EnterVariableDefinition(const VariableDefinitionNode& variable) override {
      check_(variable.directives);
    }
    bool EnterField(const SelectionNode& field) override {
      check_(field.directives);
      return true;
    }
    void EnterInlineFragment(const SelectionNode& fragment) override {
      check_(fragment.directives);
    }
    void EnterFragmentSpread(const SelectionNode& spread) override { check_(spread.directives); }

   private:
    decltype(check)& check_;
  } rule(check);
  WalkDocument(context, rule);
}

void UniqueInputFieldNames(Context& context) {
  class Rule : public TypedVisitor {
   public:
    explicit Rule(Context& context) : context_(context) {}
    bool EnterValue(const ValueNode& value) override {
      if (value.kind != ValueNode::Kind::kObject) return true;
      std::map<std::string_view, uint32_t> known;
      for (const auto& field : value.fields) {
        const auto [it, added] = known.emplace(field.name, field.offset);
        if (!added) {
          context_.Report("There can be only one input field named \"" + field.name + "\".",
                          {it->second, field.offset});
        }
      }
      return true;
    }

   private:
    Context& context_;
  } rule(context);
  WalkDocument(context, rule);
}

}  // namespace leadline::graphql::validation
