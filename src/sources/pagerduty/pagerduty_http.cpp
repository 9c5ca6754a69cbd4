#include "sources/pagerduty/pagerduty_http.h"

#include <nlohmann/json.hpp>

#include "sources/contract/json_answer.h"

namespace leadline::sources::pagerduty {

using common::Status;
using nlohmann::json;

http::HttpRequest ApiGet(const ConnectionSettings& settings, const std::string& path_and_query) {
  http::HttpRequest request;
  request.url = settings.url + path_and_query;
  request.headers = {{"Accept", "application/vnd.pagerduty+json;version=2"}};
  request.credentials = settings.Credentials();
  return request;
}

common::Result<json> JsonOf(const http::HttpResponse& response, const std::string& url) {
  if (!response.ok()) return Diagnose(response, url);
  return JsonAnswer(response, url, "PagerDuty", kMaxAnswerBytes);
}

Status Diagnose(const http::HttpResponse& response, const std::string& url) {
  std::string said;
  if (response.body.size() <= kMaxAnswerBytes) {
    const json body = json::parse(response.body, nullptr, false);
    if (body.is_object() && body.contains("error") && body["error"].is_object()) {
      const json& error = body["error"];
      if (error.contains("message") && error["message"].is_string()) {
        said = error["message"].get<std::string>();
      }
      if (error.contains("errors") && error["errors"].is_array()) {
        for (const json& detail : error["errors"]) {
          if (detail.is_string()) said += "; " + detail.get<std::string>();
        }
      }
      if (said.size() > 500) said = said.substr(0, 500) + "...";
    }
  }
  const std::string what = "PagerDuty answered " + std::to_string(response.status) + " at " +
                           http::RedactUrl(url) + (said.empty() ? "" : " (" + said + ")");
  switch (response.status) {
    case 401:
      return Status::Unauthenticated(
          what +
          ": the API key is wrong or was deleted; create a REST API key (Integrations > "
          "API Access Keys, read-only is enough) and give its file to --token-file");
    case 402:
      return Status::PermissionDenied(what +
                                      ": the account's PagerDuty plan does not include this");
    case 403:
      return Status::PermissionDenied(
          what +
          ": the key may not read this; use an account key, or a user key of a user who "
          "sees the services");
    case 429:
      return Status::Unavailable(what + ": the key's rate limit is spent; try again later");
    default:
      if (response.status >= 500) return Status::Unavailable(what + ": try again later");
      return Status::InvalidArgument(what);
  }
}

}  // namespace leadline::sources::pagerduty
