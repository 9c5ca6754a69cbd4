// The text of a request as the server reads it off the wire: the target split into a decoded
// path and query parameters, and the UTF-8 check every part of a request passes before a handler
// sees it. Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/status.h"

namespace leadline::api {

struct RequestTarget {
  std::string path;  // percent-decoded ("/v1/deployments")
  std::map<std::string, std::string>
      query;  // decoded, '+' as a space; the first of a repeated name
};

// Splits "/path?a=1&b=x+y" and decodes it. InvalidArgument for a malformed escape ("%4", "%zz"),
// or a path or parameter that is not valid UTF-8 once decoded.
common::Result<RequestTarget> ParseTarget(std::string_view target);

bool IsValidUtf8(std::string_view text);

// The text with every byte that is not printable ASCII shown as "\xNN": safe for logs and the
// audit log whatever the client sent.
std::string Printable(std::string_view text);

}  // namespace leadline::api
