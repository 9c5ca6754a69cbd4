#include "sources/gitlab/gitlab_check.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/text.h"
#include "http/pager.h"
#include "sources/gitlab/gitlab_http.h"
#include "sources/gitlab/gitlab_parse.h"

namespace leadline::sources::gitlab {
namespace {

using common::Result;
using common::Status;
using nlohmann::json;

Result<http::HttpResponse> Get(http::HttpClient& client, const ConnectionSettings& settings,
                               const std::string& url) {
  return client.Send(ApiRequest(settings, "GET", url));
}

constexpr const char* kNewToken =
    "create a personal, group or project access token with the read_api and read_repository "
    "scopes (api too, for webhooks and pull request comments)";

// What to do about an answer that is not 2xx.
Status Diagnose(const http::HttpResponse& response, const std::string& url) {
  const Status error = http::HttpError(response, url);
  if (response.status == 401) {
    return Status::Unauthenticated(error.message() + ": the token is wrong, expired or revoked; " +
                                   kNewToken);
  }
  if (response.status == 403) {
    const json body = json::parse(response.body, nullptr, false);
    std::string scopes;
    if (body.is_object() && body.contains("scope") && body["scope"].is_string()) {
      scopes = body["scope"].get<std::string>();
    }
    return Status::PermissionDenied(
        error.message() + (scopes.empty() ? "" : ": the token needs one of the scopes " + scopes) +
        "; " + kNewToken);
  }
  return error;
}

bool HasScope(const TokenInfo& token, const char* scope) {
  return std::find(token.scopes.begin(), token.scopes.end(), scope) != token.scopes.end();
}

// The instance's version at `root`, or why there is none.
Result<std::string> VersionAt(http::HttpClient& client, const ConnectionSettings& settings,
                              const std::string& root) {
  const std::string url = root + "/api/v4/version";
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, Get(client, settings, url));
  if (response.status == 401) return Diagnose(response, url);
  if (!response.ok()) return http::HttpError(response, url);
  auto body = JsonOf(response, url);
  if (!body.ok()) return body.status();
  return ParseVersion(*body);
}

// The version, probing shorter URLs when `settings.url` is not the instance's root.
Result<std::string> FindVersion(http::HttpClient& client, const ConnectionSettings& settings) {
  const std::string root = common::WithoutTrailingSlashes(settings.url);
  Result<std::string> version = VersionAt(client, settings, root);
  if (version.ok() || version.status().code() == common::StatusCode::kUnauthenticated) {
    return version;
  }
  const std::vector<std::string> candidates = InstanceRootCandidates(settings.url);
  for (std::size_t i = 1; i < candidates.size(); ++i) {
    const Result<std::string> found = VersionAt(client, settings, candidates[i]);
    if (found.ok() || found.status().code() == common::StatusCode::kUnauthenticated) {
      return Status::InvalidArgument("'" + settings.url +
                                     "' is not a GitLab instance's root URL (" +
                                     version.status().message() + "); use --url " + candidates[i]);
    }
  }
  return Status::NotFound("no GitLab API answers at " + http::RedactUrl(root) + "/api/v4 (" +
                          version.status().message() +
                          "): give the instance's root URL, e.g. https://gitlab.example.com");
}

}  // namespace

std::vector<std::string> InstanceRootCandidates(const std::string& url) {
  std::vector<std::string> candidates;
  std::string current = common::WithoutTrailingSlashes(url);
  const std::size_t scheme = current.find("://");
  const std::size_t path_start = current.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  candidates.push_back(current);
  while (path_start != std::string::npos && current.size() > path_start) {
    current.resize(current.rfind('/'));
    current = common::WithoutTrailingSlashes(current);
    candidates.push_back(current);
  }
  return candidates;
}

Result<std::int64_t> CountProjects(http::HttpClient& client, const ConnectionSettings& settings) {
  const std::string base =
      common::WithoutTrailingSlashes(settings.url) + "/api/v4/projects?membership=true&simple=true";
  std::string url = base + "&per_page=1";
  LEADLINE_ASSIGN_OR_RETURN(http::HttpResponse response, Get(client, settings, url));
  if (!response.ok()) return Diagnose(response, url);
  if (const auto total = response.Header("x-total"); total && !total->empty()) {
    try {
      return std::stoll(*total);
    } catch (const std::exception&) {
    }
  }
  // GitLab leaves totals out beyond 10,000 rows: count the pages.
  std::int64_t count = 0;
  LEADLINE_RETURN_IF_ERROR(ForEachPage(
      client, settings, base + "&pagination=keyset&order_by=id&sort=asc&per_page=100", "projects",
      [&](const json& page) -> Result<bool> {
        count += static_cast<std::int64_t>(page.size());
        return true;
      },
      Diagnose));
  return count;
}

Result<CheckReport> CheckGitLab(http::HttpClient& client, const ConnectionSettings& settings) {
  CheckReport report;
  LEADLINE_ASSIGN_OR_RETURN(report.server_version, FindVersion(client, settings));
  const std::string api = common::WithoutTrailingSlashes(settings.url) + "/api/v4";

  const std::string user_url = api + "/user";
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse user_response,
                            Get(client, settings, user_url));
  if (!user_response.ok()) return Diagnose(user_response, user_url);
  LEADLINE_ASSIGN_OR_RETURN(const json user_body, JsonOf(user_response, user_url));
  LEADLINE_ASSIGN_OR_RETURN(const TokenUser user, ParseUser(user_body));
  report.user = user.username + (user.bot ? " (bot user of an access token)" : "");

  const std::string token_url = api + "/personal_access_tokens/self";
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse token_response,
                            Get(client, settings, token_url));
  if (token_response.ok()) {
    LEADLINE_ASSIGN_OR_RETURN(const json token_body, JsonOf(token_response, token_url));
    LEADLINE_ASSIGN_OR_RETURN(const TokenInfo token, ParseTokenInfo(token_body));
    const bool api_scope = HasScope(token, "api");
    if (!api_scope && !HasScope(token, "read_api")) {
      return Status::PermissionDenied("the token '" + token.name +
                                      "' lacks the read_api scope (Leadline reads merge requests, "
                                      "pipelines and deployments through the API); " +
                                      kNewToken);
    }
    if (!api_scope && !HasScope(token, "read_repository")) {
      return Status::PermissionDenied("the token '" + token.name +
                                      "' lacks the read_repository scope (Leadline reads commits, "
                                      "branches and tags over git); " +
                                      kNewToken);
    }
    std::string scopes;
    for (const std::string& scope : token.scopes) scopes += (scopes.empty() ? "" : " ") + scope;
    report.notes.push_back("token scopes: " + scopes);
    report.notes.push_back(token.expires_at.empty() ? "the token never expires"
                                                    : "the token expires " + token.expires_at);
    if (!api_scope) {
      report.notes.push_back("without the api scope Leadline cannot register webhooks");
    }
    report.feedback = api_scope ? "can post on merge requests (api scope)"
                                : "cannot post on merge requests: the token lacks the api scope";
  } else if (token_response.status == 404) {
    // GitLab before 15.5 has no such endpoint: the scopes then show when they are missing.
    report.feedback =
        "not known: GitLab before 15.5 does not tell a token's scopes (posting "
        "feedback needs the api scope)";
  } else {
    return Diagnose(token_response, token_url);
  }

  LEADLINE_ASSIGN_OR_RETURN(report.repositories, CountProjects(client, settings));
  return report;
}

}  // namespace leadline::sources::gitlab
