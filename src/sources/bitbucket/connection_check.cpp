#include "sources/bitbucket/connection_check.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "http/pager.h"

namespace leadline::sources::bitbucket {
namespace {

using common::Result;
using common::Status;
using common::StatusCode;
using nlohmann::json;

constexpr const char* kAppPasswordsOff =
    "Bitbucket Cloud switched app passwords off on 2026-06-09: create an API token with scopes "
    "(id.atlassian.com > Security > Create API token with scopes > Bitbucket) and connect with "
    "--email and --token-file";

std::string TrimSlashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

Result<http::HttpResponse> Get(http::HttpClient& client, const ConnectionSettings& settings,
                               const std::string& url) {
  http::HttpRequest request;
  request.url = url;
  request.headers = {{"Accept", "application/json"}};
  request.credentials = settings.Credentials();
  return client.Send(request);
}

// Turns a Cloud answer that is not 2xx into what the user should do.
Status DiagnoseCloud(const http::HttpResponse& response, const std::string& url,
                     const ConnectionSettings& settings) {
  const Status error = http::HttpError(response, url);
  if (response.status == 401) {
    switch (settings.auth) {
      case AuthMethod::kAppPassword:
        return Status::Unauthenticated(error.message() + ": " + kAppPasswordsOff);
      case AuthMethod::kAccessToken:
        return Status::Unauthenticated(error.message() +
                                       ": the access token is wrong, expired or revoked");
      default:
        return Status::Unauthenticated(
            error.message() + ": the API token is wrong or expired, or '" + settings.username +
            "' is not the Atlassian account e-mail (the username must be the e-mail, not the "
            "Bitbucket nickname)");
    }
  }
  if (response.status == 403 && !http::RequiredScopes(response.body).empty()) {
    return Status::PermissionDenied(error.message() + "; create a token that has it");
  }
  if (response.status == 404) {
    return Status::NotFound(error.message() + ": is the workspace '" + settings.workspace +
                            "' right, and can these credentials see it?");
  }
  return error;
}

// The number of values in every page of the collection at `url`.
Result<std::int64_t> CountValues(http::HttpClient& client, const ConnectionSettings& settings,
                                 http::PageStyle style, const std::string& url) {
  http::HttpRequest request;
  request.url = url;
  request.credentials = settings.Credentials();
  std::int64_t count = 0;
  LEADLINE_RETURN_IF_ERROR(
      http::ForEachPage(client, style, request, [&](const json& values, const std::string&) {
        count += static_cast<std::int64_t>(values.size());
        return Status::Ok();
      }));
  return count;
}

// Whether Cloud credentials may post feedback, from the scopes its answer lists
// (`x-oauth-scopes`, comma-separated); an answer that lists none leaves it unknown.
std::string CloudFeedbackWrite(const http::HttpResponse& response) {
  const std::optional<std::string> listed = response.Header("x-oauth-scopes");
  if (!listed) {
    return "not known: Bitbucket did not list the credentials' scopes (posting feedback needs "
           "write:pullrequest:bitbucket)";
  }
  std::vector<std::string> scopes;
  std::size_t start = 0;
  while (start <= listed->size()) {
    const std::size_t comma = std::min(listed->find(',', start), listed->size());
    std::string scope = listed->substr(start, comma - start);
    scope.erase(0, scope.find_first_not_of(" \t"));
    scope.erase(scope.find_last_not_of(" \t") + 1);
    if (!scope.empty()) scopes.push_back(scope);
    start = comma + 1;
  }
  const auto has = [&](const char* scope) {
    return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
  };
  // OAuth consumers name it pullrequest:write.
  if (has("write:pullrequest:bitbucket") || has("pullrequest:write")) {
    return "can post on pull requests (write:pullrequest:bitbucket)";
  }
  return "cannot post on pull requests: the credentials lack the write:pullrequest:bitbucket "
         "scope";
}

Result<CheckResult> CheckCloud(http::HttpClient& client, const ConnectionSettings& settings) {
  const std::string api = TrimSlashes(settings.url);
  CheckResult result;
  if (settings.auth == AuthMethod::kAccessToken) {
    result.user = "access token";  // not tied to a user: /user would refuse it
  } else {
    const std::string url = api + "/user";
    LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse user, Get(client, settings, url));
    if (!user.ok()) return DiagnoseCloud(user, url, settings);
    const json parsed = json::parse(user.body, nullptr, false);
    if (!parsed.is_object() || !parsed.value("display_name", json()).is_string()) {
      return Status::InvalidArgument("the answer of " + http::RedactUrl(url) +
                                     " has no display_name: is " + api +
                                     " the Bitbucket Cloud API (" + kCloudApiUrl + ")?");
    }
    result.user = parsed["display_name"].get<std::string>();
    if (parsed.value("nickname", json()).is_string()) {
      result.user += " (" + parsed["nickname"].get<std::string>() + ")";
    }
  }
  // The first page says whether the workspace is visible, and usually its size.
  const std::string repos = api + "/repositories/" + settings.workspace + "?pagelen=100";
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse first, Get(client, settings, repos));
  if (!first.ok()) return DiagnoseCloud(first, repos, settings);
  result.feedback = CloudFeedbackWrite(first);
  const json page = json::parse(first.body, nullptr, false);
  if (page.is_object() && page.value("size", json()).is_number_integer()) {
    result.repositories = page["size"].get<std::int64_t>();
    return result;
  }
  LEADLINE_ASSIGN_OR_RETURN(result.repositories,
                            CountValues(client, settings, http::PageStyle::kBitbucketCloud, repos));
  return result;
}

// application-properties needs no authentication: a JSON answer with a version proves the base.
Result<std::string> DataCenterVersion(http::HttpClient& client, const std::string& base) {
  http::HttpRequest request;
  request.url = base + "/rest/api/1.0/application-properties";
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse answer, client.Send(request));
  const json parsed = json::parse(answer.body, nullptr, false);
  if (!answer.ok() || !parsed.is_object() || !parsed.value("version", json()).is_string()) {
    return Status::NotFound("no Bitbucket Data Center at " + http::RedactUrl(base));
  }
  return parsed["version"].get<std::string>();
}

Result<CheckResult> CheckDataCenter(http::HttpClient& client, const ConnectionSettings& settings) {
  CheckResult result;
  auto version = DataCenterVersion(client, settings.url);
  if (!version.ok()) {
    if (version.status().code() != StatusCode::kNotFound) return version.status();
    for (const std::string& candidate : DataCenterBaseCandidates(settings.url)) {
      if (candidate != settings.url && DataCenterVersion(client, candidate).ok()) {
        return Status::NotFound("HTTP 404 from " + http::RedactUrl(settings.url) +
                                "/rest/api/1.0/application-properties: Bitbucket Data Center "
                                "answers at " +
                                candidate + "; use --url " + candidate);
      }
    }
    return Status::NotFound("HTTP 404 from " + http::RedactUrl(settings.url) +
                            "/rest/api/1.0/application-properties: no Bitbucket Data Center "
                            "answers there or at a shorter URL; check --url (the base URL, "
                            "with the context path if the server has one, e.g. "
                            "https://host/bitbucket)");
  }
  result.server_version = *version;

  const std::string first = settings.url + "/rest/api/1.0/repos?limit=1";
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse probe, Get(client, settings, first));
  if (probe.status == 401) {
    return Status::Unauthenticated(http::HttpError(probe, first).message() +
                                   ": the HTTP access token is wrong, expired or revoked (project "
                                   "and repository tokens work only as Bearer tokens)");
  }
  if (!probe.ok()) return http::HttpError(probe, first);
  result.user = probe.Header("X-AUSERNAME").value_or("token user");

  LEADLINE_ASSIGN_OR_RETURN(result.repositories,
                            CountValues(client, settings, http::PageStyle::kBitbucketDataCenter,
                                        settings.url + "/rest/api/1.0/repos?limit=1000"));
  // Posting a comment or a Code Insights report needs write permission on the repository.
  LEADLINE_ASSIGN_OR_RETURN(
      const std::int64_t writable,
      CountValues(client, settings, http::PageStyle::kBitbucketDataCenter,
                  settings.url + "/rest/api/1.0/repos?permission=REPO_WRITE&limit=1000"));
  if (writable == 0) {
    result.feedback =
        "cannot post on pull requests: the token has write permission (REPO_WRITE) on no "
        "repository";
  } else {
    result.feedback = "can post on pull requests of " + std::to_string(writable) + " of " +
                      std::to_string(result.repositories) +
                      " repositories (the others need REPO_WRITE)";
    if (writable >= result.repositories) {
      result.feedback = "can post on pull requests (REPO_WRITE on every repository)";
    }
  }
  return result;
}

}  // namespace

std::vector<std::string> DataCenterBaseCandidates(const std::string& url) {
  std::vector<std::string> candidates;
  std::string current = TrimSlashes(url);
  const std::size_t scheme = current.find("://");
  const std::size_t path_start = current.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  candidates.push_back(current);
  while (path_start != std::string::npos && current.size() > path_start) {
    current.resize(current.rfind('/'));
    current = TrimSlashes(current);
    candidates.push_back(current);
  }
  // A host without its context path: try the ones installations use most.
  const std::string host = current;
  for (const char* context : {"/bitbucket", "/stash", "/git"}) {
    if (std::find(candidates.begin(), candidates.end(), host + context) == candidates.end()) {
      candidates.push_back(host + context);
    }
  }
  return candidates;
}

Result<CheckResult> CheckConnection(http::HttpClient& client, const ConnectionSettings& settings) {
  return settings.provider == Provider::kBitbucketCloud ? CheckCloud(client, settings)
                                                        : CheckDataCenter(client, settings);
}

}  // namespace leadline::sources::bitbucket
