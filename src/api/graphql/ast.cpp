#include "api/graphql/ast.h"

namespace leadline::graphql {

SourcePosition SourceLocation(std::string_view source, uint32_t offset) {
  SourcePosition position;
  size_t line_start = 0;
  const size_t end = std::min<size_t>(offset, source.size());
  for (size_t i = 0; i < end; ++i) {
    if (source[i] == '\n' || source[i] == '\r') {
      if (source[i] == '\r' && i + 1 < source.size() && source[i + 1] == '\n') {
        if (i + 1 >= end) break;  // the position is the \n of a \r\n: still this line
        ++i;
      }
      ++position.line;
      line_start = i + 1;
    }
  }
  // Columns count UTF-16 code units: a four-byte UTF-8 sequence is two, continuation bytes none.
  int column = 1;
  for (size_t i = line_start; i < end; ++i) {
    const unsigned char c = static_cast<unsigned char>(source[i]);
    if ((c & 0xC0) == 0x80) continue;
    column += (c & 0xF8) == 0xF0 ? 2 : 1;
  }
  position.column = column;
  return position;
}

std::string PrintTypeNode(const TypeNode& type) {
  switch (type.kind) {
    case TypeNode::Kind::kNamed:
      return type.name;
    case TypeNode::Kind::kList:
      return "[" + PrintTypeNode(*type.of) + "]";
    case TypeNode::Kind::kNonNull:
      return PrintTypeNode(*type.of) + "!";
  }
  return type.name;
}

const char* OperationTypeName(OperationType type) {
  switch (type) {
    case OperationType::kQuery:
      return "query";
    case OperationType::kMutation:
      return "mutation";
    case OperationType::kSubscription:
      return "subscription";
  }
  return "query";
}

}  // namespace leadline::graphql
