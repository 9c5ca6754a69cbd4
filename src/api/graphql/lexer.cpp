#include "api/graphql/lexer.h"

#include <cstdio>
#include <vector>

namespace leadline::graphql {
namespace {

bool IsDigit(int c) { return c >= '0' && c <= '9'; }
bool IsNameStart(int c) { return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsNameContinue(int c) { return IsNameStart(c) || IsDigit(c); }
bool IsScalarValue(int32_t c) { return (c >= 0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0x10FFFF); }

int HexValue(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::string TokenKindDescription(TokenKind kind) {
  switch (kind) {
    case TokenKind::kStartOfFile:
      return "<SOF>";
    case TokenKind::kEndOfFile:
      return "<EOF>";
    case TokenKind::kBang:
      return "\"!\"";
    case TokenKind::kDollar:
      return "\"$\"";
    case TokenKind::kAmp:
      return "\"&\"";
    case TokenKind::kParenL:
      return "\"(\"";
    case TokenKind::kParenR:
      return "\")\"";
    case TokenKind::kSpread:
      return "\"...\"";
    case TokenKind::kColon:
      return "\":\"";
    case TokenKind::kEquals:
      return "\"=\"";
    case TokenKind::kAt:
      return "\"@\"";
    case TokenKind::kBracketL:
      return "\"[\"";
    case TokenKind::kBracketR:
      return "\"]\"";
    case TokenKind::kBraceL:
      return "\"{\"";
    case TokenKind::kPipe:
      return "\"|\"";
    case TokenKind::kBraceR:
      return "\"}\"";
    case TokenKind::kName:
      return "Name";
    case TokenKind::kInt:
      return "Int";
    case TokenKind::kFloat:
      return "Float";
    case TokenKind::kString:
      return "String";
    case TokenKind::kBlockString:
      return "BlockString";
  }
  return "token";
}

std::string TokenDescription(const Token& token) {
  std::string text = TokenKindDescription(token.kind);
  switch (token.kind) {
    case TokenKind::kName:
    case TokenKind::kInt:
    case TokenKind::kFloat:
    case TokenKind::kString:
    case TokenKind::kBlockString:
      text += " \"" + token.value + "\"";
      break;
    default:
      break;
  }
  return text;
}

int32_t Lexer::CodePointAt(uint32_t offset, int* length) const {
  const auto byte = [&](uint32_t i) -> int {
    return i < source_.size() ? static_cast<unsigned char>(source_[i]) : -1;
  };
  const int lead = byte(offset);
  *length = 1;
  if (lead < 0x80) return lead;
  int count = 0;
  int32_t cp = 0;
  if ((lead & 0xE0) == 0xC0) {
    count = 1;
    cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    count = 2;
    cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    count = 3;
    cp = lead & 0x07;
  } else {
    return -1;
  }
  for (int i = 1; i <= count; ++i) {
    const int next = byte(offset + i);
    if (next < 0 || (next & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (next & 0x3F);
  }
  static constexpr int32_t kMinimum[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMinimum[count] || !IsScalarValue(cp)) return -1;
  *length = count + 1;
  return cp;
}

std::string Lexer::PrintCodePointAt(uint32_t offset) const {
  if (offset >= source_.size()) return "<EOF>";
  int length = 0;
  const int32_t cp = CodePointAt(offset, &length);
  if (cp >= 0x20 && cp <= 0x7E) {
    return cp == '"' ? "'\"'" : "\"" + std::string(1, static_cast<char>(cp)) + "\"";
  }
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X",
                cp < 0 ? static_cast<unsigned>(static_cast<unsigned char>(source_[offset]))
                       : static_cast<unsigned>(cp));
  return buffer;
}

bool Lexer::Next(Token* token, SyntaxError* error) {
  const uint32_t size = static_cast<uint32_t>(source_.size());
  uint32_t& p = position_;
  while (p < size) {
    const unsigned char c = static_cast<unsigned char>(source_[p]);
    // Ignored tokens: the byte order mark, whitespace, line terminators, commas, comments.
    if (c == 0xEF && p + 2 < size && static_cast<unsigned char>(source_[p + 1]) == 0xBB &&
        static_cast<unsigned char>(source_[p + 2]) == 0xBF) {
      p += 3;
      continue;
    }
    if (c == ' ' || c == '\t' || c == ',' || c == '\n' || c == '\r') {
      ++p;
      continue;
    }
    if (c == '#') {
      while (p < size && source_[p] != '\n' && source_[p] != '\r') ++p;
      continue;
    }
    const auto punctuator = [&](TokenKind kind, uint32_t length) {
      *token = Token{kind, p, p + length, {}};
      p += length;
      return true;
    };
    switch (c) {
      case '!':
        return punctuator(TokenKind::kBang, 1);
      case '$':
        return punctuator(TokenKind::kDollar, 1);
      case '&':
        return punctuator(TokenKind::kAmp, 1);
      case '(':
        return punctuator(TokenKind::kParenL, 1);
      case ')':
        return punctuator(TokenKind::kParenR, 1);
      case ':':
        return punctuator(TokenKind::kColon, 1);
      case '=':
        return punctuator(TokenKind::kEquals, 1);
      case '@':
        return punctuator(TokenKind::kAt, 1);
      case '[':
        return punctuator(TokenKind::kBracketL, 1);
      case ']':
        return punctuator(TokenKind::kBracketR, 1);
      case '{':
        return punctuator(TokenKind::kBraceL, 1);
      case '|':
        return punctuator(TokenKind::kPipe, 1);
      case '}':
        return punctuator(TokenKind::kBraceR, 1);
      case '.':
        if (p + 2 < size && source_[p + 1] == '.' && source_[p + 2] == '.') {
          return punctuator(TokenKind::kSpread, 3);
        }
        break;
      case '"':
        if (p + 2 < size && source_[p + 1] == '"' && source_[p + 2] == '"') {
          return ReadBlockString(p, token, error);
        }
        return ReadString(p, token, error);
      default:
        break;
    }
    if (IsDigit(c) || c == '-') return ReadNumber(p, token, error);
    if (IsNameStart(c)) {
      const uint32_t start = p;
      while (p < size && IsNameContinue(static_cast<unsigned char>(source_[p]))) ++p;
      *token = Token{TokenKind::kName, start, p, std::string(source_.substr(start, p - start))};
      return true;
    }
    int length = 0;
    const int32_t cp = CodePointAt(p, &length);
    if (c == '\'') {
      *error = {"Unexpected single quote character ('), did you mean to use a double quote (\")?",
                p};
    } else if (cp >= 0) {
      *error = {"Unexpected character: " + PrintCodePointAt(p) + ".", p};
    } else {
      *error = {"Invalid character: " + PrintCodePointAt(p) + ".", p};
    }
    return false;
  }
  *token = Token{TokenKind::kEndOfFile, size, size, {}};
  return true;
}

bool Lexer::ReadNumber(uint32_t start, Token* token, SyntaxError* error) {
  const auto at = [&](uint32_t i) -> int {
    return i < source_.size() ? static_cast<unsigned char>(source_[i]) : -1;
  };
  uint32_t p = start;
  bool is_float = false;
  const auto digits = [&]() {
    if (!IsDigit(at(p))) {
      *error = {"Invalid number, expected digit but got: " + PrintCodePointAt(p) + ".", p};
      return false;
    }
    while (IsDigit(at(p))) ++p;
    return true;
  };
  if (at(p) == '-') ++p;
  if (at(p) == '0') {
    ++p;
    if (IsDigit(at(p))) {
      *error = {"Invalid number, unexpected digit after 0: " + PrintCodePointAt(p) + ".", p};
      return false;
    }
  } else if (!digits()) {
    return false;
  }
  if (at(p) == '.') {
    is_float = true;
    ++p;
    if (!digits()) return false;
  }
  if (at(p) == 'e' || at(p) == 'E') {
    is_float = true;
    ++p;
    if (at(p) == '+' || at(p) == '-') ++p;
    if (!digits()) return false;
  }
  if (at(p) == '.' || IsNameStart(at(p))) {
    *error = {"Invalid number, expected digit but got: " + PrintCodePointAt(p) + ".", p};
    return false;
  }
  *token = Token{is_float ? TokenKind::kFloat : TokenKind::kInt, start, p,
                 std::string(source_.substr(start, p - start))};
  position_ = p;
  return true;
}

bool Lexer::ReadString(uint32_t start, Token* token, SyntaxError* error) {
  const uint32_t size = static_cast<uint32_t>(source_.size());
  uint32_t p = start + 1;
  std::string value;
  while (p < size) {
    const unsigned char c = static_cast<unsigned char>(source_[p]);
    if (c == '"') {
      *token = Token{TokenKind::kString, start, p + 1, std::move(value)};
      position_ = p + 1;
      return true;
    }
    if (c == '\n' || c == '\r') break;
    if (c == '\\') {
      const int next = p + 1 < size ? static_cast<unsigned char>(source_[p + 1]) : -1;
      if (next == 'u' && p + 2 < size && source_[p + 2] == '{') {
        // \u{...}: one to eight hex digits naming a scalar value.
        int32_t point = 0;
        uint32_t length = 3;
        bool valid = false;
        while (length < 12) {
          const int code = p + length < size ? static_cast<unsigned char>(source_[p + length]) : -1;
          ++length;
          if (code == '}') {
            valid = length >= 5 && IsScalarValue(point);
            break;
          }
          const int hex = HexValue(code);
          if (hex < 0 || point > 0x10FFFF) break;
          point = (point << 4) | hex;
        }
        if (!valid) {
          *error = {"Invalid Unicode escape sequence: \"" +
                        std::string(source_.substr(p, std::min(length, size - p))) + "\".",
                    p};
          return false;
        }
        AppendUtf8(value, static_cast<uint32_t>(point));
        p += length;
        continue;
      }
      if (next == 'u') {
        const auto hex4 = [&](uint32_t at) -> int32_t {
          if (at + 4 > size) return -1;
          int32_t code = 0;
          for (uint32_t i = 0; i < 4; ++i) {
            const int hex = HexValue(static_cast<unsigned char>(source_[at + i]));
            if (hex < 0) return -1;
            code = (code << 4) | hex;
          }
          return code;
        };
        const int32_t code = hex4(p + 2);
        if (code >= 0 && IsScalarValue(code)) {
          AppendUtf8(value, static_cast<uint32_t>(code));
          p += 6;
          continue;
        }
        // A leading surrogate followed by \u and a trailing one encodes one code point.
        if (code >= 0xD800 && code <= 0xDBFF && p + 7 < size && source_[p + 6] == '\\' &&
            source_[p + 7] == 'u') {
          const int32_t trailing = hex4(p + 8);
          if (trailing >= 0xDC00 && trailing <= 0xDFFF) {
            AppendUtf8(value, 0x10000 + ((static_cast<uint32_t>(code) - 0xD800) << 10) +
                                  (static_cast<uint32_t>(trailing) - 0xDC00));
            p += 12;
            continue;
          }
        }
        *error = {"Invalid Unicode escape sequence: \"" +
                      std::string(source_.substr(p, std::min<uint32_t>(6, size - p))) + "\".",
                  p};
        return false;
      }
      char decoded = 0;
      switch (next) {
        case '"':
          decoded = '"';
          break;
        case '\\':
          decoded = '\\';
          break;
        case '/':
          decoded = '/';
          break;
        case 'b':
          decoded = '\b';
          break;
        case 'f':
          decoded = '\f';
          break;
        case 'n':
          decoded = '\n';
          break;
        case 'r':
          decoded = '\r';
          break;
        case 't':
          decoded = '\t';
          break;
        default:
          *error = {"Invalid character escape sequence: \"" +
                        std::string(source_.substr(p, std::min<uint32_t>(2, size - p))) + "\".",
                    p};
          return false;
      }
      value += decoded;
      p += 2;
      continue;
    }
    int length = 0;
    if (CodePointAt(p, &length) < 0) {
      *error = {"Invalid character within String: " + PrintCodePointAt(p) + ".", p};
      return false;
    }
    value.append(source_.substr(p, static_cast<size_t>(length)));
    p += static_cast<uint32_t>(length);
  }
  *error = {"Unterminated string.", p};
  return false;
}

bool Lexer::ReadBlockString(uint32_t start, Token* token, SyntaxError* error) {
  const uint32_t size = static_cast<uint32_t>(source_.size());
  uint32_t p = start + 3;
  std::string raw;
  while (p < size) {
    if (source_.compare(p, 3, "\"\"\"") == 0) {
      *token = Token{TokenKind::kBlockString, start, p + 3, DedentBlockString(raw)};
      position_ = p + 3;
      return true;
    }
    if (source_.compare(p, 4, "\\\"\"\"") == 0) {
      raw += "\"\"\"";
      p += 4;
      continue;
    }
    int length = 0;
    if (CodePointAt(p, &length) < 0) {
      *error = {"Invalid character within String: " + PrintCodePointAt(p) + ".", p};
      return false;
    }
    raw.append(source_.substr(p, static_cast<size_t>(length)));
    p += static_cast<uint32_t>(length);
  }
  *error = {"Unterminated string.", p};
  return false;
}

std::string DedentBlockString(std::string_view raw) {
  std::vector<std::string_view> lines;
  size_t line_start = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == '\n' || raw[i] == '\r') {
      lines.push_back(raw.substr(line_start, i - line_start));
      if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
      line_start = i + 1;
    }
  }
  lines.push_back(raw.substr(line_start));

  size_t common_indent = std::string_view::npos;
  std::optional<size_t> first_non_empty;
  size_t last_non_empty = 0;
  bool any = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    const size_t indent = lines[i].find_first_not_of(" \t");
    if (indent == std::string_view::npos) continue;  // blank line
    if (!first_non_empty) first_non_empty = i;
    last_non_empty = i;
    any = true;
    if (i != 0 && indent < common_indent) common_indent = indent;
  }
  if (!any) return {};
  std::string out;
  for (size_t i = *first_non_empty; i <= last_non_empty; ++i) {
    if (i != *first_non_empty) out += '\n';
    std::string_view line = lines[i];
    if (i != 0) line = line.substr(std::min(common_indent, line.size()));
    out.append(line);
  }
  return out;
}

}  // namespace leadline::graphql
