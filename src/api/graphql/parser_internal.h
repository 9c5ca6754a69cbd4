// The recursive-descent parser shared by parser.cpp (documents, executable definitions, values)
// and sdl_parser.cpp (type system definitions). Internal to the graphql folder. One per parse;
// not thread-safe. Errors unwind as a ParserFailure exception that never leaves Parse().
#pragma once

#include <string>
#include <string_view>

#include "api/graphql/ast.h"
#include "api/graphql/lexer.h"
#include "api/graphql/parser.h"

namespace leadline::graphql::internal {

struct ParserFailure {
  std::string message;
  uint32_t offset = 0;
};

class Parser {
 public:
  Parser(std::string_view source, const ParseLimits& limits);

  Document ParseDocument(bool allow_executable);

  // Executable language (parser.cpp).
  DefinitionNode ParseDefinition(bool allow_executable);
  DefinitionNode ParseOperationDefinition();
  DefinitionNode ParseFragmentDefinition();
  std::vector<VariableDefinitionNode> ParseVariableDefinitions();
  std::vector<SelectionNode> ParseSelectionSet();
  SelectionNode ParseSelection();
  std::vector<ArgumentNode> ParseArguments(bool is_const);
  std::vector<DirectiveNode> ParseDirectives(bool is_const);
  ValueNode ParseValue(bool is_const);
  TypeNodePtr ParseTypeReference();
  std::string ParseName();

  // Type system language (sdl_parser.cpp).
  bool PeekTypeSystemKeyword() const;
  DefinitionNode ParseTypeSystemDefinition();
  std::optional<std::string> ParseDescription();
  std::vector<FieldDefinitionNode> ParseFieldDefinitions();
  std::vector<InputValueDefinitionNode> ParseInputValueDefinitions(TokenKind open, TokenKind close);
  InputValueDefinitionNode ParseInputValueDefinition();
  void ParseImplementsInterfaces(TypeSystemNode& node);

  // Tokens.
  const Token& token() const { return token_; }
  const Token& Lookahead();
  bool Peek(TokenKind kind) const { return token_.kind == kind; }
  void Advance();
  Token Expect(TokenKind kind);
  bool ExpectOptional(TokenKind kind);
  void ExpectKeyword(std::string_view keyword);
  bool ExpectOptionalKeyword(std::string_view keyword);
  [[noreturn]] void Unexpected(const Token& token) const;
  [[noreturn]] void Fail(std::string message, uint32_t offset) const;

  // Nesting: each Enter() opens one level and fails past the limit; Leave() closes it.
  void Enter();
  void Leave() { --nesting_; }

 private:
  Token Read();

  std::string_view source_;
  ParseLimits limits_;
  Lexer lexer_;
  Token token_;
  Token lookahead_;
  bool has_lookahead_ = false;
  size_t token_count_ = 0;
  int nesting_ = 0;
};

}  // namespace leadline::graphql::internal
