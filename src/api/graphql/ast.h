// The syntax tree of a GraphQL document: executable definitions (operations, fragments) and type
// system definitions (SDL), as the parser produces them. Every node keeps the byte offset of its
// first token in Document::source; SourceLocation() turns an offset into the line and column the
// specification's errors report. Plain values: a Document owns its whole tree and is immutable
// once parsed, so several threads may read one.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadline::graphql {

// A line and column, both from 1; the column counts UTF-16 code units as graphql-js does.
struct SourcePosition {
  int line = 1;
  int column = 1;
};

SourcePosition SourceLocation(std::string_view source, uint32_t offset);
// The positions of many offsets (in any order) in one pass over the source.
std::vector<SourcePosition> SourceLocations(std::string_view source,
                                            const std::vector<uint32_t>& offsets);

struct ObjectFieldNode;

struct ValueNode {
  enum class Kind { kVariable, kInt, kFloat, kString, kBoolean, kNull, kEnum, kList, kObject };
  Kind kind = Kind::kNull;
  uint32_t offset = 0;
  // The variable or enum name, the literal text of a number, or the decoded string.
  std::string text;
  bool boolean = false;
  bool block_string = false;
  std::vector<ValueNode> items;         // kList
  std::vector<ObjectFieldNode> fields;  // kObject
};

struct ObjectFieldNode {
  std::string name;
  uint32_t offset = 0;
  ValueNode value;
};

// A type reference: Name, [T] or T!. Immutable and shared.
struct TypeNode {
  enum class Kind { kNamed, kList, kNonNull };
  Kind kind = Kind::kNamed;
  uint32_t offset = 0;
  std::string name;                    // kNamed
  std::shared_ptr<const TypeNode> of;  // kList, kNonNull
};
using TypeNodePtr = std::shared_ptr<const TypeNode>;

// "Int", "[Int!]" and so on, as the specification prints a type.
std::string PrintTypeNode(const TypeNode& type);

struct ArgumentNode {
  std::string name;
  uint32_t offset = 0;
  ValueNode value;
};

struct DirectiveNode {
  std::string name;
  uint32_t offset = 0;
  std::vector<ArgumentNode> arguments;
};

struct SelectionNode {
  enum class Kind { kField, kFragmentSpread, kInlineFragment };
  Kind kind = Kind::kField;
  uint32_t offset = 0;
  std::string alias;  // kField; empty when none
  std::string name;   // the field name, or the fragment name of a spread
  uint32_t name_offset = 0;
  std::vector<ArgumentNode> arguments;
  std::vector<DirectiveNode> directives;
  std::string type_condition;  // kInlineFragment; empty when none
  uint32_t type_condition_offset = 0;
  bool has_selection_set = false;
  uint32_t selection_set_offset = 0;  // the "{"
  std::vector<SelectionNode> selections;

  const std::string& ResponseKey() const { return alias.empty() ? name : alias; }
};

enum class OperationType { kQuery, kMutation, kSubscription };
const char* OperationTypeName(OperationType type);

struct VariableDefinitionNode {
  std::string name;
  uint32_t offset = 0;  // the "$"
  uint32_t name_offset = 0;
  TypeNodePtr type;
  std::optional<ValueNode> default_value;
  std::vector<DirectiveNode> directives;
};

struct InputValueDefinitionNode {
  std::optional<std::string> description;
  std::string name;
  uint32_t offset = 0;
  TypeNodePtr type;
  std::optional<ValueNode> default_value;
  std::vector<DirectiveNode> directives;
};

struct FieldDefinitionNode {
  std::optional<std::string> description;
  std::string name;
  uint32_t offset = 0;
  std::vector<InputValueDefinitionNode> arguments;
  TypeNodePtr type;
  std::vector<DirectiveNode> directives;
};

struct EnumValueDefinitionNode {
  std::optional<std::string> description;
  std::string name;
  uint32_t offset = 0;
  std::vector<DirectiveNode> directives;
};

// One definition of the type system language (SDL), or an extension of one.
struct TypeSystemNode {
  enum class Kind {
    kSchema,
    kScalar,
    kObject,
    kInterface,
    kUnion,
    kEnum,
    kInputObject,
    kDirective
  };
  Kind kind = Kind::kScalar;
  bool extension = false;
  std::optional<std::string> description;
  std::string name;  // empty for a schema definition
  uint32_t offset = 0;
  std::vector<DirectiveNode> directives;
  std::vector<std::string> interfaces;                 // implements, or a union's members
  std::vector<uint32_t> interface_offsets;             // where each of `interfaces` is named
  std::vector<FieldDefinitionNode> fields;             // object, interface
  std::vector<InputValueDefinitionNode> input_values;  // input object fields, directive args
  std::vector<EnumValueDefinitionNode> enum_values;
  std::vector<std::pair<OperationType, std::string>> operation_types;  // schema
  std::vector<uint32_t> operation_type_offsets;  // where each root type is named
  std::vector<std::string> locations;            // directive
  bool repeatable = false;                       // directive
};

struct DefinitionNode {
  enum class Kind { kOperation, kFragment, kTypeSystem };
  Kind kind = Kind::kOperation;
  uint32_t offset = 0;
  OperationType operation = OperationType::kQuery;
  std::string name;  // empty for an anonymous operation
  uint32_t name_offset = 0;
  std::vector<VariableDefinitionNode> variables;
  std::string type_condition;  // fragment
  uint32_t type_condition_offset = 0;
  std::vector<DirectiveNode> directives;
  std::vector<SelectionNode> selections;
  std::shared_ptr<const TypeSystemNode> type_system;  // kTypeSystem
};

struct Document {
  std::string source;
  std::vector<DefinitionNode> definitions;
};

}  // namespace leadline::graphql
