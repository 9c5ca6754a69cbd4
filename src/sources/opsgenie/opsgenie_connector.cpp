#include "sources/opsgenie/opsgenie_connector.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "sources/opsgenie/opsgenie_check.h"
#include "sources/opsgenie/opsgenie_http.h"
#include "sources/opsgenie/opsgenie_parse.h"

namespace leadline::sources::opsgenie {
namespace {

using common::Result;
using common::Status;

// The walk's token is the offset of its page ("" for 0).
Result<std::int64_t> OffsetOf(const TokenWalk& at) {
  if (at.token.empty()) return std::int64_t{0};
  std::int64_t offset = 0;
  const char* end = at.token.data() + at.token.size();
  const auto [stop, error] = std::from_chars(at.token.data(), end, offset);
  if (error != std::errc() || stop != end || offset < 0) {
    return Status::InvalidArgument("the stored Opsgenie sync cursor names '" + at.token +
                                   "', not an offset; run `leadline incidents sync --restart`");
  }
  return offset;
}

}  // namespace

const char* OpsgenieConnector::source() const { return kSource; }

int OpsgenieConnector::DefaultRequestsPerHour(const ConnectionSettings&) const { return 3600; }

Result<CheckReport> OpsgenieConnector::Check(http::HttpClient& client,
                                             const ConnectionSettings& settings) const {
  return CheckOpsgenie(client, settings);
}

Result<std::vector<model::IncidentService>> OpsgenieConnector::ListServices(
    http::HttpClient& client, const ConnectionSettings& settings) const {
  return Teams(client, settings);
}

Result<std::vector<std::string>> OpsgenieConnector::DefaultCounts(http::HttpClient&,
                                                                  const ConnectionSettings&) const {
  return std::vector<std::string>{"P1", "P2"};
}

Status OpsgenieConnector::Diagnose(const http::HttpResponse& response,
                                   const std::string& url) const {
  return opsgenie::Diagnose(response, url);
}

TokenRules OpsgenieConnector::WalkRules() const { return {"Opsgenie", 19}; }

std::string OpsgenieConnector::WebhookHint() const {
  return "Opsgenie's webhooks are not signed, so Leadline polls it instead";
}

Result<http::HttpRequest> OpsgenieConnector::RequestFor(const ConnectionSettings& settings,
                                                        const TokenWalk& at) const {
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t offset, OffsetOf(at));
  return ApiGet(settings, IncidentsPath(offset, kPageSize));
}

Result<OpsgenieConnector::TokenPage> OpsgenieConnector::ReadPage(const ConnectionSettings& settings,
                                                                 const http::HttpResponse& response,
                                                                 const TokenWalk& at) const {
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpRequest request, RequestFor(settings, at));
  LEADLINE_ASSIGN_OR_RETURN(const nlohmann::json body, JsonOf(response, request.url));
  auto parsed = ParseIncidentPage(body);
  if (!parsed.ok()) return parsed.status().WithContext(http::RedactUrl(request.url));
  LEADLINE_ASSIGN_OR_RETURN(const std::int64_t offset, OffsetOf(at));
  TokenPage page{std::move(parsed->incidents), parsed->left_out, ""};
  // Newest first: the walk ends on the last page, or on one that reaches back past its start.
  if (parsed->more && parsed->read > 0 && parsed->oldest_created_at >= at.since) {
    page.next = std::to_string(offset + static_cast<std::int64_t>(parsed->read));
  }
  return page;
}

}  // namespace leadline::sources::opsgenie
