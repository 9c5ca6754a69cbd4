#include "api/graphql/schema.h"

#include <algorithm>
#include <set>

#include "api/graphql/builtin_sdl.h"
#include "api/graphql/parser.h"

namespace leadline::graphql {

const char* TypeKindName(TypeKind kind) {
  switch (kind) {
    case TypeKind::kScalar:
      return "SCALAR";
    case TypeKind::kObject:
      return "OBJECT";
    case TypeKind::kInterface:
      return "INTERFACE";
    case TypeKind::kUnion:
      return "UNION";
    case TypeKind::kEnum:
      return "ENUM";
    case TypeKind::kInputObject:
      return "INPUT_OBJECT";
    case TypeKind::kList:
      return "LIST";
    case TypeKind::kNonNull:
      return "NON_NULL";
  }
  return "SCALAR";
}

const InputValue* Field::FindArgument(std::string_view argument) const {
  for (const auto& candidate : arguments) {
    if (candidate.name == argument) return &candidate;
  }
  return nullptr;
}

const InputValue* Directive::FindArgument(std::string_view argument) const {
  for (const auto& candidate : arguments) {
    if (candidate.name == argument) return &candidate;
  }
  return nullptr;
}

const Field* Type::FindField(std::string_view field) const {
  for (const auto& candidate : fields) {
    if (candidate.name == field) return &candidate;
  }
  return nullptr;
}

const InputValue* Type::FindInputField(std::string_view field) const {
  for (const auto& candidate : input_fields) {
    if (candidate.name == field) return &candidate;
  }
  return nullptr;
}

const EnumValue* Type::FindEnumValue(std::string_view value) const {
  for (const auto& candidate : enum_values) {
    if (candidate.name == value) return &candidate;
  }
  return nullptr;
}

const Type* Type::Named() const {
  const Type* type = this;
  while (type->of_type != nullptr) type = type->of_type;
  return type;
}

bool Type::IsInputType() const {
  const Type* named = Named();
  return named->kind == TypeKind::kScalar || named->kind == TypeKind::kEnum ||
         named->kind == TypeKind::kInputObject;
}

bool Type::IsOutputType() const { return Named()->kind != TypeKind::kInputObject; }

std::string PrintType(const Type* type) {
  switch (type->kind) {
    case TypeKind::kList:
      return "[" + PrintType(type->of_type) + "]";
    case TypeKind::kNonNull:
      return PrintType(type->of_type) + "!";
    default:
      return type->name;
  }
}

bool SameType(const Type* a, const Type* b) {
  while (a != b) {
    if (a == nullptr || b == nullptr || a->kind != b->kind || !a->is_wrapper()) return false;
    a = a->of_type;
    b = b->of_type;
  }
  return true;
}

const Type* TypeArena::List(const Type* of) {
  Type& type = types_.emplace_back();
  type.kind = TypeKind::kList;
  type.of_type = of;
  return &type;
}

const Type* TypeArena::NonNull(const Type* of) {
  Type& type = types_.emplace_back();
  type.kind = TypeKind::kNonNull;
  type.of_type = of;
  return &type;
}

const Type* Schema::FindType(std::string_view name) const {
  const auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

const Type* Schema::RootType(OperationType operation) const {
  switch (operation) {
    case OperationType::kQuery:
      return query_;
    case OperationType::kMutation:
      return mutation_;
    case OperationType::kSubscription:
      return subscription_;
  }
  return nullptr;
}

const Directive* Schema::FindDirective(std::string_view name) const {
  for (const auto& directive : directives_) {
    if (directive.name == name) return &directive;
  }
  return nullptr;
}

const Field* Schema::FieldOf(const Type* parent, std::string_view name) const {
  if (parent == nullptr || !parent->is_composite()) return nullptr;
  if (name == "__typename") return &typename_field_;
  if (parent == query_) {
    if (name == "__schema") return &schema_field_;
    if (name == "__type") return &type_field_;
  }
  if (parent->kind == TypeKind::kUnion) return nullptr;
  return parent->FindField(name);
}

bool Schema::IsPossibleType(const Type* abstract, const Type* object) const {
  if (abstract == object) return true;
  if (!abstract->is_abstract()) return false;
  return std::find(abstract->possible_types.begin(), abstract->possible_types.end(), object) !=
         abstract->possible_types.end();
}

namespace {

bool Implements(const Type* type, const Type* interface) {
  return std::find(type->interfaces.begin(), type->interfaces.end(), interface) !=
         type->interfaces.end();
}

}  // namespace

bool Schema::IsSubType(const Type* sub, const Type* super) const {
  if (SameType(sub, super)) return true;
  if (super->is_non_null()) return sub->is_non_null() && IsSubType(sub->of_type, super->of_type);
  if (sub->is_non_null()) return IsSubType(sub->of_type, super);
  if (super->is_list()) return sub->is_list() && IsSubType(sub->of_type, super->of_type);
  if (sub->is_list()) return false;
  if (!super->is_abstract()) return false;
  if (sub->kind == TypeKind::kObject) return IsPossibleType(super, sub);
  if (sub->kind == TypeKind::kInterface && super->kind == TypeKind::kInterface) {
    return Implements(sub, super);
  }
  return false;
}

bool Schema::TypesOverlap(const Type* a, const Type* b) const {
  if (a == b) return true;
  if (a->is_abstract()) {
    if (b->is_abstract()) {
      return std::any_of(a->possible_types.begin(), a->possible_types.end(),
                         [&](const Type* type) { return IsPossibleType(b, type); });
    }
    return IsPossibleType(a, b);
  }
  if (b->is_abstract()) return IsPossibleType(b, a);
  return false;
}

const Type* Schema::FromTypeNode(const TypeNode& node, TypeArena& arena) const {
  switch (node.kind) {
    case TypeNode::Kind::kNamed:
      return FindType(node.name);
    case TypeNode::Kind::kList: {
      const Type* of = FromTypeNode(*node.of, arena);
      return of == nullptr ? nullptr : arena.List(of);
    }
    case TypeNode::Kind::kNonNull: {
      const Type* of = FromTypeNode(*node.of, arena);
      return of == nullptr ? nullptr : arena.NonNull(of);
    }
  }
  return nullptr;
}

// Turns parsed SDL into a Schema: named types first, then their members, then the order.
class SchemaBuilder {
 public:
  explicit SchemaBuilder(Schema& schema) : schema_(schema) {}

  common::Status Build(std::string_view sdl) {
    ParseResult builtin = ParseSchemaDocument(std::string(BuiltinSdl()));
    if (!builtin.ok()) return common::Status::Internal("built-in SDL: " + builtin.error->message);
    ParseLimits limits;
    limits.max_bytes = 16 << 20;
    limits.max_tokens = 10'000'000;
    ParseResult own = ParseSchemaDocument(std::string(sdl), limits);
    if (!own.ok()) {
      const auto& position = own.error->locations.front();
      return common::Status::InvalidArgument("schema SDL line " + std::to_string(position.line) +
                                             ", column " + std::to_string(position.column) + ": " +
                                             own.error->message);
    }
    source_ = &own.document.source;
    LEADLINE_RETURN_IF_ERROR(Declare(builtin.document, true));
    LEADLINE_RETURN_IF_ERROR(Declare(own.document, false));
    for (const auto* document : {&builtin.document, &own.document}) {
      source_ = &document->source;
      for (const auto& definition : document->definitions) {
        LEADLINE_RETURN_IF_ERROR(Define(*definition.type_system, document == &builtin.document));
      }
    }
    source_ = &own.document.source;
    LEADLINE_RETURN_IF_ERROR(Roots(own.document));
    Order();
    LEADLINE_RETURN_IF_ERROR(CheckInterfaces());
    MetaFields();
    return common::Status::Ok();
  }

 private:
  common::Status Fail(uint32_t offset, const std::string& message) const {
    const SourcePosition position = SourceLocation(*source_, offset);
    return common::Status::InvalidArgument("schema SDL line " + std::to_string(position.line) +
                                           ", column " + std::to_string(position.column) + ": " +
                                           message);
  }

  common::Status Declare(const Document& document, bool builtin) {
    for (const auto& definition : document.definitions) {
      const TypeSystemNode& node = *definition.type_system;
      if (node.kind == TypeSystemNode::Kind::kSchema ||
          node.kind == TypeSystemNode::Kind::kDirective || node.extension) {
        continue;
      }
      if (schema_.by_name_.count(node.name)) {
        source_ = &document.source;
        return Fail(node.offset, "There can be only one type named \"" + node.name + "\".");
      }
      Type& type = schema_.storage_.emplace_back();
      type.name = node.name;
      type.description = node.description;
      switch (node.kind) {
        case TypeSystemNode::Kind::kScalar:
          type.kind = TypeKind::kScalar;
          break;
        case TypeSystemNode::Kind::kObject:
          type.kind = TypeKind::kObject;
          break;
        case TypeSystemNode::Kind::kInterface:
          type.kind = TypeKind::kInterface;
          break;
        case TypeSystemNode::Kind::kUnion:
          type.kind = TypeKind::kUnion;
          break;
        case TypeSystemNode::Kind::kEnum:
          type.kind = TypeKind::kEnum;
          break;
        case TypeSystemNode::Kind::kInputObject:
          type.kind = TypeKind::kInputObject;
          break;
        default:
          break;
      }
      schema_.by_name_.emplace(type.name, &type);
      if (!builtin) own_types_.push_back(&type);
    }
    return common::Status::Ok();
  }

  Type* Mutable(const std::string& name) {
    return const_cast<Type*>(schema_.FindType(name));  // the builder owns the storage
  }

  common::Status Resolve(const TypeNode& node, const Type** out) {
    if (node.kind == TypeNode::Kind::kNamed) {
      *out = schema_.FindType(node.name);
      if (*out == nullptr) return Fail(node.offset, "Unknown type \"" + node.name + "\".");
      return common::Status::Ok();
    }
    const Type* of = nullptr;
    LEADLINE_RETURN_IF_ERROR(Resolve(*node.of, &of));
    const std::string key = PrintTypeNode(node);
    auto it = schema_.wrappers_.find(key);
    if (it == schema_.wrappers_.end()) {
      Type& wrapper = schema_.storage_.emplace_back();
      wrapper.kind = node.kind == TypeNode::Kind::kList ? TypeKind::kList : TypeKind::kNonNull;
      wrapper.of_type = of;
      it = schema_.wrappers_.emplace(key, &wrapper).first;
    }
    *out = it->second;
    return common::Status::Ok();
  }

  // The reason given by @deprecated, or its default; nullopt when not deprecated.
  static std::optional<std::string> Deprecation(const std::vector<DirectiveNode>& directives) {
    for (const auto& directive : directives) {
      if (directive.name != "deprecated") continue;
      for (const auto& argument : directive.arguments) {
        if (argument.name == "reason" && argument.value.kind == ValueNode::Kind::kString) {
          return argument.value.text;
        }
      }
      return std::string("No longer supported");
    }
    return std::nullopt;
  }

  common::Status InputValues(const std::vector<InputValueDefinitionNode>& nodes,
                             std::vector<InputValue>* out) {
    for (const auto& node : nodes) {
      InputValue value;
      value.name = node.name;
      value.description = node.description;
      LEADLINE_RETURN_IF_ERROR(Resolve(*node.type, &value.type));
      if (!value.type->IsInputType()) {
        return Fail(node.offset, "The type of \"" + node.name + "\" must be an input type.");
      }
      value.default_value = node.default_value;
      value.deprecation_reason = Deprecation(node.directives);
      out->push_back(std::move(value));
    }
    return common::Status::Ok();
  }

  common::Status Define(const TypeSystemNode& node, bool builtin) {
    if (node.kind == TypeSystemNode::Kind::kSchema) return common::Status::Ok();
    if (node.kind == TypeSystemNode::Kind::kDirective) {
      Directive directive;
      directive.name = node.name;
      directive.description = node.description;
      directive.locations = node.locations;
      directive.repeatable = node.repeatable;
      LEADLINE_RETURN_IF_ERROR(InputValues(node.input_values, &directive.arguments));
      (builtin ? builtin_directives_ : own_directives_).push_back(std::move(directive));
      return common::Status::Ok();
    }
    Type* type = Mutable(node.name);
    if (type == nullptr) {
      return Fail(node.offset,
                  "Cannot extend type \"" + node.name + "\" because it is not defined.");
    }
    for (const auto& directive : node.directives) {
      if (directive.name == "specifiedBy" && !directive.arguments.empty()) {
        type->specified_by_url = directive.arguments.front().value.text;
      }
      if (directive.name == "oneOf") type->one_of = true;
    }
    for (const auto& name : node.interfaces) {
      const Type* member = schema_.FindType(name);
      const TypeKind wanted =
          node.kind == TypeSystemNode::Kind::kUnion ? TypeKind::kObject : TypeKind::kInterface;
      if (member == nullptr || member->kind != wanted) {
        return Fail(node.offset,
                    "\"" + node.name + "\" names \"" + name + "\", which is not " +
                        (wanted == TypeKind::kObject ? "an object type." : "an interface."));
      }
      (node.kind == TypeSystemNode::Kind::kUnion ? type->possible_types : type->interfaces)
          .push_back(member);
    }
    for (const auto& field_node : node.fields) {
      if (type->FindField(field_node.name)) {
        return Fail(field_node.offset, "Field \"" + node.name + "." + field_node.name +
                                           "\" can only be defined once.");
      }
      Field field;
      field.name = field_node.name;
      field.description = field_node.description;
      LEADLINE_RETURN_IF_ERROR(Resolve(*field_node.type, &field.type));
      if (!field.type->IsOutputType()) {
        return Fail(field_node.offset, "The type of \"" + node.name + "." + field_node.name +
                                           "\" must be an output type.");
      }
      LEADLINE_RETURN_IF_ERROR(InputValues(field_node.arguments, &field.arguments));
      field.deprecation_reason = Deprecation(field_node.directives);
      type->fields.push_back(std::move(field));
    }
    for (const auto& value_node : node.enum_values) {
      type->enum_values.push_back(
          {value_node.name, value_node.description, Deprecation(value_node.directives)});
    }
    LEADLINE_RETURN_IF_ERROR(InputValues(node.input_values, &type->input_fields));
    return common::Status::Ok();
  }

  common::Status Roots(const Document& document) {
    bool has_schema = false;
    for (const auto& definition : document.definitions) {
      const TypeSystemNode& node = *definition.type_system;
      if (node.kind != TypeSystemNode::Kind::kSchema) continue;
      if (!node.extension) {
        has_schema = true;
        schema_.description_ = node.description;
      }
      for (const auto& [operation, name] : node.operation_types) {
        const Type* type = schema_.FindType(name);
        if (type == nullptr || type->kind != TypeKind::kObject) {
          return Fail(node.offset, "The root type \"" + name + "\" must be an object type.");
        }
        (operation == OperationType::kQuery      ? schema_.query_
         : operation == OperationType::kMutation ? schema_.mutation_
                                                 : schema_.subscription_) = type;
      }
    }
    if (!has_schema) {
      const auto root = [&](const char* name) {
        const Type* type = schema_.FindType(name);
        return type != nullptr && type->kind == TypeKind::kObject ? type : nullptr;
      };
      schema_.query_ = root("Query");
      schema_.mutation_ = root("Mutation");
      schema_.subscription_ = root("Subscription");
    }
    if (schema_.query_ == nullptr) {
      return common::Status::InvalidArgument("schema SDL: Query root type must be provided.");
    }
    for (auto& directive : own_directives_) schema_.directives_.push_back(std::move(directive));
    for (auto& directive : builtin_directives_) {
      if (schema_.FindDirective(directive.name) == nullptr) {
        schema_.directives_.push_back(std::move(directive));
      }
    }
    return common::Status::Ok();
  }

  void Collect(const Type* type) {
    const Type* named = type->Named();
    if (!seen_.insert(named).second) return;
    schema_.ordered_.push_back(named);
    for (const Type* member : named->possible_types) Collect(member);
    for (const Type* interface : named->interfaces) Collect(interface);
    for (const auto& field : named->fields) {
      Collect(field.type);
      for (const auto& argument : field.arguments) Collect(argument.type);
    }
    for (const auto& field : named->input_fields) Collect(field.type);
  }

  // The order graphql-js's GraphQLSchema constructor gives its type map.
  void Order() {
    for (const Type* type : own_types_) {
      seen_.insert(type);
      schema_.ordered_.push_back(type);
    }
    for (const Type* type : own_types_) {
      seen_.erase(type);
      auto& ordered = schema_.ordered_;
      ordered.erase(std::find(ordered.begin(), ordered.end(), type));
      Collect(type);
    }
    for (const Type* root : {schema_.query_, schema_.mutation_, schema_.subscription_}) {
      if (root != nullptr) Collect(root);
    }
    for (const auto& directive : schema_.directives_) {
      for (const auto& argument : directive.arguments) Collect(argument.type);
    }
    Collect(schema_.FindType("__Schema"));
    // Built-ins nothing references are not part of the schema (graphql-js leaves them out).
    for (auto it = schema_.by_name_.begin(); it != schema_.by_name_.end();) {
      it = seen_.count(it->second) ? std::next(it) : schema_.by_name_.erase(it);
    }
    // An interface's possible types are the objects implementing it, in type map order.
    for (const Type* type : schema_.ordered_) {
      if (type->kind != TypeKind::kObject) continue;
      for (const Type* interface : type->interfaces) {
        const_cast<Type*>(interface)->possible_types.push_back(type);
      }
    }
  }

  // Every type implementing an interface has the interface's fields, with compatible types and
  // the same arguments (specification 3.6.1, "IsValidImplementation").
  common::Status CheckInterfaces() const {
    for (const Type* type : schema_.ordered_) {
      for (const Type* interface : type->interfaces) {
        for (const Field& expected : interface->fields) {
          const std::string where = interface->name + "." + expected.name;
          const Field* field = type->FindField(expected.name);
          if (field == nullptr) {
            return common::Status::InvalidArgument("schema SDL: Interface field " + where +
                                                   " expected but " + type->name +
                                                   " does not provide it.");
          }
          if (!schema_.IsSubType(field->type, expected.type)) {
            return common::Status::InvalidArgument("schema SDL: Interface field " + where +
                                                   " expects type " + PrintType(expected.type) +
                                                   " but " + type->name + "." + field->name +
                                                   " is type " + PrintType(field->type) + ".");
          }
          for (const InputValue& argument : expected.arguments) {
            const InputValue* given = field->FindArgument(argument.name);
            if (given == nullptr || !SameType(given->type, argument.type)) {
              return common::Status::InvalidArgument(
                  "schema SDL: Interface field argument " + where + "(" + argument.name +
                  ":) expects type " + PrintType(argument.type) + " but " + type->name + "." +
                  field->name +
                  (given == nullptr
                       ? " does not provide it."
                       : "(" + argument.name + ":) is type " + PrintType(given->type) + "."));
            }
          }
        }
      }
    }
    return common::Status::Ok();
  }

  void MetaFields() {
    const Type* non_null_string = nullptr;
    const Type* non_null_schema = nullptr;
    const TypeNode string_node{TypeNode::Kind::kNamed, 0, "String", nullptr};
    TypeNode non_null{TypeNode::Kind::kNonNull, 0, "", std::make_shared<TypeNode>(string_node)};
    (void)Resolve(non_null, &non_null_string);
    non_null.of =
        std::make_shared<TypeNode>(TypeNode{TypeNode::Kind::kNamed, 0, "__Schema", nullptr});
    (void)Resolve(non_null, &non_null_schema);
    schema_.typename_field_ = {"__typename",
                               "The name of the current Object type at runtime.",
                               {},
                               non_null_string,
                               std::nullopt};
    schema_.schema_field_ = {"__schema",
                             "Access the current type schema of this server.",
                             {},
                             non_null_schema,
                             std::nullopt};
    schema_.type_field_ = {
        "__type",
        "Request the type information of a single type.",
        {InputValue{"name", std::nullopt, non_null_string, std::nullopt, std::nullopt}},
        schema_.FindType("__Type"),
        std::nullopt};
  }

  Schema& schema_;
  const std::string* source_ = nullptr;
  std::vector<const Type*> own_types_;
  std::vector<Directive> builtin_directives_;
  std::vector<Directive> own_directives_;
  std::set<const Type*> seen_;
};

common::Result<std::shared_ptr<const Schema>> Schema::FromSdl(std::string_view sdl) {
  auto schema = std::make_shared<Schema>();
  SchemaBuilder builder(*schema);
  LEADLINE_RETURN_IF_ERROR(builder.Build(sdl));
  return std::shared_ptr<const Schema>(std::move(schema));
}

}  // namespace leadline::graphql
