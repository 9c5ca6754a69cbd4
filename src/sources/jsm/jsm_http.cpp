#include "sources/jsm/jsm_http.h"

#include <nlohmann/json.hpp>

#include "sources/contract/json_answer.h"

namespace leadline::sources::jsm {

using common::Status;
using nlohmann::json;

namespace {

// Jira's messages: errorMessages[] and the values of errors{}; "" when none.
std::string JiraMessages(const std::string& text) {
  if (text.size() > kMaxAnswerBytes) return "";
  const json body = json::parse(text, nullptr, false);
  if (!body.is_object()) return "";
  std::string said;
  const auto add = [&](const json& value) {
    if (value.is_string()) said += (said.empty() ? "" : "; ") + value.get<std::string>();
  };
  if (body.contains("errorMessages") && body["errorMessages"].is_array()) {
    for (const json& message : body["errorMessages"]) add(message);
  }
  if (body.contains("errors") && body["errors"].is_object()) {
    for (const auto& [field, message] : body["errors"].items()) add(message);
  }
  if (body.contains("message")) add(body["message"]);  // the Operations API's
  if (said.size() > 500) said = said.substr(0, 500) + "...";
  return said;
}

}  // namespace

http::HttpRequest SiteGet(const ConnectionSettings& settings, const std::string& path_and_query) {
  http::HttpRequest request;
  request.url = settings.url + path_and_query;
  request.headers = {{"Accept", "application/json"}};
  request.credentials = settings.Credentials();
  return request;
}

std::string OpsApiUrl(const ConnectionSettings& settings) {
  const std::string host_end = ".atlassian.net";
  return settings.url.starts_with("https://") && settings.url.ends_with(host_end)
             ? std::string(kOpsApiUrl)
             : settings.url;
}

http::HttpRequest OpsGet(const ConnectionSettings& settings, const std::string& cloud_id,
                         const std::string& path_and_query) {
  http::HttpRequest request = SiteGet(settings, "");
  request.url = OpsApiUrl(settings) + "/jsm/ops/api/" + cloud_id + path_and_query;
  return request;
}

common::Result<json> JsonOf(const http::HttpResponse& response, const std::string& url) {
  if (!response.ok()) return Diagnose(response, url);
  auto body = JsonAnswer(response, url, "Jira Service Management", kMaxAnswerBytes);
  if (!body.ok()) {
    return Status::InvalidArgument(body.status().message() +
                                   ": is --site the site's address, https://<site>.atlassian.net?");
  }
  return body;
}

Status Diagnose(const http::HttpResponse& response, const std::string& url) {
  const std::string said = JiraMessages(response.body);
  const std::string what = "Jira Service Management answered " + std::to_string(response.status) +
                           " at " + http::RedactUrl(url) + (said.empty() ? "" : " (" + said + ")");
  switch (response.status) {
    case 401:
      return Status::Unauthenticated(
          what +
          ": the e-mail and API token do not sign in; give the Atlassian account's e-mail to "
          "--email and an API token of that account (id.atlassian.com > Security > API tokens) "
          "to --token-file");
    case 403:
      return Status::PermissionDenied(
          what +
          ": the account may not read this; it needs the Browse projects permission on the "
          "service projects whose incidents count (an agent of them), and a Jira Service "
          "Management agent licence for the Operations API");
    case 404:
      return Status::NotFound(what +
                              ": no such Jira Cloud site or resource; --site must be the site's "
                              "address, https://<site>.atlassian.net");
    case 410:
      return Status::FailedPrecondition(
          what + ": the site retired this API; this Leadline reads /rest/api/3/search/jql");
    case 429:
      return Status::Unavailable(what + ": the site's rate limit is spent; try again later");
    default:
      if (response.status >= 500) return Status::Unavailable(what + ": try again later");
      return Status::InvalidArgument(what);
  }
}

}  // namespace leadline::sources::jsm
