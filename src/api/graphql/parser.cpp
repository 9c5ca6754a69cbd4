#include "api/graphql/parser.h"

#include "api/graphql/parser_internal.h"

namespace leadline::graphql {
namespace internal {

Parser::Parser(std::string_view source, const ParseLimits& limits)
    : source_(source), limits_(limits), lexer_(source) {}

Token Parser::Read() {
  Token token;
  SyntaxError error;
  if (!lexer_.Next(&token, &error)) Fail(error.message, error.offset);
  if (token.kind != TokenKind::kEndOfFile && ++token_count_ > limits_.max_tokens) {
    Fail("Document contains more than " + std::to_string(limits_.max_tokens) +
             " tokens. Parsing aborted.",
         token.start);
  }
  return token;
}

const Token& Parser::Lookahead() {
  if (!has_lookahead_) {
    lookahead_ = token_.kind == TokenKind::kEndOfFile ? token_ : Read();
    has_lookahead_ = true;
  }
  return lookahead_;
}

void Parser::Advance() {
  if (has_lookahead_) {
    token_ = std::move(lookahead_);
    has_lookahead_ = false;
  } else {
    token_ = Read();
  }
}

Token Parser::Expect(TokenKind kind) {
  if (token_.kind != kind) {
    Fail("Expected " + TokenKindDescription(kind) + ", found " + TokenDescription(token_) + ".",
         token_.start);
  }
  Token token = token_;
  Advance();
  return token;
}

bool Parser::ExpectOptional(TokenKind kind) {
  if (token_.kind != kind) return false;
  Advance();
  return true;
}

void Parser::ExpectKeyword(std::string_view keyword) {
  if (!ExpectOptionalKeyword(keyword)) {
    Fail("Expected \"" + std::string(keyword) + "\", found " + TokenDescription(token_) + ".",
         token_.start);
  }
}

bool Parser::ExpectOptionalKeyword(std::string_view keyword) {
  if (token_.kind != TokenKind::kName || token_.value != keyword) return false;
  Advance();
  return true;
}

void Parser::Unexpected(const Token& token) const {
  Fail("Unexpected " + TokenDescription(token) + ".", token.start);
}

void Parser::Fail(std::string message, uint32_t offset) const {
  throw ParserFailure{std::move(message), offset};
}

void Parser::Enter() {
  if (++nesting_ > limits_.max_nesting) {
    Fail(
        "Document nesting exceeds the limit of " + std::to_string(limits_.max_nesting) + " levels.",
        token_.start);
  }
}

std::string Parser::ParseName() { return Expect(TokenKind::kName).value; }

Document Parser::ParseDocument(bool allow_executable) {
  Document document;
  Advance();  // the first token
  do {
    document.definitions.push_back(ParseDefinition(allow_executable));
  } while (!ExpectOptional(TokenKind::kEndOfFile));
  return document;
}

DefinitionNode Parser::ParseDefinition(bool allow_executable) {
  if (Peek(TokenKind::kBraceL)) {
    if (!allow_executable) Unexpected(token_);
    return ParseOperationDefinition();
  }
  // Operations, fragments and type system definitions may all open with a description.
  const bool has_description = Peek(TokenKind::kString) || Peek(TokenKind::kBlockString);
  const Token& keyword = has_description ? Lookahead() : token_;
  if (has_description && keyword.kind == TokenKind::kBraceL) {
    Fail("Unexpected description, descriptions are not supported on shorthand queries.",
         token_.start);
  }
  if (keyword.kind == TokenKind::kName) {
    if (PeekTypeSystemKeyword()) return ParseTypeSystemDefinition();
    if (allow_executable) {
      if (keyword.value == "query" || keyword.value == "mutation" ||
          keyword.value == "subscription") {
        return ParseOperationDefinition();
      }
      if (keyword.value == "fragment") return ParseFragmentDefinition();
    }
    if (has_description) {
      Fail("Unexpected description, only GraphQL definitions support descriptions.", token_.start);
    }
  }
  Unexpected(keyword);
}

DefinitionNode Parser::ParseOperationDefinition() {
  DefinitionNode definition;
  definition.kind = DefinitionNode::Kind::kOperation;
  definition.offset = token_.start;
  if (Peek(TokenKind::kBraceL)) {
    definition.selections = ParseSelectionSet();
    return definition;
  }
  ParseDescription();  // kept for tools, not for execution
  const Token operation = Expect(TokenKind::kName);
  if (operation.value == "query") {
    definition.operation = OperationType::kQuery;
  } else if (operation.value == "mutation") {
    definition.operation = OperationType::kMutation;
  } else if (operation.value == "subscription") {
    definition.operation = OperationType::kSubscription;
  } else {
    Unexpected(operation);
  }
  if (Peek(TokenKind::kName)) {
    definition.name_offset = token_.start;
    definition.name = ParseName();
  }
  definition.variables = ParseVariableDefinitions();
  definition.directives = ParseDirectives(false);
  definition.selections = ParseSelectionSet();
  return definition;
}

std::vector<VariableDefinitionNode> Parser::ParseVariableDefinitions() {
  std::vector<VariableDefinitionNode> variables;
  if (!ExpectOptional(TokenKind::kParenL)) return variables;
  do {
    VariableDefinitionNode variable;
    variable.offset = token_.start;
    ParseDescription();
    Expect(TokenKind::kDollar);
    variable.name_offset = token_.start;
    variable.name = ParseName();
    Expect(TokenKind::kColon);
    variable.type = ParseTypeReference();
    if (ExpectOptional(TokenKind::kEquals)) variable.default_value = ParseValue(true);
    variable.directives = ParseDirectives(true);
    variables.push_back(std::move(variable));
  } while (!ExpectOptional(TokenKind::kParenR));
  return variables;
}

DefinitionNode Parser::ParseFragmentDefinition() {
  DefinitionNode definition;
  definition.kind = DefinitionNode::Kind::kFragment;
  definition.offset = token_.start;
  ParseDescription();
  ExpectKeyword("fragment");
  if (token_.kind == TokenKind::kName && token_.value == "on") Unexpected(token_);
  definition.name_offset = token_.start;
  definition.name = ParseName();
  ExpectKeyword("on");
  definition.type_condition_offset = token_.start;
  definition.type_condition = ParseName();
  definition.directives = ParseDirectives(false);
  definition.selections = ParseSelectionSet();
  return definition;
}

std::vector<SelectionNode> Parser::ParseSelectionSet() {
  Enter();
  std::vector<SelectionNode> selections;
  Expect(TokenKind::kBraceL);
  do {
    selections.push_back(ParseSelection());
  } while (!ExpectOptional(TokenKind::kBraceR));
  Leave();
  return selections;
}

SelectionNode Parser::ParseSelection() {
  SelectionNode selection;
  selection.offset = token_.start;
  if (ExpectOptional(TokenKind::kSpread)) {
    const bool has_type_condition = ExpectOptionalKeyword("on");
    if (!has_type_condition && Peek(TokenKind::kName)) {
      selection.kind = SelectionNode::Kind::kFragmentSpread;
      if (token_.value == "on") Unexpected(token_);
      selection.name_offset = token_.start;
      selection.name = ParseName();
      selection.directives = ParseDirectives(false);
      return selection;
    }
    selection.kind = SelectionNode::Kind::kInlineFragment;
    if (has_type_condition) {
      selection.type_condition_offset = token_.start;
      selection.type_condition = ParseName();
    }
    selection.directives = ParseDirectives(false);
    selection.has_selection_set = true;
    selection.selections = ParseSelectionSet();
    return selection;
  }
  selection.kind = SelectionNode::Kind::kField;
  std::string name = ParseName();
  selection.name_offset = selection.offset;
  if (ExpectOptional(TokenKind::kColon)) {
    selection.alias = std::move(name);
    selection.name_offset = token_.start;
    selection.name = ParseName();
  } else {
    selection.name = std::move(name);
  }
  selection.arguments = ParseArguments(false);
  selection.directives = ParseDirectives(false);
  if (Peek(TokenKind::kBraceL)) {
    selection.has_selection_set = true;
    selection.selection_set_offset = token_.start;
    selection.selections = ParseSelectionSet();
  }
  return selection;
}

std::vector<ArgumentNode> Parser::ParseArguments(bool is_const) {
  std::vector<ArgumentNode> arguments;
  if (!ExpectOptional(TokenKind::kParenL)) return arguments;
  do {
    ArgumentNode argument;
    argument.offset = token_.start;
    argument.name = ParseName();
    Expect(TokenKind::kColon);
    argument.value = ParseValue(is_const);
    arguments.push_back(std::move(argument));
  } while (!ExpectOptional(TokenKind::kParenR));
  return arguments;
}

std::vector<DirectiveNode> Parser::ParseDirectives(bool is_const) {
  std::vector<DirectiveNode> directives;
  while (Peek(TokenKind::kAt)) {
    DirectiveNode directive;
    directive.offset = token_.start;
    Advance();
    directive.name = ParseName();
    directive.arguments = ParseArguments(is_const);
    directives.push_back(std::move(directive));
  }
  return directives;
}

ValueNode Parser::ParseValue(bool is_const) {
  ValueNode value;
  value.offset = token_.start;
  switch (token_.kind) {
    case TokenKind::kBracketL:
      Enter();
      value.kind = ValueNode::Kind::kList;
      Advance();
      while (!ExpectOptional(TokenKind::kBracketR)) value.items.push_back(ParseValue(is_const));
      Leave();
      return value;
    case TokenKind::kBraceL:
      Enter();
      value.kind = ValueNode::Kind::kObject;
      Advance();
      while (!ExpectOptional(TokenKind::kBraceR)) {
        ObjectFieldNode field;
        field.offset = token_.start;
        field.name = ParseName();
        Expect(TokenKind::kColon);
        field.value = ParseValue(is_const);
        value.fields.push_back(std::move(field));
      }
      Leave();
      return value;
    case TokenKind::kInt:
    case TokenKind::kFloat:
      value.kind = token_.kind == TokenKind::kInt ? ValueNode::Kind::kInt : ValueNode::Kind::kFloat;
      value.text = token_.value;
      Advance();
      return value;
    case TokenKind::kString:
    case TokenKind::kBlockString:
      value.kind = ValueNode::Kind::kString;
      value.block_string = token_.kind == TokenKind::kBlockString;
      value.text = token_.value;
      Advance();
      return value;
    case TokenKind::kName:
      if (token_.value == "true" || token_.value == "false") {
        value.kind = ValueNode::Kind::kBoolean;
        value.boolean = token_.value == "true";
      } else if (token_.value == "null") {
        value.kind = ValueNode::Kind::kNull;
      } else {
        value.kind = ValueNode::Kind::kEnum;
        value.text = token_.value;
      }
      Advance();
      return value;
    case TokenKind::kDollar:
      if (is_const) {
        const Token dollar = token_;
        Advance();
        if (token_.kind == TokenKind::kName) {
          Fail("Unexpected variable \"$" + token_.value + "\" in constant value.", dollar.start);
        }
        Unexpected(dollar);
      }
      Advance();
      value.kind = ValueNode::Kind::kVariable;
      value.text = ParseName();
      return value;
    default:
      Unexpected(token_);
  }
}

TypeNodePtr Parser::ParseTypeReference() {
  auto type = std::make_shared<TypeNode>();
  type->offset = token_.start;
  if (ExpectOptional(TokenKind::kBracketL)) {
    Enter();
    type->kind = TypeNode::Kind::kList;
    type->of = ParseTypeReference();
    Expect(TokenKind::kBracketR);
    Leave();
  } else {
    type->kind = TypeNode::Kind::kNamed;
    type->name = ParseName();
  }
  if (ExpectOptional(TokenKind::kBang)) {
    auto non_null = std::make_shared<TypeNode>();
    non_null->offset = type->offset;
    non_null->kind = TypeNode::Kind::kNonNull;
    non_null->of = std::move(type);
    return non_null;
  }
  return type;
}

namespace {

ParseResult Run(std::string source, const ParseLimits& limits, bool allow_executable) {
  ParseResult result;
  if (source.size() > limits.max_bytes) {
    result.error =
        Error{"Syntax Error: Document is " + std::to_string(source.size()) +
                  " bytes, over the limit of " + std::to_string(limits.max_bytes) + " bytes.",
              {},
              {},
              kParseFailed};
    return result;
  }
  try {
    Parser parser(source, limits);
    result.document = parser.ParseDocument(allow_executable);
  } catch (const ParserFailure& failure) {
    result.error = Error{"Syntax Error: " + failure.message,
                         {SourceLocation(source, failure.offset)},
                         {},
                         kParseFailed};
    return result;
  }
  result.document.source = std::move(source);
  return result;
}

}  // namespace
}  // namespace internal

ParseResult ParseDocument(std::string source, const ParseLimits& limits) {
  return internal::Run(std::move(source), limits, true);
}

ParseResult ParseSchemaDocument(std::string source, const ParseLimits& limits) {
  return internal::Run(std::move(source), limits, false);
}

}  // namespace leadline::graphql
