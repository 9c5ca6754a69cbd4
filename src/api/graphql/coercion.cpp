#include "api/graphql/coercion.h"

#include <cmath>
#include <cstdlib>

namespace leadline::graphql {
namespace {

bool IsBuiltinScalar(const Type* type, std::string_view name) { return type->name == name; }

std::string NumberText(double d) { return ToJson(Value::Float(d)); }

// A literal without a type (custom scalars take any literal).
std::optional<Value> UntypedLiteral(const ValueNode& literal, const Value* variables) {
  switch (literal.kind) {
    case ValueNode::Kind::kNull:
      return Value::Null();
    case ValueNode::Kind::kInt:
      return Value::Int(std::strtoll(literal.text.c_str(), nullptr, 10));
    case ValueNode::Kind::kFloat:
      return Value::Float(std::strtod(literal.text.c_str(), nullptr));
    case ValueNode::Kind::kString:
    case ValueNode::Kind::kEnum:
      return Value::String(literal.text);
    case ValueNode::Kind::kBoolean:
      return Value::Boolean(literal.boolean);
    case ValueNode::Kind::kVariable: {
      const Value* value = variables != nullptr ? variables->Find(literal.text) : nullptr;
      if (value == nullptr) return std::nullopt;
      return *value;
    }
    case ValueNode::Kind::kList: {
      Value list = Value::List();
      for (const auto& item : literal.items) {
        auto value = UntypedLiteral(item, variables);
        list.list.push_back(value ? std::move(*value) : Value::Null());
      }
      return list;
    }
    case ValueNode::Kind::kObject: {
      Value object = Value::Object();
      for (const auto& field : literal.fields) {
        auto value = UntypedLiteral(field.value, variables);
        if (value) object.object.emplace_back(field.name, std::move(*value));
      }
      return object;
    }
  }
  return std::nullopt;
}

std::optional<Value> LeafFromLiteral(const ValueNode& literal, const Type* type,
                                     const Value* variables) {
  if (type->kind == TypeKind::kEnum) {
    if (literal.kind != ValueNode::Kind::kEnum || type->FindEnumValue(literal.text) == nullptr) {
      return std::nullopt;
    }
    return Value::Enum(literal.text);
  }
  if (IsBuiltinScalar(type, "Int")) {
    if (literal.kind != ValueNode::Kind::kInt) return std::nullopt;
    errno = 0;
    const long long number = std::strtoll(literal.text.c_str(), nullptr, 10);
    if (errno != 0 || number > INT32_MAX || number < INT32_MIN) return std::nullopt;
    return Value::Int(number);
  }
  if (IsBuiltinScalar(type, "Float")) {
    if (literal.kind != ValueNode::Kind::kInt && literal.kind != ValueNode::Kind::kFloat) {
      return std::nullopt;
    }
    const double number = std::strtod(literal.text.c_str(), nullptr);
    if (!std::isfinite(number)) return std::nullopt;
    return Value::Float(number);
  }
  if (IsBuiltinScalar(type, "String")) {
    if (literal.kind != ValueNode::Kind::kString) return std::nullopt;
    return Value::String(literal.text);
  }
  if (IsBuiltinScalar(type, "Boolean")) {
    if (literal.kind != ValueNode::Kind::kBoolean) return std::nullopt;
    return Value::Boolean(literal.boolean);
  }
  if (IsBuiltinScalar(type, "ID")) {
    if (literal.kind != ValueNode::Kind::kString && literal.kind != ValueNode::Kind::kInt) {
      return std::nullopt;
    }
    return Value::String(literal.text);
  }
  return UntypedLiteral(literal, variables);
}

bool IsMissingVariable(const ValueNode& literal, const Value* variables) {
  return literal.kind == ValueNode::Kind::kVariable &&
         (variables == nullptr || variables->Find(literal.text) == nullptr);
}

std::string PathText(const std::vector<PathSegment>& path) {
  std::string text;
  for (const auto& segment : path) {
    text += segment.index >= 0 ? "[" + std::to_string(segment.index) + "]" : "." + segment.key;
  }
  return text;
}

struct Problem {
  std::vector<PathSegment> path;
  Value invalid;
  std::string message;
};

std::optional<Value> CoerceLeaf(const Value& input, const Type* type, std::string* message) {
  const auto fail = [&](std::string text) -> std::optional<Value> {
    *message = std::move(text);
    return std::nullopt;
  };
  if (type->kind == TypeKind::kEnum) {
    if (input.kind != Value::Kind::kString) {
      return fail("Enum \"" + type->name +
                  "\" cannot represent non-string value: " + InspectValue(input) + ".");
    }
    if (type->FindEnumValue(input.string) == nullptr) {
      return fail("Value \"" + input.string + "\" does not exist in \"" + type->name + "\" enum.");
    }
    return Value::Enum(input.string);
  }
  if (type->name == "Int") {
    if (input.kind == Value::Kind::kFloat) {
      return fail("Int cannot represent non-integer value: " + InspectValue(input));
    }
    if (input.kind != Value::Kind::kInt) {
      return fail("Int cannot represent non-integer value: " + InspectValue(input));
    }
    if (input.integer > INT32_MAX || input.integer < INT32_MIN) {
      return fail("Int cannot represent non 32-bit signed integer value: " + InspectValue(input));
    }
    return input;
  }
  if (type->name == "Float") {
    if (input.kind == Value::Kind::kInt) return Value::Float(static_cast<double>(input.integer));
    if (input.kind != Value::Kind::kFloat) {
      return fail("Float cannot represent non numeric value: " + InspectValue(input));
    }
    return input;
  }
  if (type->name == "String") {
    if (input.kind != Value::Kind::kString) {
      return fail("String cannot represent a non string value: " + InspectValue(input));
    }
    return input;
  }
  if (type->name == "Boolean") {
    if (input.kind != Value::Kind::kBoolean) {
      return fail("Boolean cannot represent a non boolean value: " + InspectValue(input));
    }
    return input;
  }
  if (type->name == "ID") {
    if (input.kind == Value::Kind::kString) return input;
    if (input.kind == Value::Kind::kInt) return Value::String(std::to_string(input.integer));
    return fail("ID cannot represent value: " + InspectValue(input));
  }
  return input;  // custom scalars take any JSON value
}

std::optional<Value> Coerce(const Value& input, const Type* type, std::vector<PathSegment>& path,
                            std::vector<Problem>& problems) {
  if (type->is_non_null()) {
    if (!input.is_null()) return Coerce(input, type->of_type, path, problems);
    problems.push_back(
        {path, input, "Expected non-nullable type \"" + PrintType(type) + "\" not to be null."});
    return std::nullopt;
  }
  if (input.is_null()) return Value::Null();
  if (type->is_list()) {
    if (input.kind != Value::Kind::kList) {
      auto item = Coerce(input, type->of_type, path, problems);
      if (!item) return std::nullopt;
      return Value::List({std::move(*item)});
    }
    Value list = Value::List();
    bool ok = true;
    for (size_t i = 0; i < input.list.size(); ++i) {
      path.push_back({"", static_cast<int>(i)});
      auto item = Coerce(input.list[i], type->of_type, path, problems);
      path.pop_back();
      if (item) {
        list.list.push_back(std::move(*item));
      } else {
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return list;
  }
  if (type->kind == TypeKind::kInputObject) {
    if (input.kind != Value::Kind::kObject) {
      problems.push_back({path, input, "Expected type \"" + type->name + "\" to be an object."});
      return std::nullopt;
    }
    Value object = Value::Object();
    bool ok = true;
    for (const auto& field : type->input_fields) {
      const Value* member = input.Find(field.name);
      if (member == nullptr) {
        if (field.default_value) {
          auto value = ValueFromLiteral(*field.default_value, field.type, nullptr);
          if (value) object.object.emplace_back(field.name, std::move(*value));
        } else if (field.type->is_non_null()) {
          problems.push_back({path, input,
                              "Field \"" + field.name + "\" of required type \"" +
                                  PrintType(field.type) + "\" was not provided."});
          ok = false;
        }
        continue;
      }
      path.push_back({field.name, -1});
      auto value = Coerce(*member, field.type, path, problems);
      path.pop_back();
      if (value) {
        object.object.emplace_back(field.name, std::move(*value));
      } else {
        ok = false;
      }
    }
    for (const auto& [name, member] : input.object) {
      if (type->FindInputField(name) == nullptr) {
        problems.push_back(
            {path, input, "Field \"" + name + "\" is not defined by type \"" + type->name + "\"."});
        ok = false;
      }
    }
    if (ok && type->one_of) {
      if (input.object.size() != 1) {
        problems.push_back(
            {path, input,
             "Exactly one key must be specified for OneOf type \"" + type->name + "\"."});
        ok = false;
      } else if (input.object.front().second.is_null()) {
        problems.push_back(
            {path, input, "Field \"" + input.object.front().first + "\" must be non-null."});
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    return object;
  }
  std::string message;
  auto value = CoerceLeaf(input, type, &message);
  if (!value) problems.push_back({path, input, std::move(message)});
  return value;
}

}  // namespace

std::optional<Value> ValueFromLiteral(const ValueNode& literal, const Type* type,
                                      const Value* variables, bool* absent) {
  if (absent != nullptr) *absent = false;
  if (literal.kind == ValueNode::Kind::kVariable) {
    const Value* value = variables != nullptr ? variables->Find(literal.text) : nullptr;
    if (value == nullptr) {
      if (absent != nullptr) *absent = true;
      return std::nullopt;
    }
    if (value->is_null() && type->is_non_null()) return std::nullopt;
    return *value;
  }
  if (type->is_non_null()) {
    if (literal.kind == ValueNode::Kind::kNull) return std::nullopt;
    return ValueFromLiteral(literal, type->of_type, variables);
  }
  if (literal.kind == ValueNode::Kind::kNull) return Value::Null();
  if (type->is_list()) {
    if (literal.kind != ValueNode::Kind::kList) {
      auto item = ValueFromLiteral(literal, type->of_type, variables);
      if (!item) return std::nullopt;
      return Value::List({std::move(*item)});
    }
    Value list = Value::List();
    for (const auto& item : literal.items) {
      if (IsMissingVariable(item, variables)) {
        if (type->of_type->is_non_null()) return std::nullopt;
        list.list.push_back(Value::Null());
        continue;
      }
      auto value = ValueFromLiteral(item, type->of_type, variables);
      if (!value) return std::nullopt;
      list.list.push_back(std::move(*value));
    }
    return list;
  }
  if (type->kind == TypeKind::kInputObject) {
    if (literal.kind != ValueNode::Kind::kObject) return std::nullopt;
    Value object = Value::Object();
    for (const auto& field : type->input_fields) {
      const ValueNode* node = nullptr;
      for (const auto& candidate : literal.fields) {
        if (candidate.name == field.name) node = &candidate.value;
      }
      if (node == nullptr || IsMissingVariable(*node, variables)) {
        if (field.default_value) {
          auto value = ValueFromLiteral(*field.default_value, field.type, nullptr);
          if (value) object.object.emplace_back(field.name, std::move(*value));
        } else if (field.type->is_non_null()) {
          return std::nullopt;
        }
        continue;
      }
      auto value = ValueFromLiteral(*node, field.type, variables);
      if (!value) return std::nullopt;
      object.object.emplace_back(field.name, std::move(*value));
    }
    if (type->one_of) {
      if (object.object.size() != 1 || object.object.front().second.is_null()) {
        return std::nullopt;
      }
    }
    return object;
  }
  return LeafFromLiteral(literal, type, variables);
}

std::optional<Value> CoerceInputValue(const Value& input, const Type* type, const std::string& name,
                                      std::vector<std::string>* problems) {
  std::vector<PathSegment> path;
  std::vector<Problem> found;
  auto value = Coerce(input, type, path, found);
  for (const auto& problem : found) {
    std::string text =
        "Variable \"$" + name + "\" got invalid value " + InspectValue(problem.invalid);
    if (!problem.path.empty()) text += " at \"" + name + PathText(problem.path) + "\"";
    problems->push_back(text + "; " + problem.message);
  }
  return value;
}

CoercedVariables CoerceVariableValues(const Schema& schema, const Document& document,
                                      const DefinitionNode& operation, const Value& raw,
                                      TypeArena& arena) {
  CoercedVariables result;
  std::vector<PendingError> errors;
  const auto error = [&](const VariableDefinitionNode& definition, std::string message) {
    errors.push_back({{std::move(message), {}, {}, kBadUserInput}, {definition.offset}});
  };
  for (const auto& definition : operation.variables) {
    const Type* type = schema.FromTypeNode(*definition.type, arena);
    if (type == nullptr || !type->IsInputType()) {
      error(definition, "Variable \"$" + definition.name + "\" expected value of type \"" +
                            PrintTypeNode(*definition.type) +
                            "\" which cannot be used as an input type.");
      continue;
    }
    const Value* input = raw.Find(definition.name);
    if (input == nullptr) {
      if (definition.default_value) {
        auto value = ValueFromLiteral(*definition.default_value, type, nullptr);
        if (value) result.values.object.emplace_back(definition.name, std::move(*value));
      } else if (type->is_non_null()) {
        error(definition, "Variable \"$" + definition.name + "\" of required type \"" +
                              PrintType(type) + "\" was not provided.");
      }
      continue;
    }
    if (input->is_null() && type->is_non_null()) {
      error(definition, "Variable \"$" + definition.name + "\" of non-null type \"" +
                            PrintType(type) + "\" must not be null.");
      continue;
    }
    std::vector<std::string> problems;
    auto value = CoerceInputValue(*input, type, definition.name, &problems);
    for (auto& problem : problems) error(definition, std::move(problem));
    if (value) result.values.object.emplace_back(definition.name, std::move(*value));
  }
  result.errors = Locate(document.source, std::move(errors));
  return result;
}

std::optional<Value> CoerceArgumentValues(const std::vector<InputValue>& definitions,
                                          const std::vector<ArgumentNode>& arguments,
                                          const Value& variables, std::string* error) {
  Value coerced = Value::Object();
  for (const auto& definition : definitions) {
    const ArgumentNode* node = nullptr;
    for (const auto& argument : arguments) {
      if (argument.name == definition.name) node = &argument;
    }
    const bool missing = node == nullptr || (node->value.kind == ValueNode::Kind::kVariable &&
                                             variables.Find(node->value.text) == nullptr);
    if (missing) {
      if (definition.default_value) {
        auto value = ValueFromLiteral(*definition.default_value, definition.type, nullptr);
        if (value) coerced.object.emplace_back(definition.name, std::move(*value));
      } else if (definition.type->is_non_null()) {
        *error = node == nullptr
                     ? "Argument \"" + definition.name + "\" of required type \"" +
                           PrintType(definition.type) + "\" was not provided."
                     : "Argument \"" + definition.name + "\" of required type \"" +
                           PrintType(definition.type) + "\" was provided the variable \"$" +
                           node->value.text + "\" which was not provided a runtime value.";
        return std::nullopt;
      }
      continue;
    }
    if (node->value.kind == ValueNode::Kind::kVariable &&
        variables.Find(node->value.text)->is_null() && definition.type->is_non_null()) {
      *error = "Argument \"" + definition.name + "\" of non-null type \"" +
               PrintType(definition.type) + "\" must not be null.";
      return std::nullopt;
    }
    auto value = ValueFromLiteral(node->value, definition.type, &variables);
    if (!value) {
      *error = "Argument \"" + definition.name + "\" has invalid value " +
               PrintValueNode(node->value) + ".";
      return std::nullopt;
    }
    coerced.object.emplace_back(definition.name, std::move(*value));
  }
  return coerced;
}

namespace {

std::string PrintString(std::string_view text) {
  std::string out;
  AppendQuoted(text, QuoteStyle::kGraphql, out);
  return out;
}

}  // namespace

std::string PrintValueNode(const ValueNode& value) {
  switch (value.kind) {
    case ValueNode::Kind::kVariable:
      return "$" + value.text;
    case ValueNode::Kind::kInt:
    case ValueNode::Kind::kFloat:
    case ValueNode::Kind::kEnum:
      return value.text;
    case ValueNode::Kind::kString:
      return PrintString(value.text);
    case ValueNode::Kind::kBoolean:
      return value.boolean ? "true" : "false";
    case ValueNode::Kind::kNull:
      return "null";
    case ValueNode::Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < value.items.size(); ++i) {
        if (i) out += ", ";
        out += PrintValueNode(value.items[i]);
      }
      return out + "]";
    }
    case ValueNode::Kind::kObject: {
      std::string out = "{";
      for (size_t i = 0; i < value.fields.size(); ++i) {
        if (i) out += ", ";
        out += value.fields[i].name + ": " + PrintValueNode(value.fields[i].value);
      }
      return out + "}";
    }
  }
  return "null";
}

std::optional<std::string> PrintValue(const Value& value, const Type* type) {
  if (type->is_non_null()) {
    if (value.is_null()) return std::nullopt;
    return PrintValue(value, type->of_type);
  }
  if (value.is_null()) return "null";
  if (type->is_list()) {
    if (value.kind != Value::Kind::kList) return PrintValue(value, type->of_type);
    std::string out = "[";
    bool first = true;
    for (const auto& item : value.list) {
      auto text = PrintValue(item, type->of_type);
      if (!text) continue;
      if (!first) out += ", ";
      first = false;
      out += *text;
    }
    return out + "]";
  }
  if (type->kind == TypeKind::kInputObject) {
    if (value.kind != Value::Kind::kObject) return std::nullopt;
    std::string out = "{";
    bool first = true;
    for (const auto& field : type->input_fields) {
      const Value* member = value.Find(field.name);
      if (member == nullptr) continue;
      auto text = PrintValue(*member, field.type);
      if (!text) continue;
      if (!first) out += ", ";
      first = false;
      out += field.name + ": " + *text;
    }
    return out + "}";
  }
  switch (value.kind) {
    case Value::Kind::kBoolean:
      return std::string(value.boolean ? "true" : "false");
    case Value::Kind::kInt:
      return std::to_string(value.integer);
    case Value::Kind::kFloat:
      return NumberText(value.number);
    case Value::Kind::kEnum:
      return value.string;
    case Value::Kind::kString: {
      if (type->kind == TypeKind::kEnum) return value.string;
      if (type->name == "ID" && !value.string.empty()) {
        const std::string& s = value.string;
        const size_t digits_from = s[0] == '-' ? 1 : 0;
        const bool integer = s.size() > digits_from &&
                             s.find_first_not_of("0123456789", digits_from) == std::string::npos &&
                             (s[digits_from] != '0' || s.size() == digits_from + 1);
        if (integer) return s;
      }
      return PrintString(value.string);
    }
    default:
      return std::nullopt;
  }
}

std::string InspectValue(const Value& value) {
  switch (value.kind) {
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kBoolean:
      return value.boolean ? "true" : "false";
    case Value::Kind::kInt:
      return std::to_string(value.integer);
    case Value::Kind::kFloat:
      return NumberText(value.number);
    case Value::Kind::kString:
    case Value::Kind::kEnum:
      return ToJson(value);
    case Value::Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < value.list.size(); ++i) {
        if (i) out += ", ";
        out += InspectValue(value.list[i]);
      }
      return out + "]";
    }
    case Value::Kind::kObject: {
      if (value.object.empty()) return "{}";
      std::string out = "{ ";
      for (size_t i = 0; i < value.object.size(); ++i) {
        if (i) out += ", ";
        out += value.object[i].first + ": " + InspectValue(value.object[i].second);
      }
      return out + " }";
    }
  }
  return "null";
}

}  // namespace leadline::graphql
