// What every Opsgenie request of the connector shares (reference: upstream-apis.md section 5):
// the request (`Authorization: GenieKey <key>` on api.opsgenie.com, or api.eu.opsgenie.com),
// the answer's JSON within a size bound, and what to make of an answer that is not 2xx
// (Opsgenie's {"message", "took", "requestId"} read into an error that says what to fix). Never
// puts the key in a message. Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "common/status.h"
#include "http/http_client.h"
#include "sources/contract/connection_settings.h"

namespace leadline::sources::opsgenie {

inline constexpr char kOpsgenieApiUrl[] = "https://api.opsgenie.com";
inline constexpr char kOpsgenieEuApiUrl[] = "https://api.eu.opsgenie.com";
// Said when a connection is made and on every check.
inline constexpr char kRetirement[] =
    "Opsgenie's REST API ends on 2027-04-05, and a site that migrates to Jira Service Management "
    "loses Opsgenie 120 days after migrating: plan `leadline connect jsm`";
// A page of 100 incidents is well under a megabyte.
inline constexpr std::size_t kMaxAnswerBytes = std::size_t{16} << 20;

// A GET of `path_and_query` ("/v2/teams") under the connection's API URL.
http::HttpRequest ApiGet(const ConnectionSettings& settings, const std::string& path_and_query);

// The JSON of a 2xx answer to `url`; Diagnose's error for any other, an error for a body over
// kMaxAnswerBytes or not JSON.
common::Result<nlohmann::json> JsonOf(const http::HttpResponse& response, const std::string& url);

// The error for an answer that is not 2xx: 401 names the key, 403 its rights, 429 the rate
// limit; Opsgenie's own message is kept.
common::Status Diagnose(const http::HttpResponse& response, const std::string& url);

}  // namespace leadline::sources::opsgenie
