// What every GitLab request of the connector shares: the request (JSON accepted, the token's
// credentials), the answer's JSON (a non-2xx answer is the HTTP error naming the URL), and the
// instance's root URL without trailing slashes. Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "common/status.h"
#include "http/http_client.h"
#include "sources/contract/connection_settings.h"

namespace leadline::sources::gitlab {

// A request with the connection's credentials; a body is sent as JSON.
http::HttpRequest ApiRequest(const ConnectionSettings& settings, std::string method,
                             std::string url, std::string body = "");

// The JSON of a 2xx answer to `url`; the HTTP error for any other, an error for a body that is
// not JSON.
// A page of 100 merge requests or notes is a few MiB at most; a larger answer is refused before
// it is parsed.
inline constexpr std::size_t kMaxAnswerBytes = std::size_t{32} << 20;
common::Result<nlohmann::json> JsonOf(const http::HttpResponse& response, const std::string& url);

// What to make of an answer that is not 2xx; by default http::HttpError.
using ErrorDiagnosis =
    std::function<common::Status(const http::HttpResponse& response, const std::string& url)>;

// GETs every page of the listing at `first_url` (offset or keyset paging, see NextPageUrl) and
// hands each page, a JSON array, to `on_page`, until it answers false or the pages end. A page
// that is not an array is an error naming `what` ("projects") and the URL; `on_page`'s errors get
// the URL too.
common::Status ForEachPage(
    http::HttpClient& client, const ConnectionSettings& settings, const std::string& first_url,
    std::string_view what,
    const std::function<common::Result<bool>(const nlohmann::json&)>& on_page,
    const ErrorDiagnosis& diagnose = {});

}  // namespace leadline::sources::gitlab
