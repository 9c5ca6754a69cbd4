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

Result<std::vector<model::Repository>> IncidentIoConnector::ListRepositories(
    http::HttpClient&, const ConnectionSettings&) const {
  return std::vector<model::Repository>();
}

Feeds IncidentIoConnector::RepositoryFeeds(const ConnectionSettings&,
                                           const model::Repository&) const {
  return {};
}

Result<std::string> IncidentIoConnector::RegisterWebhook(http::HttpClient&,
                                                         const ConnectionSettings&,
                                                         const model::Repository&,
                                                         const HookTarget&) const {
  return Status::FailedPrecondition(
      "incident.io has no repositories to register webhooks on; add a webhook endpoint in "
      "incident.io (Settings > Webhooks) instead");
}

Status IncidentIoConnector::RemoveWebhook(http::HttpClient&, const ConnectionSettings&,
                                          const model::Repository&, const std::string&) const {
  return Status::Ok();
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

std::string IncidentIoConnector::StartWalk(common::UnixSeconds since,
                                           common::UnixSeconds now) const {
  return EncodeWalk({std::min(since, now), now, ""});
}

bool IncidentIoConnector::InsideWalk(const std::string& cursor) const {
  return IsInsideWalk(cursor);
}

std::optional<common::UnixSeconds> IncidentIoConnector::WalkEnd(const std::string& cursor) const {
  return DecodeWalkEnd(cursor);
}

Result<http::HttpRequest> IncidentIoConnector::RequestAt(const ConnectionSettings& settings,
                                                         const std::string& cursor) const {
  LEADLINE_ASSIGN_OR_RETURN(const WalkPosition at, DecodeWalk(cursor));
  return ApiGet(settings, IncidentsPath(at));
}

Result<IncidentPage> IncidentIoConnector::Read(const ConnectionSettings& settings,
                                               const http::HttpResponse& response,
                                               const std::string& cursor) const {
  LEADLINE_ASSIGN_OR_RETURN(const WalkPosition at, DecodeWalk(cursor));
  const std::string url = settings.url + IncidentsPath(at);
  LEADLINE_ASSIGN_OR_RETURN(const nlohmann::json body, JsonOf(response, url));
  auto parsed = ParseIncidentPage(body);
  if (!parsed.ok()) return parsed.status().WithContext(http::RedactUrl(url));
  IncidentPage page;
  page.incidents = std::move(parsed->incidents);
  page.tests_left_out = parsed->left_out;
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<WalkPosition> next,
                            NextPosition(at, parsed->after));
  page.cursor = next ? EncodeWalk(*next) : EncodeWalkEnd(at.end);
  return page;
}

Status IncidentIoConnector::Diagnose(const http::HttpResponse& response,
                                     const std::string& url) const {
  return incidentio::Diagnose(response, url);
}

}  // namespace leadline::sources::incidentio
