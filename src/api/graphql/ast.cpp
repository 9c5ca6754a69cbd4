#include "api/graphql/ast.h"

#include <algorithm>

namespace leadline::graphql {

SourcePosition SourceLocation(std::string_view source, uint32_t offset) {
  return SourceLocations(source, {offset}).front();
}

std::vector<SourcePosition> SourceLocations(std::string_view source,
                                            const std::vector<uint32_t>& offsets) {
  std::vector<size_t> order(offsets.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return offsets[a] < offsets[b]; });
  std::vector<SourcePosition> positions(offsets.size());
  // One sweep: lines end at \n, \r\n or \r; columns count UTF-16 code units (a four-byte
  // UTF-8 sequence is two, continuation bytes none).
  SourcePosition at;
  size_t i = 0;
  for (size_t index : order) {
    const size_t end = std::min<size_t>(offsets[index], source.size());
    for (; i < end; ++i) {
      const unsigned char c = static_cast<unsigned char>(source[i]);
      if (c == '\n' || (c == '\r' && (i + 1 >= source.size() || source[i + 1] != '\n'))) {
        ++at.line;
        at.column = 1;
      } else if ((c & 0xC0) != 0x80) {
        at.column += (c & 0xF8) == 0xF0 ? 2 : 1;
      }
    }
    positions[index] = at;
  }
  return positions;
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
