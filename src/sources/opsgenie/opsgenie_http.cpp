#include "sources/opsgenie/opsgenie_http.h"

#include <nlohmann/json.hpp>

#include "sources/contract/json_answer.h"

namespace leadline::sources::opsgenie {

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
  return JsonAnswer(response, url, "Opsgenie", kMaxAnswerBytes);
}

Status Diagnose(const http::HttpResponse& response, const std::string& url) {
  std::string said;
  if (response.body.size() <= kMaxAnswerBytes) {
    const json body = json::parse(response.body, nullptr, false);
    if (body.is_object() && body.contains("message") && body["message"].is_string()) {
      said = body["message"].get<std::string>().substr(0, 500);
    }
  }
  const std::string what = "Opsgenie answered " + std::to_string(response.status) + " at " +
                           http::RedactUrl(url) + (said.empty() ? "" : " (" + said + ")");
  switch (response.status) {
    case 401:
      return Status::Unauthenticated(
          what +
          ": the API key is wrong or was deleted; create one with Read access (Settings > API "
          "key management), give its file to --token-file, and --region eu for an EU account");
    case 403:
      return Status::PermissionDenied(
          what +
          ": the key may not read this; an integration's key can only send alerts: use an API "
          "key from Settings > API key management with Read access");
    case 429:
      return Status::Unavailable(what + ": the account's rate limit is spent; try again later");
    default:
      if (response.status >= 500) return Status::Unavailable(what + ": try again later");
      return Status::InvalidArgument(what);
  }
}

}  // namespace leadline::sources::opsgenie
