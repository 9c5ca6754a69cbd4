#include "api/graphql/validation_context.h"

#include <set>

#include "api/graphql/typed_walker.h"
#include "api/graphql/validation.h"

namespace leadline::graphql::validation {

Context::Context(const Schema& schema, const Document& document)
    : schema_(schema), document_(document), fragments_(FragmentsOf(document)) {}

const DefinitionNode* Context::Fragment(std::string_view name) const {
  const auto it = fragments_.find(name);
  return it == fragments_.end() ? nullptr : it->second;
}

bool Context::Report(std::string message, std::vector<uint32_t> offsets) {
  if (full_) return false;
  if (errors_.size() >= kMaxValidationErrors) {
    errors_.push_back({{"Too many validation errors, error limit reached. Validation aborted.",
                        {},
                        {},
                        kValidationFailed},
                       {}});
    full_ = true;
    return false;
  }
  errors_.push_back({{std::move(message), {}, {}, kValidationFailed}, std::move(offsets)});
  return true;
}

std::vector<Error> Context::TakeErrors() { return Locate(document_.source, std::move(errors_)); }

std::vector<const SelectionNode*> Context::FragmentSpreads(
    const std::vector<SelectionNode>& selections) {
  std::vector<const SelectionNode*> spreads;
  std::vector<const std::vector<SelectionNode>*> pending{&selections};
  while (!pending.empty()) {
    const auto* set = pending.back();
    pending.pop_back();
    for (const auto& selection : *set) {
      if (selection.kind == SelectionNode::Kind::kFragmentSpread) {
        spreads.push_back(&selection);
      } else if (!selection.selections.empty()) {
        pending.push_back(&selection.selections);
      }
    }
  }
  return spreads;
}

std::vector<const DefinitionNode*> Context::RecursiveFragments(const DefinitionNode& operation) {
  std::vector<const DefinitionNode*> fragments;
  std::set<std::string_view> collected;
  std::vector<const std::vector<SelectionNode>*> pending{&operation.selections};
  while (!pending.empty()) {
    const auto* set = pending.back();
    pending.pop_back();
    for (const SelectionNode* spread : FragmentSpreads(*set)) {
      if (!collected.insert(spread->name).second) continue;
      const DefinitionNode* fragment = Fragment(spread->name);
      if (fragment == nullptr) continue;
      fragments.push_back(fragment);
      pending.push_back(&fragment->selections);
    }
  }
  return fragments;
}

namespace {

class UsageCollector : public TypedVisitor {
 public:
  explicit UsageCollector(std::vector<VariableUsage>& usages) : usages_(usages) {}

  // Variable definitions hold constants only (the parser refuses variables there).
  bool EnterValue(const ValueNode& value) override {
    if (value.kind == ValueNode::Kind::kVariable) {
      usages_.push_back({&value, input_type(), has_default(), parent_input_type()});
    }
    return true;
  }

 private:
  std::vector<VariableUsage>& usages_;
};

}  // namespace

const std::vector<VariableUsage>& Context::VariableUsages(const DefinitionNode& definition) {
  auto it = usages_.find(&definition);
  if (it != usages_.end()) return it->second;
  std::vector<VariableUsage>& usages = usages_[&definition];
  UsageCollector collector(usages);
  WalkDefinition(*this, definition, collector);
  return usages;
}

std::vector<VariableUsage> Context::RecursiveVariableUsages(const DefinitionNode& operation) {
  std::vector<VariableUsage> usages = VariableUsages(operation);
  for (const DefinitionNode* fragment : RecursiveFragments(operation)) {
    const auto& more = VariableUsages(*fragment);
    usages.insert(usages.end(), more.begin(), more.end());
  }
  return usages;
}

}  // namespace leadline::graphql::validation
