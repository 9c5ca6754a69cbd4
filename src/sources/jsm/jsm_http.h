// What every Jira Service Management request of the connector shares: requests to the site
// (`https://<site>.atlassian.net/rest/api/3/...`, Basic with the Atlassian account e-mail and an
// API token) and to the Operations API (`https://api.atlassian.com/jsm/ops/api/<cloudId>/v1/...`,
// the same credentials), the answer's JSON within a size bound, and what to make of an answer
// that is not 2xx (Jira's {"errorMessages": [...], "errors": {...}} read into an error that says
// what to fix). Never puts the token in a message. Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "common/status.h"
#include "http/http_client.h"
#include "sources/contract/connection_settings.h"

namespace leadline::sources::jsm {

inline constexpr char kOpsApiUrl[] = "https://api.atlassian.com";
// A page of 100 work items with their navigable fields stays well under this.
inline constexpr std::size_t kMaxAnswerBytes = std::size_t{32} << 20;

// A GET of `path_and_query` ("/rest/api/3/myself") on the connection's site.
http::HttpRequest SiteGet(const ConnectionSettings& settings, const std::string& path_and_query);

// Where the site's Operations API is: api.atlassian.com for a site on atlassian.net; any other
// site (a proxy, a test double) serves it itself.
std::string OpsApiUrl(const ConnectionSettings& settings);
// A GET of `path_and_query` ("/v1/schedules?size=100") under the site's Operations API.
http::HttpRequest OpsGet(const ConnectionSettings& settings, const std::string& cloud_id,
                         const std::string& path_and_query);

// The JSON of a 2xx answer to `url`; Diagnose's error for any other, an error for a body over
// kMaxAnswerBytes or not JSON (a site that is not Jira answers HTML).
common::Result<nlohmann::json> JsonOf(const http::HttpResponse& response, const std::string& url);

// The error for an answer that is not 2xx: 401 names the e-mail and token, 403 the permissions,
// 404 the site, 410 the retired search, 429 the rate limit; Jira's own messages are kept.
common::Status Diagnose(const http::HttpResponse& response, const std::string& url);

}  // namespace leadline::sources::jsm
