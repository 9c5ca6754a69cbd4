// A GraphQL schema built from SDL: the named types, wrapper types, directives and root types,
// with the built-in scalars, directives and introspection types added. Types are listed in the
// order graphql-js lists them (so introspection answers equal its answers). Immutable once built;
// share it between threads through a shared_ptr<const Schema>.
//
// Wrapper types ([T], T!) that a request's document names but the schema does not use live in a
// TypeArena owned by that request. Compare types with SameType(), not by pointer.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/graphql/ast.h"
#include "common/status.h"

namespace leadline::graphql {

enum class TypeKind { kScalar, kObject, kInterface, kUnion, kEnum, kInputObject, kList, kNonNull };
const char* TypeKindName(TypeKind kind);  // "SCALAR", "OBJECT", ...

struct Type;

struct InputValue {
  std::string name;
  std::optional<std::string> description;
  const Type* type = nullptr;
  std::optional<ValueNode> default_value;
  std::optional<std::string> deprecation_reason;  // set when deprecated
};

struct Field {
  std::string name;
  std::optional<std::string> description;
  std::vector<InputValue> arguments;
  const Type* type = nullptr;
  std::optional<std::string> deprecation_reason;

  const InputValue* FindArgument(std::string_view name) const;
};

struct EnumValue {
  std::string name;
  std::optional<std::string> description;
  std::optional<std::string> deprecation_reason;
};

struct Type {
  TypeKind kind = TypeKind::kScalar;
  std::string name;  // empty for wrappers
  std::optional<std::string> description;
  std::optional<std::string> specified_by_url;
  std::vector<Field> fields;                // object, interface
  std::vector<const Type*> interfaces;      // object, interface
  std::vector<const Type*> possible_types;  // union members, an interface's objects
  std::vector<EnumValue> enum_values;
  std::vector<InputValue> input_fields;
  const Type* of_type = nullptr;  // list, non-null
  bool one_of = false;

  const Field* FindField(std::string_view field) const;
  const InputValue* FindInputField(std::string_view field) const;
  const EnumValue* FindEnumValue(std::string_view value) const;

  bool is_non_null() const { return kind == TypeKind::kNonNull; }
  bool is_list() const { return kind == TypeKind::kList; }
  bool is_wrapper() const { return is_list() || is_non_null(); }
  // The type without its wrappers.
  const Type* Named() const;
  // The type without an outer non-null.
  const Type* Nullable() const { return is_non_null() ? of_type : this; }
  bool is_abstract() const { return kind == TypeKind::kInterface || kind == TypeKind::kUnion; }
  bool is_composite() const { return kind == TypeKind::kObject || is_abstract(); }
  bool is_leaf() const { return kind == TypeKind::kScalar || kind == TypeKind::kEnum; }
  // Input and output types, looking through wrappers.
  bool IsInputType() const;
  bool IsOutputType() const;
};

// "[Int!]" and so on.
std::string PrintType(const Type* type);
// Structural equality: the same wrappers around the same named type.
bool SameType(const Type* a, const Type* b);

struct Directive {
  std::string name;
  std::optional<std::string> description;
  std::vector<std::string> locations;
  std::vector<InputValue> arguments;
  bool repeatable = false;
  std::optional<std::string> deprecation_reason;

  const InputValue* FindArgument(std::string_view name) const;
};

// Wrapper types made for one request. Not thread-safe; one per request.
class TypeArena {
 public:
  const Type* List(const Type* of);
  const Type* NonNull(const Type* of);

 private:
  std::deque<Type> types_;
};

class Schema {
 public:
  // Builds a schema from SDL. The schema's own definitions come after the built-ins; the error
  // names the line and column of what is wrong.
  static common::Result<std::shared_ptr<const Schema>> FromSdl(std::string_view sdl);

  const Type* FindType(std::string_view name) const;
  const Type* query_type() const { return query_; }
  const Type* mutation_type() const { return mutation_; }
  const Type* subscription_type() const { return subscription_; }
  const Type* RootType(OperationType operation) const;
  const std::optional<std::string>& description() const { return description_; }

  // Every named type, in graphql-js's order.
  const std::vector<const Type*>& types() const { return ordered_; }
  const std::vector<Directive>& directives() const { return directives_; }
  const Directive* FindDirective(std::string_view name) const;

  // The field `name` of a composite type, including the meta-fields __typename (on every
  // composite type) and __schema and __type (on the query type). nullptr when none.
  const Field* FieldOf(const Type* parent, std::string_view name) const;

  // Whether `object` is a member of the abstract type (or is the object type itself).
  bool IsPossibleType(const Type* abstract, const Type* object) const;
  // Whether a value of type `sub` may appear where `super` is expected (covariance).
  bool IsSubType(const Type* sub, const Type* super) const;
  // Whether two composite types can describe the same object.
  bool TypesOverlap(const Type* a, const Type* b) const;

  // The type a document's type reference names; nullptr when its named type is unknown.
  const Type* FromTypeNode(const TypeNode& node, TypeArena& arena) const;

  Schema(const Schema&) = delete;
  Schema& operator=(const Schema&) = delete;
  Schema() = default;

 private:
  friend class SchemaBuilder;

  std::deque<Type> storage_;
  std::map<std::string, const Type*, std::less<>> by_name_;
  std::map<std::string, const Type*, std::less<>> wrappers_;  // by printed name
  std::vector<const Type*> ordered_;
  std::vector<Directive> directives_;
  std::optional<std::string> description_;
  const Type* query_ = nullptr;
  const Type* mutation_ = nullptr;
  const Type* subscription_ = nullptr;
  Field schema_field_;
  Field type_field_;
  Field typename_field_;
};

}  // namespace leadline::graphql
