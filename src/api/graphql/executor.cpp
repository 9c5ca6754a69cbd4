#include "api/graphql/executor.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <set>

#include "api/graphql/coercion.h"
#include "api/graphql/collect_fields.h"
#include "api/graphql/introspection.h"

namespace leadline::graphql {
namespace {

// One position of the response tree.
struct Node {
  enum class State : uint8_t { kNull, kLeaf, kObject, kList };
  State state = State::kNull;
  bool non_null = false;  // the position's type is non-null
  int parent = -1;
  int ordinal = 0;  // the position among its siblings, in depth-first execution order
  int index = -1;   // list index, or -1 for a field
  std::string_view key;
  Value leaf;
  std::vector<int> children;
};

// Objects at one place of the query that share a type and a selection: one resolver call per
// field for all of them.
struct Group {
  const Type* type = nullptr;
  std::vector<const std::vector<SelectionNode>*> selection_sets;
  std::vector<int> nodes;
  std::vector<ObjectHandle> parents;
};

struct FieldError {
  int node = 0;
  std::string message;
  std::vector<uint32_t> offsets;
  std::string code;
};

class Execution {
 public:
  Execution(const Schema& schema, const Document& document, const Value& variables,
            Resolver& resolver)
      : schema_(schema),
        document_(document),
        variables_(variables),
        resolver_(resolver),
        fragments_(FragmentsOf(document)) {}

  Response Run(const DefinitionNode& operation, const ObjectHandle& root) {
    const Type* root_type = schema_.RootType(operation.operation);
    Response response;
    if (root_type == nullptr) {
      response.errors.push_back({std::string("Schema is not configured to execute ") +
                                     OperationTypeName(operation.operation) + " operation.",
                                 {SourceLocation(document_.source, operation.offset)},
                                 {},
                                 kValidationFailed});
      return response;
    }
    nodes_.push_back(Node{Node::State::kObject, false, -1, 0, -1, {}, {}, {}});
    Group group;
    group.type = root_type;
    group.selection_sets.push_back(&operation.selections);
    group.nodes.push_back(0);
    group.parents.push_back(root);
    if (operation.operation == OperationType::kMutation) {
      // Mutation root fields run one after the other, each with everything below it, so a later
      // mutation's effects never show in an earlier one's answer (specification 6.2.2).
      const size_t count =
          CollectFields(schema_, fragments_, variables_, root_type, group.selection_sets).size();
      for (size_t k = 0; k < count; ++k) {
        std::vector<Group> next;
        RunGroup(group, next, k);
        RunLevels(std::move(next));
      }
    } else {
      std::vector<Group> next;
      RunGroup(group, next);
      RunLevels(std::move(next));
    }
    return Finish();
  }

 private:
  // Runs the groups level by level until no objects are left to complete.
  void RunLevels(std::vector<Group> level) {
    while (!level.empty()) {
      std::vector<Group> next;
      for (Group& group : level) RunGroup(group, next);
      level = std::move(next);
    }
  }

  // Resolves and completes the fields of one group (only the field at `only_field` when set),
  // adding the objects to complete below them to `next`.
  void RunGroup(const Group& group, std::vector<Group>& next, size_t only_field = SIZE_MAX) {
    const auto fields =
        CollectFields(schema_, fragments_, variables_, group.type, group.selection_sets);
    std::map<std::pair<size_t, const Type*>, size_t> child_groups;  // -> index in `next`
    for (size_t k = 0; k < fields.size(); ++k) {
      if (only_field != SIZE_MAX && k != only_field) continue;
      const CollectedField& collected = fields[k];
      const SelectionNode& first = *collected.nodes.front();
      const Field* field = schema_.FieldOf(group.type, first.name);
      if (field == nullptr) continue;
      std::vector<int> slots;
      slots.reserve(group.nodes.size());
      for (int parent : group.nodes) {
        Node node;
        node.non_null = field->type->is_non_null();
        node.parent = parent;
        node.ordinal = static_cast<int>(k);
        node.key = collected.response_key;
        const int slot = static_cast<int>(nodes_.size());
        nodes_.push_back(std::move(node));
        nodes_[parent].children.push_back(slot);
        slots.push_back(slot);
      }
      std::vector<Resolved> resolved = ResolveField(group, *field, collected);
      Completion completion{group.type, field, &collected, k, &child_groups, &next};
      for (size_t i = 0; i < slots.size(); ++i) {
        Complete(completion, field->type, resolved[i], slots[i]);
      }
    }
  }

  std::vector<Resolved> ResolveField(const Group& group, const Field& field,
                                     const CollectedField& collected) {
    const size_t count = group.parents.size();
    if (field.name == "__typename") {
      return std::vector<Resolved>(count, Resolved::Leaf(Value::String(group.type->name)));
    }
    std::string error;
    const auto arguments = CoerceArgumentValues(field.arguments, collected.nodes.front()->arguments,
                                                variables_, &error);
    if (!arguments) return std::vector<Resolved>(count, Resolved::Error(error, kBadUserInput));
    const FieldCall call{schema_, group.type, field, *arguments, group.parents, collected.nodes};
    std::vector<Resolved> resolved = IsIntrospectionField(group.type, field)
                                         ? ResolveIntrospection(call)
                                         : resolver_.Resolve(call);
    if (resolved.size() != count) {
      return std::vector<Resolved>(
          count, Resolved::Error("The resolver of " + group.type->name + "." + field.name +
                                     " returned " + std::to_string(resolved.size()) +
                                     " values for " + std::to_string(count) + " parents.",
                                 kInternalError));
    }
    return resolved;
  }

  struct Completion {
    const Type* parent_type;
    const Field* field;
    const CollectedField* collected;
    size_t field_index;
    std::map<std::pair<size_t, const Type*>, size_t>* child_groups;
    std::vector<Group>* next;
  };

  void Fail(const Completion& completion, int node, std::string message, std::string code = {}) {
    FieldError error{node, std::move(message), {}, std::move(code)};
    for (const SelectionNode* selection : completion.collected->nodes) {
      error.offsets.push_back(selection->offset);
    }
    errors_.push_back(std::move(error));
    nodes_[node].state = Node::State::kNull;
  }

  std::string FieldName(const Completion& completion) const {
    return completion.parent_type->name + "." + completion.field->name;
  }

  void Complete(const Completion& completion, const Type* type, Resolved& resolved, int node) {
    if (resolved.kind == Resolved::Kind::kError) {
      Fail(completion, node, std::move(resolved.message), std::move(resolved.code));
      return;
    }
    const bool is_null = resolved.kind == Resolved::Kind::kNull ||
                         (resolved.kind == Resolved::Kind::kLeaf && resolved.leaf.is_null());
    if (is_null) {
      if (type->is_non_null()) {
        Fail(completion, node,
             "Cannot return null for non-nullable field " + FieldName(completion) + ".");
      }
      return;
    }
    const Type* nullable = type->Nullable();
    if (nullable->is_list()) {
      if (resolved.kind != Resolved::Kind::kList) {
        Fail(
            completion, node,
            "Expected Iterable, but did not find one for field \"" + FieldName(completion) + "\".");
        return;
      }
      nodes_[node].state = Node::State::kList;
      for (size_t i = 0; i < resolved.items.size(); ++i) {
        Node item;
        item.non_null = nullable->of_type->is_non_null();
        item.parent = node;
        item.ordinal = static_cast<int>(i);
        item.index = static_cast<int>(i);
        const int slot = static_cast<int>(nodes_.size());
        nodes_.push_back(std::move(item));
        nodes_[node].children.push_back(slot);
        Complete(completion, nullable->of_type, resolved.items[i], slot);
      }
      return;
    }
    if (nullable->is_leaf()) {
      if (resolved.kind != Resolved::Kind::kLeaf) {
        Fail(completion, node,
             "Expected a value of type \"" + nullable->name + "\" for field \"" +
                 FieldName(completion) + "\".");
        return;
      }
      std::string message;
      auto value = Serialize(nullable, resolved.leaf, &message);
      if (!value) {
        Fail(completion, node, std::move(message));
        return;
      }
      nodes_[node].state = Node::State::kLeaf;
      nodes_[node].leaf = std::move(*value);
      return;
    }
    if (resolved.kind != Resolved::Kind::kObject) {
      Fail(completion, node,
           "Expected an object of type \"" + nullable->name + "\" for field \"" +
               FieldName(completion) + "\".");
      return;
    }
    const Type* runtime = nullable;
    if (nullable->is_abstract()) {
      runtime = resolved.type_name.empty() ? nullptr : schema_.FindType(resolved.type_name);
      if (runtime == nullptr || runtime->kind != TypeKind::kObject) {
        Fail(completion, node,
             "Abstract type \"" + nullable->name +
                 "\" must resolve to an Object type at runtime for field \"" +
                 FieldName(completion) + "\". Either the \"" + nullable->name +
                 "\" type should provide a \"resolveType\" function or each possible type "
                 "should provide an \"isTypeOf\" function.");
        return;
      }
      if (!schema_.IsPossibleType(nullable, runtime)) {
        Fail(completion, node,
             "Runtime Object type \"" + runtime->name + "\" is not a possible type for \"" +
                 nullable->name + "\".");
        return;
      }
    }
    nodes_[node].state = Node::State::kObject;
    const auto key = std::make_pair(completion.field_index, runtime);
    auto it = completion.child_groups->find(key);
    if (it == completion.child_groups->end()) {
      Group group;
      group.type = runtime;
      for (const SelectionNode* selection : completion.collected->nodes) {
        group.selection_sets.push_back(&selection->selections);
      }
      completion.next->push_back(std::move(group));
      it = completion.child_groups->emplace(key, completion.next->size() - 1).first;
    }
    Group& group = (*completion.next)[it->second];
    group.nodes.push_back(node);
    group.parents.push_back(std::move(resolved.object));
  }

  // Result coercion of a leaf (specification 3.5 and 3.9).
  static std::optional<Value> Serialize(const Type* type, const Value& value,
                                        std::string* message) {
    const auto fail = [&](std::string text) -> std::optional<Value> {
      *message = std::move(text);
      return std::nullopt;
    };
    if (type->kind == TypeKind::kEnum) {
      if ((value.kind == Value::Kind::kEnum || value.kind == Value::Kind::kString) &&
          type->FindEnumValue(value.string) != nullptr) {
        return Value::Enum(value.string);
      }
      return fail("Enum \"" + type->name + "\" cannot represent value: " + InspectValue(value));
    }
    const std::string& name = type->name;
    if (name == "Int") {
      double number = 0;
      if (value.kind == Value::Kind::kInt) {
        number = static_cast<double>(value.integer);
      } else if (value.kind == Value::Kind::kFloat) {
        number = value.number;
      } else if (value.kind == Value::Kind::kBoolean) {
        number = value.boolean ? 1 : 0;
      } else {
        return fail("Int cannot represent non-integer value: " + InspectValue(value));
      }
      if (std::floor(number) != number) {
        return fail("Int cannot represent non-integer value: " + InspectValue(value));
      }
      if (number > INT32_MAX || number < INT32_MIN) {
        return fail("Int cannot represent non 32-bit signed integer value: " + InspectValue(value));
      }
      return Value::Int(static_cast<int64_t>(number));
    }
    if (name == "Float") {
      if (value.kind == Value::Kind::kInt) return Value::Float(static_cast<double>(value.integer));
      if (value.kind == Value::Kind::kFloat && std::isfinite(value.number)) return value;
      if (value.kind == Value::Kind::kBoolean) return Value::Float(value.boolean ? 1 : 0);
      return fail("Float cannot represent non numeric value: " + InspectValue(value));
    }
    if (name == "String" || name == "ID") {
      switch (value.kind) {
        case Value::Kind::kString:
        case Value::Kind::kEnum:
          return Value::String(value.string);
        case Value::Kind::kInt:
          return Value::String(std::to_string(value.integer));
        case Value::Kind::kFloat:
          if (name == "String") return Value::String(InspectValue(value));
          break;
        case Value::Kind::kBoolean:
          if (name == "String") return Value::String(value.boolean ? "true" : "false");
          break;
        default:
          break;
      }
      return fail(name + " cannot represent value: " + InspectValue(value));
    }
    if (name == "Boolean") {
      if (value.kind == Value::Kind::kBoolean) return value;
      if (value.kind == Value::Kind::kInt) return Value::Boolean(value.integer != 0);
      if (value.kind == Value::Kind::kFloat) return Value::Boolean(value.number != 0);
      return fail("Boolean cannot represent a non boolean value: " + InspectValue(value));
    }
    return value;  // custom scalars pass through
  }

  // The nearest nullable position at or above `node` (the root object when none).
  int NullTarget(int node) const {
    while (node > 0 && nodes_[node].non_null) node = nodes_[node].parent;
    return node;
  }

  std::vector<int> OrderKey(int node) const {
    std::vector<int> key;
    for (; node > 0; node = nodes_[node].parent) key.push_back(nodes_[node].ordinal);
    std::reverse(key.begin(), key.end());
    return key;
  }

  std::vector<PathSegment> PathOf(int node) const {
    std::vector<PathSegment> path;
    for (; node > 0; node = nodes_[node].parent) {
      path.push_back(nodes_[node].index >= 0 ? PathSegment{"", nodes_[node].index}
                                             : PathSegment{std::string(nodes_[node].key), -1});
    }
    std::reverse(path.begin(), path.end());
    return path;
  }

  Value Build(int node) const {
    const Node& n = nodes_[node];
    switch (n.state) {
      case Node::State::kNull:
        return Value::Null();
      case Node::State::kLeaf:
        return n.leaf;
      case Node::State::kList: {
        Value list = Value::List();
        list.list.reserve(n.children.size());
        for (int child : n.children) list.list.push_back(Build(child));
        return list;
      }
      case Node::State::kObject: {
        Value object = Value::Object();
        object.object.reserve(n.children.size());
        for (int child : n.children) {
          object.object.emplace_back(std::string(nodes_[child].key), Build(child));
        }
        return object;
      }
    }
    return Value::Null();
  }

  Response Finish() {
    // Depth-first order: an error inside a subtree that an earlier error abandoned was never
    // reached by a depth-first execution, so it is not reported.
    std::vector<std::pair<std::vector<int>, size_t>> order;
    order.reserve(errors_.size());
    for (size_t i = 0; i < errors_.size(); ++i) order.emplace_back(OrderKey(errors_[i].node), i);
    std::stable_sort(order.begin(), order.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::set<int> abandoned;
    Response response;
    std::vector<PendingError> reported;
    bool data_null = false;
    for (const auto& [key, i] : order) {
      FieldError& error = errors_[i];
      bool reached = true;
      for (int node = error.node; node >= 0; node = nodes_[node].parent) {
        if (abandoned.count(node)) {
          reached = false;
          break;
        }
      }
      if (!reached) continue;
      const int target = NullTarget(error.node);
      abandoned.insert(target);
      if (target == 0) {
        data_null = true;
      } else {
        nodes_[target].state = Node::State::kNull;
      }
      reported.push_back({{std::move(error.message), {}, PathOf(error.node), std::move(error.code)},
                          std::move(error.offsets)});
    }
    response.errors = Locate(document_.source, std::move(reported));
    response.has_data = true;
    response.data = data_null ? Value::Null() : Build(0);
    return response;
  }

  const Schema& schema_;
  const Document& document_;
  const Value& variables_;
  Resolver& resolver_;
  FragmentMap fragments_;
  std::vector<Node> nodes_;
  std::vector<FieldError> errors_;
};

}  // namespace

std::string ResponseToJson(const Response& response) {
  std::string out = "{";
  if (!response.errors.empty()) {
    out += "\"errors\":[";
    for (size_t i = 0; i < response.errors.size(); ++i) {
      const Error& error = response.errors[i];
      if (i) out += ',';
      out += "{\"message\":";
      AppendJsonString(error.message, out);
      if (!error.locations.empty()) {
        out += ",\"locations\":[";
        for (size_t j = 0; j < error.locations.size(); ++j) {
          if (j) out += ',';
          out += "{\"line\":" + std::to_string(error.locations[j].line) +
                 ",\"column\":" + std::to_string(error.locations[j].column) + "}";
        }
        out += ']';
      }
      if (!error.path.empty()) {
        out += ",\"path\":[";
        for (size_t j = 0; j < error.path.size(); ++j) {
          if (j) out += ',';
          if (error.path[j].index >= 0) {
            out += std::to_string(error.path[j].index);
          } else {
            AppendJsonString(error.path[j].key, out);
          }
        }
        out += ']';
      }
      if (!error.code.empty()) {
        out += ",\"extensions\":{\"code\":";
        AppendJsonString(error.code, out);
        out += '}';
      }
      out += '}';
    }
    out += ']';
  }
  if (response.has_data) {
    if (!response.errors.empty()) out += ',';
    out += "\"data\":";
    AppendJson(response.data, out);
  }
  out += '}';
  return out;
}

const DefinitionNode* SelectOperation(const Document& document, std::string_view operation_name,
                                      Error* error) {
  const DefinitionNode* found = nullptr;
  for (const auto& definition : document.definitions) {
    if (definition.kind != DefinitionNode::Kind::kOperation) continue;
    if (operation_name.empty()) {
      if (found != nullptr) {
        *error = {"Must provide operation name if query contains multiple operations.",
                  {},
                  {},
                  kBadUserInput};
        return nullptr;
      }
      found = &definition;
    } else if (definition.name == operation_name) {
      found = &definition;
    }
  }
  if (found == nullptr) {
    *error = {operation_name.empty()
                  ? std::string("Must provide an operation.")
                  : "Unknown operation named \"" + std::string(operation_name) + "\".",
              {},
              {},
              kBadUserInput};
  }
  return found;
}

Response Execute(const Schema& schema, const Document& document, const DefinitionNode& operation,
                 const Value& raw_variables, Resolver& resolver, const ObjectHandle& root) {
  TypeArena arena;
  CoercedVariables variables =
      CoerceVariableValues(schema, document, operation, raw_variables, arena);
  if (!variables.errors.empty()) {
    Response response;
    response.errors = std::move(variables.errors);
    return response;
  }
  Execution execution(schema, document, variables.values, resolver);
  return execution.Run(operation, root);
}

}  // namespace leadline::graphql
