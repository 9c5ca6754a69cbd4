// OverlappingFieldsCanBeMerged (specification 5.3.2): fields with the same response key must be
// the same field with the same arguments (unless their parents can never be the same object)
// and return shapes that can merge. A port of graphql-js 16's algorithm with its memoisation,
// so each conflict is reported once and as many times as graphql-js reports it, and with its
// work budget, so hostile documents cannot make the check quadratic without bound.
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

#include "api/graphql/rules.h"
#include "api/graphql/typed_walker.h"

namespace leadline::graphql::validation {
namespace {

constexpr size_t kMaxConflictDetail = 1000;
constexpr size_t kMaxConflictNodes = 20;
constexpr int64_t kBudget = 500'000;

struct FieldDetail {
  const Type* parent_type = nullptr;
  const SelectionNode* node = nullptr;
  const Field* definition = nullptr;
  bool simple_leaf = false;
};

struct Collected {
  std::vector<std::pair<std::string_view, std::vector<FieldDetail>>> grouped;
  std::unordered_map<std::string_view, size_t> index;
  std::vector<std::string_view> fragment_names;
  std::map<std::string_view, bool> compared_fragments;
};

struct Conflict {
  std::string_view response_name;
  std::string reason;
  std::vector<const SelectionNode*> fields1;
  std::vector<const SelectionNode*> fields2;
};

struct BudgetExhausted {};

std::string Abbreviate(std::string text) {
  if (text.size() > kMaxConflictDetail) text = text.substr(0, kMaxConflictDetail) + "...";
  return text;
}

// Arguments compare by their literal, with object fields in name order (graphql-js
// stringifyValue).
std::string Canonical(const ValueNode& value) {
  switch (value.kind) {
    case ValueNode::Kind::kVariable:
      return "$" + value.text;
    case ValueNode::Kind::kList: {
      std::string out = "[";
      for (const auto& item : value.items) out += Canonical(item) + ",";
      return out + "]";
    }
    case ValueNode::Kind::kObject: {
      std::vector<std::pair<std::string, std::string>> fields;
      for (const auto& field : value.fields)
        fields.emplace_back(field.name, Canonical(field.value));
      std::stable_sort(fields.begin(), fields.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      std::string out = "{";
      for (const auto& [name, text] : fields) out += name + ":" + text + ",";
      return out + "}";
    }
    case ValueNode::Kind::kString:
      return std::string(value.block_string ? "B" : "S") + std::to_string(value.text.size()) + ":" +
             value.text;
    case ValueNode::Kind::kInt:
      return "I" + value.text;
    case ValueNode::Kind::kFloat:
      return "F" + value.text;
    case ValueNode::Kind::kEnum:
      return "E" + value.text;
    case ValueNode::Kind::kBoolean:
      return value.boolean ? "true" : "false";
    case ValueNode::Kind::kNull:
      return "null";
  }
  return "";
}

class Overlap {
 public:
  explicit Overlap(Context& context) : context_(context), schema_(context.schema()) {}

  std::vector<Conflict> WithinSelectionSet(const Type* parent,
                                           const std::vector<SelectionNode>& selections) {
    std::vector<Conflict> conflicts;
    Collected& collected = CollectFields(parent, selections);
    Within(conflicts, collected);
    const auto& names = collected.fragment_names;
    if (!names.empty() && (!collected.grouped.empty() || names.size() > 1)) {
      for (size_t i = 0; i < names.size(); ++i) {
        BetweenFieldsAndFragment(conflicts, false, collected, names[i]);
        for (size_t j = i + 1; j < names.size(); ++j) {
          BetweenFragments(conflicts, false, names[i], names[j]);
        }
      }
    }
    return conflicts;
  }

 private:
  void Spend(int64_t cost) {
    budget_ -= cost;
    if (budget_ < 0) throw BudgetExhausted{};
  }

  Collected& CollectFields(const Type* parent, const std::vector<SelectionNode>& selections) {
    auto& slot = cache_[{parent, &selections}];
    if (slot == nullptr) {
      slot = std::make_unique<Collected>();
      CollectImpl(parent, selections, *slot);
    }
    return *slot;
  }

  void CollectImpl(const Type* parent, const std::vector<SelectionNode>& selections,
                   Collected& out) {
    for (const auto& selection : selections) {
      switch (selection.kind) {
        case SelectionNode::Kind::kField: {
          const Field* definition = nullptr;
          if (parent != nullptr &&
              (parent->kind == TypeKind::kObject || parent->kind == TypeKind::kInterface)) {
            definition = parent->FindField(selection.name);
          }
          const std::string_view key = selection.ResponseKey();
          const auto [it, added] = out.index.emplace(key, out.grouped.size());
          if (added) out.grouped.push_back({key, {}});
          out.grouped[it->second].second.push_back(
              {parent, &selection, definition,
               selection.arguments.empty() && !selection.has_selection_set});
          break;
        }
        case SelectionNode::Kind::kFragmentSpread:
          if (std::find(out.fragment_names.begin(), out.fragment_names.end(), selection.name) ==
              out.fragment_names.end()) {
            out.fragment_names.push_back(selection.name);
          }
          break;
        case SelectionNode::Kind::kInlineFragment:
          CollectImpl(selection.type_condition.empty() ? parent
                                                       : schema_.FindType(selection.type_condition),
                      selection.selections, out);
          break;
      }
    }
  }

  Collected* FragmentFields(std::string_view name) {
    const DefinitionNode* fragment = context_.Fragment(name);
    if (fragment == nullptr) return nullptr;
    return &CollectFields(schema_.FindType(fragment->type_condition), fragment->selections);
  }

  void BetweenFieldsAndFragment(std::vector<Conflict>& conflicts, bool exclusive,
                                Collected& collected, std::string_view name) {
    Spend(1);
    if (collected.grouped.empty()) return;
    const auto compared = collected.compared_fragments.find(name);
    if (compared != collected.compared_fragments.end() &&
        (compared->second == false || exclusive)) {
      return;
    }
    collected.compared_fragments[name] = exclusive;
    Collected* fragment = FragmentFields(name);
    if (fragment == nullptr || fragment == &collected) return;
    Between(conflicts, exclusive, collected, *fragment);
    const auto referenced = fragment->fragment_names;  // copy: recursion may grow the cache
    for (std::string_view next : referenced) {
      BetweenFieldsAndFragment(conflicts, exclusive, collected, next);
    }
  }

  bool PairCompared(std::string_view a, std::string_view b, bool exclusive) const {
    for (const auto& key : {std::make_pair(a, b), std::make_pair(b, a)}) {
      const auto it = compared_pairs_.find(key);
      if (it != compared_pairs_.end() && (exclusive || it->second == exclusive)) return true;
    }
    return false;
  }

  void BetweenFragments(std::vector<Conflict>& conflicts, bool exclusive, std::string_view name1,
                        std::string_view name2) {
    Spend(2);
    if (name1 == name2) return;
    if (PairCompared(name1, name2, exclusive)) return;
    compared_pairs_[{name1, name2}] = exclusive;
    Collected* fragment1 = FragmentFields(name1);
    Collected* fragment2 = FragmentFields(name2);
    if (fragment1 == nullptr || fragment2 == nullptr) return;
    Between(conflicts, exclusive, *fragment1, *fragment2);
    const auto names2 = fragment2->fragment_names;
    for (std::string_view next : names2) BetweenFragments(conflicts, exclusive, name1, next);
    const auto names1 = fragment1->fragment_names;
    for (std::string_view next : names1) BetweenFragments(conflicts, exclusive, next, name2);
  }

  std::vector<Conflict> BetweenSubSelectionSets(bool exclusive, const Type* parent1,
                                                const std::vector<SelectionNode>& selections1,
                                                const Type* parent2,
                                                const std::vector<SelectionNode>& selections2) {
    std::vector<Conflict> conflicts;
    Collected& collected1 = CollectFields(parent1, selections1);
    Collected& collected2 = CollectFields(parent2, selections2);
    Between(conflicts, exclusive, collected1, collected2);
    const auto names1 = collected1.fragment_names;
    const auto names2 = collected2.fragment_names;
    for (std::string_view name : names2) {
      BetweenFieldsAndFragment(conflicts, exclusive, collected1, name);
    }
    for (std::string_view name : names1) {
      BetweenFieldsAndFragment(conflicts, exclusive, collected2, name);
    }
    for (std::string_view name1 : names1) {
      for (std::string_view name2 : names2) BetweenFragments(conflicts, exclusive, name1, name2);
    }
    return conflicts;
  }

  void Within(std::vector<Conflict>& conflicts, Collected& collected) {
    for (auto& [name, fields] : collected.grouped) {
      for (size_t i = 0; i < fields.size(); ++i) {
        for (size_t j = i + 1; j < fields.size(); ++j) {
          if (auto conflict = FindConflict(false, name, fields[i], fields[j])) {
            conflicts.push_back(std::move(*conflict));
          }
        }
      }
    }
  }

  void Between(std::vector<Conflict>& conflicts, bool exclusive, Collected& collected1,
               Collected& collected2) {
    if (collected1.grouped.empty() || collected2.grouped.empty()) return;
    for (auto& [name, fields1] : collected1.grouped) {
      Spend(1);
      const auto it = collected2.index.find(name);
      if (it == collected2.index.end()) continue;
      auto& fields2 = collected2.grouped[it->second].second;
      for (auto& field1 : fields1) {
        for (auto& field2 : fields2) {
          if (auto conflict = FindConflict(exclusive, name, field1, field2)) {
            conflicts.push_back(std::move(*conflict));
          }
        }
      }
    }
  }

  bool SameArguments(const SelectionNode& a, const SelectionNode& b) {
    if (a.arguments.size() != b.arguments.size()) return false;
    for (const auto& argument : a.arguments) {
      Spend(1);
      const ArgumentNode* other = nullptr;
      for (const auto& candidate : b.arguments) {
        if (candidate.name == argument.name) other = &candidate;
      }
      if (other == nullptr || CanonicalOf(argument.value) != CanonicalOf(other->value)) {
        return false;
      }
    }
    return true;
  }

  // Canonical() of a value, computed once per value (graphql-js caches it too).
  const std::string& CanonicalOf(const ValueNode& value) {
    auto it = canonical_.find(&value);
    if (it == canonical_.end()) it = canonical_.emplace(&value, Canonical(value)).first;
    return it->second;
  }

  bool TypesConflict(const Type* a, const Type* b) {
    if (SameType(a, b)) return false;
    Spend(1);
    if (a->is_list()) return b->is_list() ? TypesConflict(a->of_type, b->of_type) : true;
    if (b->is_list()) return true;
    if (a->is_non_null()) return b->is_non_null() ? TypesConflict(a->of_type, b->of_type) : true;
    if (b->is_non_null()) return true;
    if (a->is_leaf() || b->is_leaf()) return a != b;
    return false;
  }

  std::optional<Conflict> FindConflict(bool parents_exclusive, std::string_view name,
                                       const FieldDetail& field1, const FieldDetail& field2) {
    const bool exclusive =
        parents_exclusive ||
        (field1.parent_type != field2.parent_type && field1.parent_type != nullptr &&
         field2.parent_type != nullptr && field1.parent_type->kind == TypeKind::kObject &&
         field2.parent_type->kind == TypeKind::kObject);
    Spend(2);
    const Type* type1 = field1.definition != nullptr ? field1.definition->type : nullptr;
    const Type* type2 = field2.definition != nullptr ? field2.definition->type : nullptr;
    if (field1.simple_leaf && field2.simple_leaf && field1.node->name == field2.node->name &&
        (type1 == type2 || (type1 != nullptr && type2 != nullptr && SameType(type1, type2)))) {
      return std::nullopt;
    }
    const auto conflict = [&](std::string reason) {
      return Conflict{name, std::move(reason), {field1.node}, {field2.node}};
    };
    if (!exclusive) {
      if (field1.node->name != field2.node->name) {
        return conflict("\"" + Abbreviate(field1.node->name) + "\" and \"" +
                        Abbreviate(field2.node->name) + "\" are different fields");
      }
      if (!SameArguments(*field1.node, *field2.node)) {
        return conflict("they have differing arguments");
      }
    }
    if (type1 != nullptr && type2 != nullptr && TypesConflict(type1, type2)) {
      return conflict("they return conflicting types \"" + PrintType(type1) + "\" and \"" +
                      PrintType(type2) + "\"");
    }
    if (field1.node->has_selection_set && field2.node->has_selection_set) {
      auto sub = BetweenSubSelectionSets(exclusive, type1 ? type1->Named() : nullptr,
                                         field1.node->selections, type2 ? type2->Named() : nullptr,
                                         field2.node->selections);
      if (sub.empty()) return std::nullopt;
      std::string message;
      for (const auto& inner : sub) {
        message += (message.empty() ? "" : " and ") + std::string("subfields \"") +
                   Abbreviate(std::string(inner.response_name)) + "\" conflict because " +
                   inner.reason;
        if (message.size() > kMaxConflictDetail) break;
      }
      Conflict result{name, Abbreviate(message), {field1.node}, {field2.node}};
      const auto gather = [&](std::vector<const SelectionNode*>& nodes, bool first_side) {
        for (const auto& inner : sub) {
          const auto& side = first_side ? inner.fields1 : inner.fields2;
          const size_t remaining = kMaxConflictNodes - nodes.size();
          const size_t take = std::min(remaining, side.size());
          nodes.insert(nodes.end(), side.end() - static_cast<std::ptrdiff_t>(take), side.end());
          if (nodes.size() == kMaxConflictNodes) break;
        }
      };
      gather(result.fields1, true);
      gather(result.fields2, false);
      return result;
    }
    return std::nullopt;
  }

  Context& context_;
  const Schema& schema_;
  int64_t budget_ = kBudget;
  std::map<std::pair<const Type*, const std::vector<SelectionNode>*>, std::unique_ptr<Collected>>
      cache_;
  std::map<std::pair<std::string_view, std::string_view>, bool> compared_pairs_;
  std::unordered_map<const ValueNode*, std::string> canonical_;
};

class SelectionSets : public TypedVisitor {
 public:
  SelectionSets(Context& context, Overlap& overlap) : context_(context), overlap_(overlap) {}

  void EnterSelectionSet(const std::vector<SelectionNode>& selections,
                         bool of_inline_fragment) override {
    if (of_inline_fragment) return;
    if (selections.size() <= 1 && selections.front().kind != SelectionNode::Kind::kInlineFragment) {
      return;
    }
    for (const Conflict& conflict : overlap_.WithinSelectionSet(parent_type(), selections)) {
      std::vector<uint32_t> offsets;
      for (const SelectionNode* node : conflict.fields1) offsets.push_back(node->offset);
      for (const SelectionNode* node : conflict.fields2) offsets.push_back(node->offset);
      context_.Report("Fields \"" + Abbreviate(std::string(conflict.response_name)) +
                          "\" conflict because " + conflict.reason +
                          ". Use different aliases on the fields to fetch both if this was "
                          "intentional.",
                      offsets);
    }
  }

 private:
  Context& context_;
  Overlap& overlap_;
};

}  // namespace

void OverlappingFieldsCanBeMerged(Context& context) {
  Overlap overlap(context);
  SelectionSets visitor(context, overlap);
  try {
    WalkDocument(context, visitor);
  } catch (const BudgetExhausted&) {
    context.Report("Validation aborted: the document's overlapping fields are too many to compare.",
                   {});
  }
}

}  // namespace leadline::graphql::validation
