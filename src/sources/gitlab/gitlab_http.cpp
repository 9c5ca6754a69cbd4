#include "sources/gitlab/gitlab_http.h"

#include <nlohmann/json.hpp>

#include "http/pager.h"

namespace leadline::sources::gitlab {

std::string WithoutTrailingSlashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

http::HttpRequest ApiRequest(const ConnectionSettings& settings, std::string method,
                             std::string url, std::string body) {
  http::HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.headers = {{"Accept", "application/json"}};
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  request.body = std::move(body);
  request.credentials = settings.Credentials();
  return request;
}

common::Result<nlohmann::json> JsonOf(const http::HttpResponse& response, const std::string& url) {
  if (!response.ok()) return http::HttpError(response, url);
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    return common::Status::InvalidArgument("GitLab's answer at " + http::RedactUrl(url) +
                                           " is not JSON");
  }
  return body;
}

}  // namespace leadline::sources::gitlab
