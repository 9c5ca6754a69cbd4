// The type system half of the parser: schema, scalar, type, interface, union, enum, input and
// directive definitions and their extensions, with descriptions.
#include "api/graphql/parser_internal.h"

namespace leadline::graphql::internal {
namespace {

bool IsTypeSystemKeyword(std::string_view word) {
  return word == "schema" || word == "scalar" || word == "type" || word == "interface" ||
         word == "union" || word == "enum" || word == "input" || word == "directive";
}

bool IsDirectiveLocation(std::string_view name) {
  static constexpr std::string_view kLocations[] = {"QUERY",
                                                    "MUTATION",
                                                    "SUBSCRIPTION",
                                                    "FIELD",
                                                    "FRAGMENT_DEFINITION",
                                                    "FRAGMENT_SPREAD",
                                                    "INLINE_FRAGMENT",
                                                    "VARIABLE_DEFINITION",
                                                    "SCHEMA",
                                                    "SCALAR",
                                                    "OBJECT",
                                                    "FIELD_DEFINITION",
                                                    "ARGUMENT_DEFINITION",
                                                    "INTERFACE",
                                                    "UNION",
                                                    "ENUM",
                                                    "ENUM_VALUE",
                                                    "INPUT_OBJECT",
                                                    "INPUT_FIELD_DEFINITION",
                                                    "DIRECTIVE_DEFINITION"};
  for (std::string_view location : kLocations) {
    if (location == name) return true;
  }
  return false;
}

}  // namespace

bool Parser::PeekTypeSystemKeyword() const {
  const bool has_description = Peek(TokenKind::kString) || Peek(TokenKind::kBlockString);
  const Token& keyword = has_description ? lookahead_ : token_;
  if (keyword.kind != TokenKind::kName) return false;
  return IsTypeSystemKeyword(keyword.value) || (!has_description && keyword.value == "extend");
}

std::optional<std::string> Parser::ParseDescription() {
  if (!Peek(TokenKind::kString) && !Peek(TokenKind::kBlockString)) return std::nullopt;
  std::string text = token_.value;
  Advance();
  return text;
}

DefinitionNode Parser::ParseTypeSystemDefinition() {
  auto node = std::make_shared<TypeSystemNode>();
  node->offset = token_.start;
  node->description = ParseDescription();
  if (ExpectOptionalKeyword("extend")) {
    node->extension = true;
    if (!Peek(TokenKind::kName) || !IsTypeSystemKeyword(token_.value) ||
        token_.value == "directive") {
      Unexpected(token_);
    }
  }
  const Token keyword = Expect(TokenKind::kName);
  const std::string& word = keyword.value;
  if (word != "schema") {
    if (word == "directive") {
      Expect(TokenKind::kAt);
    }
    node->name = ParseName();
  }
  if (word == "schema") {
    node->kind = TypeSystemNode::Kind::kSchema;
    node->directives = ParseDirectives(true);
    if (ExpectOptional(TokenKind::kBraceL)) {
      do {
        const Token operation = Expect(TokenKind::kName);
        OperationType type = OperationType::kQuery;
        if (operation.value == "mutation") {
          type = OperationType::kMutation;
        } else if (operation.value == "subscription") {
          type = OperationType::kSubscription;
        } else if (operation.value != "query") {
          Unexpected(operation);
        }
        Expect(TokenKind::kColon);
        node->operation_type_offsets.push_back(token_.start);
        node->operation_types.emplace_back(type, ParseName());
      } while (!ExpectOptional(TokenKind::kBraceR));
    } else if (!node->extension) {
      Expect(TokenKind::kBraceL);
    }
  } else if (word == "scalar") {
    node->kind = TypeSystemNode::Kind::kScalar;
    node->directives = ParseDirectives(true);
  } else if (word == "type" || word == "interface") {
    node->kind = word == "type" ? TypeSystemNode::Kind::kObject : TypeSystemNode::Kind::kInterface;
    ParseImplementsInterfaces(*node);
    node->directives = ParseDirectives(true);
    node->fields = ParseFieldDefinitions();
  } else if (word == "union") {
    node->kind = TypeSystemNode::Kind::kUnion;
    node->directives = ParseDirectives(true);
    if (ExpectOptional(TokenKind::kEquals)) {
      ExpectOptional(TokenKind::kPipe);
      do {
        node->interface_offsets.push_back(token_.start);
        node->interfaces.push_back(ParseName());
      } while (ExpectOptional(TokenKind::kPipe));
    }
  } else if (word == "enum") {
    node->kind = TypeSystemNode::Kind::kEnum;
    node->directives = ParseDirectives(true);
    if (ExpectOptional(TokenKind::kBraceL)) {
      do {
        EnumValueDefinitionNode value;
        value.offset = token_.start;
        value.description = ParseDescription();
        const Token name = Expect(TokenKind::kName);
        if (name.value == "true" || name.value == "false" || name.value == "null") {
          Fail(name.value + " is reserved and cannot be used for an enum value.", name.start);
        }
        value.name = name.value;
        value.directives = ParseDirectives(true);
        node->enum_values.push_back(std::move(value));
      } while (!ExpectOptional(TokenKind::kBraceR));
    }
  } else if (word == "input") {
    node->kind = TypeSystemNode::Kind::kInputObject;
    node->directives = ParseDirectives(true);
    node->input_values = ParseInputValueDefinitions(TokenKind::kBraceL, TokenKind::kBraceR);
  } else if (word == "directive") {
    node->kind = TypeSystemNode::Kind::kDirective;
    node->input_values = ParseInputValueDefinitions(TokenKind::kParenL, TokenKind::kParenR);
    node->repeatable = ExpectOptionalKeyword("repeatable");
    ExpectKeyword("on");
    ExpectOptional(TokenKind::kPipe);
    do {
      const Token location = Expect(TokenKind::kName);
      if (!IsDirectiveLocation(location.value)) Unexpected(location);
      node->locations.push_back(location.value);
    } while (ExpectOptional(TokenKind::kPipe));
  }
  DefinitionNode definition;
  definition.kind = DefinitionNode::Kind::kTypeSystem;
  definition.offset = node->offset;
  definition.name = node->name;
  definition.type_system = std::move(node);
  return definition;
}

void Parser::ParseImplementsInterfaces(TypeSystemNode& node) {
  if (!ExpectOptionalKeyword("implements")) return;
  ExpectOptional(TokenKind::kAmp);
  do {
    node.interface_offsets.push_back(token_.start);
    node.interfaces.push_back(ParseName());
  } while (ExpectOptional(TokenKind::kAmp));
}

std::vector<FieldDefinitionNode> Parser::ParseFieldDefinitions() {
  std::vector<FieldDefinitionNode> fields;
  if (!ExpectOptional(TokenKind::kBraceL)) return fields;
  do {
    FieldDefinitionNode field;
    field.offset = token_.start;
    field.description = ParseDescription();
    field.name = ParseName();
    field.arguments = ParseInputValueDefinitions(TokenKind::kParenL, TokenKind::kParenR);
    Expect(TokenKind::kColon);
    field.type = ParseTypeReference();
    field.directives = ParseDirectives(true);
    fields.push_back(std::move(field));
  } while (!ExpectOptional(TokenKind::kBraceR));
  return fields;
}

std::vector<InputValueDefinitionNode> Parser::ParseInputValueDefinitions(TokenKind open,
                                                                         TokenKind close) {
  std::vector<InputValueDefinitionNode> values;
  if (!ExpectOptional(open)) return values;
  do {
    values.push_back(ParseInputValueDefinition());
  } while (!ExpectOptional(close));
  return values;
}

InputValueDefinitionNode Parser::ParseInputValueDefinition() {
  InputValueDefinitionNode value;
  value.offset = token_.start;
  value.description = ParseDescription();
  value.name = ParseName();
  Expect(TokenKind::kColon);
  value.type = ParseTypeReference();
  if (ExpectOptional(TokenKind::kEquals)) value.default_value = ParseValue(true);
  value.directives = ParseDirectives(true);
  return value;
}

}  // namespace leadline::graphql::internal
