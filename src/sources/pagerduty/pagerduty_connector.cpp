#include "sources/pagerduty/pagerduty_connector.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "http/pager.h"
#include "sources/contract/incident_references.h"
#include "sources/pagerduty/incident_walk.h"
#include "sources/pagerduty/pagerduty_check.h"
#include "sources/pagerduty/pagerduty_http.h"
#include "sources/pagerduty/pagerduty_parse.h"
#include "sources/pagerduty/related_change_events.h"

namespace leadline::sources::pagerduty {
namespace {

using common::Result;
using common::Status;

// Services are few; a listing longer than this many pages is not one to follow.
constexpr int kMaxServicePages = 100;

http::HttpRequest IncidentsAt(const ConnectionSettings& settings, const WalkPosition& position) {
  return ApiGet(
      settings,
      "/incidents?since=" + http::EncodeQueryValue(common::FormatRfc3339(position.since)) +
          "&until=" + http::EncodeQueryValue(common::FormatRfc3339(position.until)) +
          "&limit=" + std::to_string(kPageSize) + "&offset=" + std::to_string(position.offset) +
          "&sort_by=created_at%3Aasc&time_zone=UTC");
}

}  // namespace

const char* PagerDutyConnector::source() const { return kSource; }

int PagerDutyConnector::DefaultRequestsPerHour(const ConnectionSettings&) const {
  return 960 * 60 / 4;
}

Result<CheckReport> PagerDutyConnector::Check(http::HttpClient& client,
                                              const ConnectionSettings& settings) const {
  return CheckPagerDuty(client, settings);
}

Result<std::vector<model::Repository>> PagerDutyConnector::ListRepositories(
    http::HttpClient&, const ConnectionSettings&) const {
  return std::vector<model::Repository>();
}

Feeds PagerDutyConnector::RepositoryFeeds(const ConnectionSettings&,
                                          const model::Repository&) const {
  return {};
}

Result<std::string> PagerDutyConnector::RegisterWebhook(http::HttpClient&,
                                                        const ConnectionSettings&,
                                                        const model::Repository&,
                                                        const HookTarget&) const {
  return Status::FailedPrecondition(
      "PagerDuty has no repositories to register webhooks on; subscribe a v3 webhook in "
      "PagerDuty instead");
}

Status PagerDutyConnector::RemoveWebhook(http::HttpClient&, const ConnectionSettings&,
                                         const model::Repository&, const std::string&) const {
  return Status::Ok();
}

Result<std::vector<model::IncidentService>> PagerDutyConnector::ListServices(
    http::HttpClient& client, const ConnectionSettings& settings) const {
  std::vector<model::IncidentService> out;
  std::int64_t offset = 0;
  for (int page = 0; page < kMaxServicePages; ++page) {
    const http::HttpRequest request =
        ApiGet(settings, "/services?limit=" + std::to_string(kPageSize) +
                             "&offset=" + std::to_string(offset) + "&sort_by=name");
    LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, client.Send(request));
    LEADLINE_ASSIGN_OR_RETURN(const nlohmann::json body, JsonOf(response, request.url));
    auto parsed = ParseServicePage(body);
    if (!parsed.ok()) return parsed.status().WithContext(http::RedactUrl(request.url));
    for (model::IncidentService& service : parsed->services) out.push_back(std::move(service));
    if (!parsed->paging.more) return out;
    offset += parsed->paging.limit > 0 ? parsed->paging.limit : kPageSize;
    if (offset + kPageSize > kMaxPagedRows) break;
  }
  return Status::InvalidArgument("PagerDuty lists more than " +
                                 std::to_string(kMaxServicePages * kPageSize) +
                                 " services; Leadline reads at most that many");
}

Result<std::vector<std::string>> PagerDutyConnector::DefaultCounts(
    http::HttpClient& client, const ConnectionSettings& settings) const {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<std::string> priorities,
                            Priorities(client, settings));
  return DefaultCountsFor(priorities);
}

std::string PagerDutyConnector::StartWalk(common::UnixSeconds since,
                                          common::UnixSeconds now) const {
  return EncodeWalk(pagerduty::StartWalk(since, now));
}

std::optional<common::UnixSeconds> PagerDutyConnector::WalkEnd(const std::string& cursor) const {
  return DecodeWalkEnd(cursor);
}

Result<http::HttpRequest> PagerDutyConnector::RequestAt(const ConnectionSettings& settings,
                                                        const std::string& cursor) const {
  LEADLINE_ASSIGN_OR_RETURN(const WalkPosition at, DecodeWalk(cursor));
  return IncidentsAt(settings, at);
}

bool PagerDutyConnector::InsideWalk(const std::string& cursor) const {
  return IsInsideWalk(cursor);
}

Result<IncidentPage> PagerDutyConnector::Read(const ConnectionSettings& settings,
                                              const http::HttpResponse& response,
                                              const std::string& cursor) const {
  LEADLINE_ASSIGN_OR_RETURN(const WalkPosition at, DecodeWalk(cursor));
  const std::string url = IncidentsAt(settings, at).url;
  LEADLINE_ASSIGN_OR_RETURN(const nlohmann::json body, JsonOf(response, url));
  auto parsed = ParseIncidentPage(body);
  if (!parsed.ok()) return parsed.status().WithContext(http::RedactUrl(url));
  IncidentPage page;
  page.incidents = std::move(parsed->incidents);
  page.tests_left_out = parsed->tests_left_out;
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<WalkPosition> next,
                            NextPosition(at, parsed->paging, parsed->last_created_at));
  page.cursor = next ? EncodeWalk(*next) : EncodeWalkEnd(at.end);
  return page;
}

Result<PagerDutyConnector::ReferenceReads> PagerDutyConnector::ReferenceSources(
    http::HttpClient& client, const ConnectionSettings& settings) const {
  ReferenceReads reads;
  reads.change_events = true;
  const http::HttpRequest request = ApiGet(settings, "/incidents/custom_fields");
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, client.Send(request));
  // As for the values: no custom fields on the plan, or none the key may read.
  if (response.status == 402 || response.status == 403 || response.status == 404) return reads;
  if (!response.ok()) return pagerduty::Diagnose(response, request.url);
  LEADLINE_ASSIGN_OR_RETURN(const nlohmann::json body, JsonOf(response, request.url));
  auto names = ParseCustomFieldNames(body);
  if (!names.ok()) return names.status().WithContext(http::RedactUrl(request.url));
  reads.fields = std::any_of(names->begin(), names->end(),
                             [](const std::string& name) { return NamesDeploymentOrCommit(name); });
  return reads;
}

namespace {

Status ReadCustomFields(http::HttpClient& client, const ConnectionSettings& settings,
                        model::Incident& incident) {
  const http::HttpRequest request = ApiGet(
      settings, "/incidents/" + http::EncodeQueryValue(incident.id) + "/custom_fields/values");
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, client.Send(request));
  // 402: the account's plan has no custom fields; 403: the key may not read them; 404: the
  // incident is gone. None of these stops the sync: the window rule still ties the incident.
  if (response.status == 402 || response.status == 403 || response.status == 404) {
    return Status::Ok();
  }
  if (!response.ok()) return pagerduty::Diagnose(response, request.url);
  LEADLINE_ASSIGN_OR_RETURN(const nlohmann::json body, JsonOf(response, request.url));
  const Status read = ReadCustomFieldValues(body, incident);
  return read.ok() ? read : read.WithContext(http::RedactUrl(request.url));
}

Status ReadChangeEvents(http::HttpClient& client, const ConnectionSettings& settings,
                        PagerDutyConnector::ReferenceReads& reads, model::Incident& incident) {
  const http::HttpRequest request =
      ApiGet(settings, "/incidents/" + http::EncodeQueryValue(incident.id) +
                           "/related_change_events?limit=" + std::to_string(kMostChangeEvents));
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response, client.Send(request));
  if (response.status == 402 || response.status == 403 || response.status == 404) {
    reads.change_events = false;
    reads.note = "PagerDuty answered " + std::to_string(response.status) +
                 " for the related change events of incident " + incident.id +
                 " (an account without change correlation, or a key that may not read them): "
                 "this sync reads no more of them, and incidents that name no deployment are "
                 "tied by the window";
    return Status::Ok();
  }
  if (!response.ok()) return pagerduty::Diagnose(response, request.url);
  LEADLINE_ASSIGN_OR_RETURN(const nlohmann::json body, JsonOf(response, request.url));
  const Result<bool> read = ReadRelatedChangeEvents(body, incident);
  return read.ok() ? Status::Ok() : read.status().WithContext(http::RedactUrl(request.url));
}

}  // namespace

Status PagerDutyConnector::ReadReferences(http::HttpClient& client,
                                          const ConnectionSettings& settings, ReferenceReads& reads,
                                          std::vector<model::Incident>& incidents) const {
  for (model::Incident& incident : incidents) {
    // A commit its title links to still leaves a Deployment field to read: the named
    // deployment is the stronger tie.
    if (reads.fields && incident.deployment.empty()) {
      LEADLINE_RETURN_IF_ERROR(ReadCustomFields(client, settings, incident));
    }
    // What the incident itself names beats what a change event names.
    if (reads.change_events && incident.deployment.empty() && incident.commit.empty()) {
      LEADLINE_RETURN_IF_ERROR(ReadChangeEvents(client, settings, reads, incident));
    }
  }
  return Status::Ok();
}

Status PagerDutyConnector::Diagnose(const http::HttpResponse& response,
                                    const std::string& url) const {
  return pagerduty::Diagnose(response, url);
}

}  // namespace leadline::sources::pagerduty
