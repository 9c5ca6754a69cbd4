#include "sources/incidentio/incidentio_http.h"

#include <nlohmann/json.hpp>

#include "sources/contract/json_answer.h"

namespace leadline::sources::incidentio {

using common::Status;
using nlohmann::json;

http::HttpRequest ApiGet(const ConnectionSettings& settings, const std::string& path_and_query) {
  http::HttpRequest request;
  request.url = settings.url + path_and_query;
  request.headers = {{"Accept", "application/json"}};
  request.credentials = settings.Credentials();
  return request;
}

common::Result<json> JsonOf(const http::HttpResponse& response, const std::string& url) {
  if (!response.ok()) return Diagnose(response, url);
  return JsonAnswer(response, url, "incident.io", kMaxAnswerBytes);
}

Status Diagnose(const http::HttpResponse& response, const std::string& url) {
  std::string said;
  if (response.body.size() <= kMaxAnswerBytes) {
    const json body = json::parse(response.body, nullptr, false);
    if (body.is_object() && body.contains("errors") && body["errors"].is_array()) {
      for (const json& error : body["errors"]) {
        if (error.is_object() && error.contains("message") && error["message"].is_string()) {
          said += (said.empty() ? "" : "; ") + error["message"].get<std::string>();
        }
      }
    }
    if (said.size() > 500) said = said.substr(0, 500) + "...";
  }
  const std::string what = "incident.io answered " + std::to_string(response.status) + " at " +
                           http::RedactUrl(url) + (said.empty() ? "" : " (" + said + ")");
  switch (response.status) {
    case 401:
      return Status::Unauthenticated(
          what +
          ": the API key is wrong or was deleted; create one (Settings > API keys) that may view "
          "incidents and the catalog, and give its file to --token-file");
    case 403:
      return Status::PermissionDenied(
          what +
          ": the key may not read this; an API key's roles are fixed when it is made, so create "
          "one with \"View data, like public incidents and organisation settings\" (and private "
          "incidents if they should count)");
    case 429:
      return Status::Unavailable(what + ": the key's rate limit is spent; try again later");
    default:
      if (response.status >= 500) return Status::Unavailable(what + ": try again later");
      return Status::InvalidArgument(what);
  }
}

}  // namespace leadline::sources::incidentio
