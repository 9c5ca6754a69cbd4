// What every PagerDuty request of the connector shares: the request (API v2's Accept header,
// the key as "Token token=..."), the answer's JSON within a size bound, and what to make of an
// answer that is not 2xx (PagerDuty's {"error": {"message", "code", "errors"}} read into an error
// that says what to fix). Never puts the key in a message. Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "common/status.h"
#include "http/http_client.h"
#include "sources/contract/connection_settings.h"

namespace leadline::sources::pagerduty {

inline constexpr char kPagerDutyApiUrl[] = "https://api.pagerduty.com";
// A page of 100 incidents is some 200 KB; anything far larger is not an answer to read.
inline constexpr std::size_t kMaxAnswerBytes = std::size_t{8} << 20;

// A GET of `path_and_query` ("/incidents?limit=100") under the connection's API URL.
http::HttpRequest ApiGet(const ConnectionSettings& settings, const std::string& path_and_query);

// The JSON of a 2xx answer to `url`; Diagnose's error for any other, an error for a body over
// kMaxAnswerBytes or not JSON.
common::Result<nlohmann::json> JsonOf(const http::HttpResponse& response, const std::string& url);

// The error for an answer that is not 2xx: 401 names the key, 402 the plan, 403 the permission,
// 429 the rate limit; PagerDuty's own message and details are kept.
common::Status Diagnose(const http::HttpResponse& response, const std::string& url);

}  // namespace leadline::sources::pagerduty
