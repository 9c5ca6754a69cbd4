// The lexer of GraphQL source text (specification section 2.1): punctuators, names, numbers,
// strings and block strings (with the indentation rule applied), skipping whitespace, commas and
// comments. Owns nothing: it reads a string_view that must outlive it. Not thread-safe; one per
// parse.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leadline::graphql {

enum class TokenKind {
  kStartOfFile,
  kEndOfFile,
  kBang,
  kDollar,
  kAmp,
  kParenL,
  kParenR,
  kSpread,
  kColon,
  kEquals,
  kAt,
  kBracketL,
  kBracketR,
  kBraceL,
  kPipe,
  kBraceR,
  kName,
  kInt,
  kFloat,
  kString,
  kBlockString,
};

struct Token {
  TokenKind kind = TokenKind::kStartOfFile;
  uint32_t start = 0;
  uint32_t end = 0;
  std::string value;  // names and numbers as written; strings decoded
};

// "Name", "\"{\"", "<EOF>" as graphql-js describes a kind of token.
std::string TokenKindDescription(TokenKind kind);
// The kind, and the value of names, numbers and strings: Name "foo".
std::string TokenDescription(const Token& token);

// A syntax error: its message (without the "Syntax Error: " prefix) and byte offset.
struct SyntaxError {
  std::string message;
  uint32_t offset = 0;
};

class Lexer {
 public:
  explicit Lexer(std::string_view source) : source_(source) {}

  // Reads the next token, or sets *error and returns false.
  bool Next(Token* token, SyntaxError* error);

 private:
  bool ReadNumber(uint32_t start, Token* token, SyntaxError* error);
  bool ReadString(uint32_t start, Token* token, SyntaxError* error);
  bool ReadBlockString(uint32_t start, Token* token, SyntaxError* error);
  // The code point at `offset` as graphql-js prints it in errors: "a", '"', U+000A, <EOF>.
  std::string PrintCodePointAt(uint32_t offset) const;
  // Decodes the UTF-8 sequence at offset: its code point and length; -1 when invalid.
  int32_t CodePointAt(uint32_t offset, int* length) const;

  std::string_view source_;
  uint32_t position_ = 0;
};

// The specification's BlockStringValue(): common indentation and blank first/last lines removed.
std::string DedentBlockString(std::string_view raw);

}  // namespace leadline::graphql
