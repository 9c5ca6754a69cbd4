// A mistake in pushed JSON (a deployment, an incident), with where it is. Values only.
#pragma once

#include <string>
#include <vector>

namespace leadline::sources {

struct FieldError {
  std::string field;  // "incidents[2].started_at", or "" for the document itself
  std::string message;
};

// Every error as "field: message", one per line ("the document" for the document itself).
std::string DescribeErrors(const std::vector<FieldError>& errors);

}  // namespace leadline::sources
