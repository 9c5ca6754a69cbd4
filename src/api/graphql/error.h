// A GraphQL error as the response carries it: a message, the document positions it concerns,
// the response path of the field it concerns (empty for request errors) and a code for
// extensions.code. Plain values; thread-safe to copy.
#pragma once

#include <string>
#include <vector>

#include "api/graphql/ast.h"

namespace leadline::graphql {

// One step of a response path: a response key, or a list index when index >= 0.
struct PathSegment {
  std::string key;
  int index = -1;
};

struct Error {
  std::string message;
  std::vector<SourcePosition> locations;
  std::vector<PathSegment> path;
  std::string code;  // extensions.code; empty for none
};

// An error whose locations are still byte offsets: Locate() turns many of them into lines and
// columns in one pass over the document (errors may be many; the document may be large).
struct PendingError {
  Error error;
  std::vector<uint32_t> offsets;
};
std::vector<Error> Locate(std::string_view source, std::vector<PendingError> pending);

// The extensions.code values Leadline's engine gives.
inline constexpr char kParseFailed[] = "GRAPHQL_PARSE_FAILED";
inline constexpr char kValidationFailed[] = "GRAPHQL_VALIDATION_FAILED";
inline constexpr char kBadUserInput[] = "BAD_USER_INPUT";
inline constexpr char kLimitExceeded[] = "LIMIT_EXCEEDED";
inline constexpr char kInternalError[] = "INTERNAL_SERVER_ERROR";

}  // namespace leadline::graphql
