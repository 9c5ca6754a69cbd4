// What every incident.io request of the connector shares: the request (the API key as Bearer),
// the answer's JSON within a size bound, and what to make of an answer that is not 2xx
// (incident.io's {"type", "status", "errors": [{"message"}]} read into an error that says what
// to fix). Never puts the key in a message. Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "common/status.h"
#include "http/http_client.h"
#include "sources/contract/connection_settings.h"

namespace leadline::sources::incidentio {

inline constexpr char kIncidentIoApiUrl[] = "https://api.incident.io";
// A page of 100 incidents with their custom fields is well under a megabyte.
inline constexpr std::size_t kMaxAnswerBytes = std::size_t{16} << 20;

// A GET of `path_and_query` ("/v2/incidents?page_size=100") under the connection's API URL.
http::HttpRequest ApiGet(const ConnectionSettings& settings, const std::string& path_and_query);

// The JSON of a 2xx answer to `url`; Diagnose's error for any other, an error for a body over
// kMaxAnswerBytes or not JSON.
common::Result<nlohmann::json> JsonOf(const http::HttpResponse& response, const std::string& url);

// The error for an answer that is not 2xx: 401 names the key, 403 its roles, 429 the rate
// limit; incident.io's own messages are kept.
common::Status Diagnose(const http::HttpResponse& response, const std::string& url);

}  // namespace leadline::sources::incidentio
