// What every GitLab request of the connector shares: the request (JSON accepted, the token's
// credentials), the answer's JSON (a non-2xx answer is the HTTP error naming the URL), and the
// instance's root URL without trailing slashes. Stateless; thread-safe.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "common/status.h"
#include "http/http_client.h"
#include "sources/contract/connection_settings.h"

namespace leadline::sources::gitlab {

// `url` without trailing slashes ("https://gitlab.example.com/" -> "https://gitlab.example.com").
std::string WithoutTrailingSlashes(std::string url);

// A request with the connection's credentials; a body is sent as JSON.
http::HttpRequest ApiRequest(const ConnectionSettings& settings, std::string method,
                             std::string url, std::string body = "");

// The JSON of a 2xx answer to `url`; the HTTP error for any other, an error for a body that is
// not JSON.
common::Result<nlohmann::json> JsonOf(const http::HttpResponse& response, const std::string& url);

}  // namespace leadline::sources::gitlab
