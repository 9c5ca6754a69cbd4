// An upstream's successful answer read as JSON: at most `max_bytes` (a larger one is an error
// before it is parsed) and parsed without exceptions, the error naming who answered and where
// (the URL redacted). For the sources' HTTP helpers only: it brings nlohmann/json. Pure;
// thread-safe.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"
#include "http/http_client.h"

namespace leadline::sources {

// `who`: "PagerDuty", "incident.io", "GitLab". The response's status is not looked at: callers
// diagnose failures their own way first.
common::Result<nlohmann::json> JsonAnswer(const http::HttpResponse& response,
                                          const std::string& url, const char* who,
                                          std::size_t max_bytes);

}  // namespace leadline::sources
