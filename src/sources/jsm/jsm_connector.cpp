#include "sources/jsm/jsm_connector.h"

#include <nlohmann/json.hpp>

#include "sources/jsm/jsm_check.h"
#include "sources/jsm/jsm_http.h"
#include "sources/jsm/jsm_parse.h"

namespace leadline::sources::jsm {

using common::Result;
using common::Status;

std::string WalkJql(common::UnixSeconds since) {
  const std::string day =
      common::FormatRfc3339(std::max<common::UnixSeconds>(0, since - common::kDay)).substr(0, 10);
  return std::string(kIncidentJql) + " AND updated >= \"" + day +
         "\" ORDER BY created ASC, key ASC";
}

const char* JsmConnector::source() const { return kSource; }

int JsmConnector::DefaultRequestsPerHour(const ConnectionSettings&) const { return 3600; }

Result<CheckReport> JsmConnector::Check(http::HttpClient& client,
                                        const ConnectionSettings& settings) const {
  return CheckJsm(client, settings);
}

Result<std::vector<model::IncidentService>> JsmConnector::ListServices(
    http::HttpClient& client, const ConnectionSettings& settings) const {
  return Services(client, settings);
}

Result<std::vector<std::string>> JsmConnector::DefaultCounts(
    http::HttpClient& client, const ConnectionSettings& settings) const {
  LEADLINE_ASSIGN_OR_RETURN(std::vector<std::string> priorities, Priorities(client, settings));
  if (priorities.empty()) {
    return Status::FailedPrecondition(
        "the site lists no priorities; name the ones that count with --count");
  }
  if (priorities.size() > 2) priorities.resize(2);
  return priorities;
}

Status JsmConnector::Diagnose(const http::HttpResponse& response, const std::string& url) const {
  return jsm::Diagnose(response, url);
}

TokenRules JsmConnector::WalkRules() const {
  // nextPageToken is opaque; Jira's are a few hundred bytes.
  return {"Jira Service Management", 4096};
}

std::string JsmConnector::WebhookHint() const {
  return "add a webhook with a secret in Jira (Settings > System > WebHooks) instead";
}

Result<http::HttpRequest> JsmConnector::RequestFor(const ConnectionSettings& settings,
                                                   const TokenWalk& at) const {
  return SiteGet(settings, SearchPath(WalkJql(at.since), kPageSize, at.token));
}

Result<JsmConnector::TokenPage> JsmConnector::ReadPage(const ConnectionSettings& settings,
                                                       const http::HttpResponse& response,
                                                       const TokenWalk& at) const {
  const std::string url = RequestFor(settings, at)->url;
  LEADLINE_ASSIGN_OR_RETURN(const nlohmann::json body, JsonOf(response, url));
  auto parsed = ParseSearchPage(body, settings.url);
  if (!parsed.ok()) return parsed.status().WithContext(http::RedactUrl(url));
  return TokenPage{std::move(parsed->incidents), parsed->left_out,
                   std::move(parsed->next_page_token)};
}

}  // namespace leadline::sources::jsm
