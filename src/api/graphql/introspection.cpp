#include "api/graphql/introspection.h"

#include "api/graphql/coercion.h"

namespace leadline::graphql {
namespace {

Resolved Text(const std::string& text) { return Resolved::Leaf(Value::String(text)); }
Resolved OptionalText(const std::optional<std::string>& text) {
  return text ? Text(*text) : Resolved::Null();
}
Resolved Flag(bool flag) { return Resolved::Leaf(Value::Boolean(flag)); }
Resolved TypeRef(const Type* type) {
  return type == nullptr ? Resolved::Null() : Resolved::Object(Unowned(type), "__Type");
}

bool IncludeDeprecated(const Value& arguments) {
  const Value* flag = arguments.Find("includeDeprecated");
  return flag != nullptr && flag->kind == Value::Kind::kBoolean && flag->boolean;
}

Resolved InputValues(const std::vector<InputValue>& values, bool include_deprecated) {
  std::vector<Resolved> items;
  for (const auto& value : values) {
    if (value.deprecation_reason && !include_deprecated) continue;
    items.push_back(Resolved::Object(Unowned(&value), "__InputValue"));
  }
  return Resolved::List(std::move(items));
}

Resolved SchemaField(const Schema& schema, std::string_view name, const Value& arguments) {
  if (name == "description") return OptionalText(schema.description());
  if (name == "types") {
    std::vector<Resolved> items;
    for (const Type* type : schema.types()) items.push_back(TypeRef(type));
    return Resolved::List(std::move(items));
  }
  if (name == "queryType") return TypeRef(schema.query_type());
  if (name == "mutationType") return TypeRef(schema.mutation_type());
  if (name == "subscriptionType") return TypeRef(schema.subscription_type());
  if (name == "directives") {
    std::vector<Resolved> items;
    for (const auto& directive : schema.directives()) {
      if (directive.deprecation_reason && !IncludeDeprecated(arguments)) continue;
      items.push_back(Resolved::Object(Unowned(&directive), "__Directive"));
    }
    return Resolved::List(std::move(items));
  }
  return Resolved::Null();
}

Resolved TypeField(const Schema& schema, const Type& type, std::string_view name,
                   const Value& arguments) {
  const bool include_deprecated = IncludeDeprecated(arguments);
  if (name == "kind") return Resolved::Leaf(Value::Enum(TypeKindName(type.kind)));
  if (name == "name") return type.is_wrapper() ? Resolved::Null() : Text(type.name);
  if (name == "description") return OptionalText(type.description);
  if (name == "specifiedByURL") return OptionalText(type.specified_by_url);
  if (name == "fields") {
    if (type.kind != TypeKind::kObject && type.kind != TypeKind::kInterface) return {};
    std::vector<Resolved> items;
    for (const auto& field : type.fields) {
      if (field.deprecation_reason && !include_deprecated) continue;
      items.push_back(Resolved::Object(Unowned(&field), "__Field"));
    }
    return Resolved::List(std::move(items));
  }
  if (name == "interfaces") {
    if (type.kind != TypeKind::kObject && type.kind != TypeKind::kInterface) return {};
    std::vector<Resolved> items;
    for (const Type* interface : type.interfaces) items.push_back(TypeRef(interface));
    return Resolved::List(std::move(items));
  }
  if (name == "possibleTypes") {
    if (!type.is_abstract()) return {};
    std::vector<Resolved> items;
    for (const Type* possible : type.possible_types) items.push_back(TypeRef(possible));
    return Resolved::List(std::move(items));
  }
  if (name == "enumValues") {
    if (type.kind != TypeKind::kEnum) return {};
    std::vector<Resolved> items;
    for (const auto& value : type.enum_values) {
      if (value.deprecation_reason && !include_deprecated) continue;
      items.push_back(Resolved::Object(Unowned(&value), "__EnumValue"));
    }
    return Resolved::List(std::move(items));
  }
  if (name == "inputFields") {
    if (type.kind != TypeKind::kInputObject) return {};
    return InputValues(type.input_fields, include_deprecated);
  }
  if (name == "ofType") return TypeRef(type.of_type);
  if (name == "isOneOf") {
    return type.kind == TypeKind::kInputObject ? Flag(type.one_of) : Resolved::Null();
  }
  (void)schema;
  return {};
}

Resolved FieldField(const Field& field, std::string_view name, const Value& arguments) {
  if (name == "name") return Text(field.name);
  if (name == "description") return OptionalText(field.description);
  if (name == "args") return InputValues(field.arguments, IncludeDeprecated(arguments));
  if (name == "type") return TypeRef(field.type);
  if (name == "isDeprecated") return Flag(field.deprecation_reason.has_value());
  if (name == "deprecationReason") return OptionalText(field.deprecation_reason);
  return {};
}

Resolved InputValueField(const InputValue& value, std::string_view name) {
  if (name == "name") return Text(value.name);
  if (name == "description") return OptionalText(value.description);
  if (name == "type") return TypeRef(value.type);
  if (name == "defaultValue") {
    if (!value.default_value) return {};
    auto coerced = ValueFromLiteral(*value.default_value, value.type, nullptr);
    if (!coerced) return {};
    return OptionalText(PrintValue(*coerced, value.type));
  }
  if (name == "isDeprecated") return Flag(value.deprecation_reason.has_value());
  if (name == "deprecationReason") return OptionalText(value.deprecation_reason);
  return {};
}

Resolved EnumValueField(const EnumValue& value, std::string_view name) {
  if (name == "name") return Text(value.name);
  if (name == "description") return OptionalText(value.description);
  if (name == "isDeprecated") return Flag(value.deprecation_reason.has_value());
  if (name == "deprecationReason") return OptionalText(value.deprecation_reason);
  return {};
}

Resolved DirectiveField(const Directive& directive, std::string_view name, const Value& arguments) {
  if (name == "name") return Text(directive.name);
  if (name == "description") return OptionalText(directive.description);
  if (name == "isRepeatable") return Flag(directive.repeatable);
  if (name == "locations") {
    std::vector<Resolved> items;
    for (const auto& location : directive.locations) {
      items.push_back(Resolved::Leaf(Value::Enum(location)));
    }
    return Resolved::List(std::move(items));
  }
  if (name == "args") return InputValues(directive.arguments, IncludeDeprecated(arguments));
  if (name == "isDeprecated") return Flag(directive.deprecation_reason.has_value());
  if (name == "deprecationReason") return OptionalText(directive.deprecation_reason);
  return {};
}

}  // namespace

bool IsIntrospectionField(const Type* parent_type, const Field& field) {
  return parent_type->name.starts_with("__") || field.name == "__schema" || field.name == "__type";
}

std::vector<Resolved> ResolveIntrospection(const FieldCall& call) {
  std::vector<Resolved> out;
  out.reserve(call.parents.size());
  const std::string& parent = call.parent_type->name;
  const std::string& name = call.field.name;
  for (const ObjectHandle& handle : call.parents) {
    const void* object = handle.get();
    if (name == "__schema") {
      out.push_back(Resolved::Object(Unowned(&call.schema), "__Schema"));
    } else if (name == "__type") {
      const Value* type_name = call.arguments.Find("name");
      out.push_back(TypeRef(type_name ? call.schema.FindType(type_name->string) : nullptr));
    } else if (parent == "__Schema") {
      out.push_back(SchemaField(call.schema, name, call.arguments));
    } else if (parent == "__Type") {
      out.push_back(
          TypeField(call.schema, *static_cast<const Type*>(object), name, call.arguments));
    } else if (parent == "__Field") {
      out.push_back(FieldField(*static_cast<const Field*>(object), name, call.arguments));
    } else if (parent == "__InputValue") {
      out.push_back(InputValueField(*static_cast<const InputValue*>(object), name));
    } else if (parent == "__EnumValue") {
      out.push_back(EnumValueField(*static_cast<const EnumValue*>(object), name));
    } else if (parent == "__Directive") {
      out.push_back(DirectiveField(*static_cast<const Directive*>(object), name, call.arguments));
    } else {
      out.push_back(Resolved::Null());
    }
  }
  return out;
}

}  // namespace leadline::graphql
