#include "sources/incidentio/incidentio_connector.h"

#include <nlohmann/json.hpp>

#include "sources/incidentio/incident_walk.h"
#include "sources/incidentio/incidentio_check.h"
#include "sources/incidentio/incidentio_http.h"
#include "sources/incidentio/incidentio_parse.h"

namespace leadline::sources::incidentio {

using common::Result;
using common::Status;

const char* IncidentIoConnector::source() const { return kSource; }

int IncidentIoConnector::DefaultRequestsPerHour(const ConnectionSettings&) const {
  return 1200 * 60 / 4;
}

Result<CheckReport> IncidentIoConnector::Check(http::HttpClient& client,
                                               const ConnectionSettings& settings) const {
  return CheckIncidentIo(client, settings);
}

Result<std::vector<model::IncidentService>> IncidentIoConnector::ListServices(
    http::HttpClient& client, const ConnectionSettings& settings) const {
  return Services(client, settings);
}

Result<std::vector<std::string>> IncidentIoConnector::DefaultCounts(
    http::HttpClient& client, const ConnectionSettings& settings) const {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<Severity> severities, Severities(client, settings));
  if (severities.empty()) {
    return Status::FailedPrecondition(
        "incident.io lists no severities; name the ones that count with --count");
  }
  return DefaultCountsFor(severities);
}

Status IncidentIoConnector::Diagnose(const http::HttpResponse& response,
                                     const std::string& url) const {
  return incidentio::Diagnose(response, url);
}

TokenRules IncidentIoConnector::WalkRules() const { return kWalkRules; }

std::string IncidentIoConnector::WebhookHint() const {
  return "add a webhook endpoint in incident.io (Settings > Webhooks) instead";
}

Result<http::HttpRequest> IncidentIoConnector::RequestFor(const ConnectionSettings& settings,
                                                          const TokenWalk& at) const {
  return ApiGet(settings, IncidentsPath(at));
}

Result<IncidentIoConnector::TokenPage> IncidentIoConnector::ReadPage(
    const ConnectionSettings& settings, const http::HttpResponse& response,
    const TokenWalk& at) const {
  const std::string url = settings.url + IncidentsPath(at);
  LEADLINE_ASSIGN_OR_RETURN(const nlohmann::json body, JsonOf(response, url));
  auto parsed = ParseIncidentPage(body);
  if (!parsed.ok()) return parsed.status().WithContext(http::RedactUrl(url));
  return TokenPage{std::move(parsed->incidents), parsed->left_out, std::move(parsed->after)};
}

}  // namespace leadline::sources::incidentio
