#include "sources/gitlab/gitlab_http.h"

#include <nlohmann/json.hpp>
#include <optional>

#include "http/pager.h"
#include "sources/contract/json_answer.h"
#include "sources/gitlab/gitlab_parse.h"

namespace leadline::sources::gitlab {

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
  return JsonAnswer(response, url, "GitLab", kMaxAnswerBytes);
}

common::Status ForEachPage(
    http::HttpClient& client, const ConnectionSettings& settings, const std::string& first_url,
    std::string_view what,
    const std::function<common::Result<bool>(const nlohmann::json&)>& on_page,
    const ErrorDiagnosis& diagnose) {
  std::optional<std::string> next = first_url;
  while (next) {
    const std::string url = *next;
    LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response,
                              client.Send(ApiRequest(settings, "GET", url)));
    if (!response.ok() && diagnose) return diagnose(response, url);
    LEADLINE_ASSIGN_OR_RETURN(const nlohmann::json page, JsonOf(response, url));
    if (!page.is_array()) {
      return common::Status::InvalidArgument("expected a list of " + std::string(what) + " at " +
                                             http::RedactUrl(url));
    }
    const common::Result<bool> more = on_page(page);
    if (!more.ok()) return more.status().WithContext(http::RedactUrl(url));
    next = *more && !page.empty() ? NextPageUrl(response, url) : std::nullopt;
  }
  return common::Status::Ok();
}

}  // namespace leadline::sources::gitlab
