#include "sources/incidentio/incidentio_parse.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sources/incidentio/incident_walk.h"
#include "sources/incidentio/incidentio_connector.h"
#include "sources/incidentio/incidentio_http.h"

namespace leadline::sources::incidentio {
namespace {

using nlohmann::json;

constexpr common::UnixSeconds kJan2 = 1735776000;  // 2025-01-02T00:00:00Z

// A first page of `GET /v2/incidents` in the shape of IncidentsListResultV2: a closed SEV1 with
// its timestamps, a live incident re-opened after it had been resolved, and a test incident,
// with the cursor of the next page.
const char* kFirstPage = R"({
  "incidents": [
    {"id": "01HRESOLVED", "reference": "INC-1", "name": "Checkout fails", "mode": "standard",
     "visibility": "public", "created_at": "2025-01-02T03:05:00Z",
     "updated_at": "2025-01-02T06:00:00Z", "permalink": "https://app.incident.io/acme/incidents/1",
     "severity": {"id": "01SEV1", "name": "SEV1", "rank": 3, "description": "Critical"},
     "incident_status": {"id": "01ST", "name": "Closed", "rank": 5, "category": "closed"},
     "incident_timestamp_values": [
       {"incident_timestamp": {"id": "01T1", "name": "Impact started", "rank": 1},
        "value": {"value": "2025-01-02T03:00:00Z"}},
       {"incident_timestamp": {"id": "01T2", "name": "Accepted at", "rank": 2},
        "value": {"value": "2025-01-02T03:10:00Z"}},
       {"incident_timestamp": {"id": "01T3", "name": "Resolved at", "rank": 3},
        "value": {"value": "2025-01-02T05:00:00Z"}},
       {"incident_timestamp": {"id": "01T4", "name": "Closed at", "rank": 4}}],
     "custom_field_entries": [
       {"custom_field": {"id": "01CF0", "name": "Customer impact", "field_type": "text"},
        "values": [{"value_text": "some"}]},
       {"custom_field": {"id": "01CF1", "name": "Affected services",
                         "field_type": "multi_select", "catalog_type_id": "01CT"},
        "values": [{"value_catalog_entry": {"id": "01SVCAPI", "name": "API"}},
                   {"value_catalog_entry": {"id": "01SVCDB", "name": "Database"}}]}]},
    {"id": "01HREOPENED", "reference": "INC-2", "name": "Queue backs up", "mode": "standard",
     "created_at": "2025-01-02T07:00:00Z", "updated_at": "2025-01-02T09:00:00Z",
     "severity": null,
     "incident_status": {"id": "01LV", "name": "Investigating", "rank": 2, "category": "live"},
     "incident_timestamp_values": [
       {"incident_timestamp": {"id": "01T5", "name": "Reported at", "rank": 1},
        "value": {"value": "2025-01-02T07:01:00Z"}},
       {"incident_timestamp": {"id": "01T3", "name": "Resolved at", "rank": 3},
        "value": {"value": "2025-01-02T08:00:00Z"}}]},
    {"id": "01HTEST", "reference": "INC-3", "name": "Testing the pager", "mode": "test",
     "created_at": "2025-01-02T08:00:00Z", "updated_at": "2025-01-02T08:00:00Z",
     "incident_status": {"id": "01ST", "name": "Closed", "rank": 5, "category": "closed"}}],
  "pagination_meta": {"after": "01HTEST", "page_size": 3, "total_record_count": 5}
})";

// The last page: the re-opened incident's severity since changed, a declined one, no cursor.
const char* kLastPage = R"({
  "incidents": [
    {"id": "01HRESOLVED", "name": "Checkout fails", "mode": "retrospective",
     "created_at": "2025-01-02T03:05:00Z", "updated_at": "2025-01-03T00:00:00Z",
     "severity": {"id": "01SEV2", "name": "SEV2", "rank": 2},
     "incident_status": {"id": "01PI", "name": "Post-incident", "rank": 4, "category": "learning"}},
    {"id": "01HDECLINED", "name": "False alarm", "mode": "standard",
     "created_at": "2025-01-02T10:00:00Z", "updated_at": "2025-01-02T10:05:00Z",
     "incident_status": {"id": "01DC", "name": "Declined", "rank": 0, "category": "declined"}}],
  "pagination_meta": {"page_size": 3, "total_record_count": 5}
})";

TEST(IncidentIoParseTest, ReadsTimesServiceSeverityAndLeavesOutTests) {
  const auto page = ParseIncidentPage(json::parse(kFirstPage));
  ASSERT_TRUE(page.ok()) << page.status().message();
  ASSERT_EQ(page->incidents.size(), 2u);
  EXPECT_EQ(page->left_out, 1u);
  EXPECT_EQ(page->after, "01HTEST");

  const model::Incident& resolved = page->incidents[0];
  EXPECT_EQ(resolved.source, "incidentio");
  EXPECT_EQ(resolved.id, "01HRESOLVED");
  EXPECT_EQ(resolved.title, "Checkout fails");
  EXPECT_EQ(resolved.severity, "SEV1");
  EXPECT_EQ(resolved.service, "01SVCAPI");  // the first affected service
  EXPECT_EQ(resolved.started_at, kJan2 + 3 * 3600);
  EXPECT_EQ(resolved.acknowledged_at, kJan2 + 3 * 3600 + 600);
  EXPECT_EQ(resolved.resolved_at, kJan2 + 5 * 3600);
  EXPECT_EQ(resolved.link, "https://app.incident.io/acme/incidents/1");

  // Re-opened: live again, so open, although its old "Resolved at" stays.
  const model::Incident& reopened = page->incidents[1];
  EXPECT_EQ(reopened.started_at, kJan2 + 7 * 3600 + 60);
  EXPECT_FALSE(reopened.resolved_at.has_value());
  EXPECT_EQ(reopened.severity, "");
  EXPECT_EQ(reopened.service, "");
}

TEST(IncidentIoParseTest, ReadsAChangedSeverityAndLeavesOutDeclinedIncidents) {
  const auto page = ParseIncidentPage(json::parse(kLastPage));
  ASSERT_TRUE(page.ok()) << page.status().message();
  ASSERT_EQ(page->incidents.size(), 1u);
  EXPECT_EQ(page->left_out, 1u);
  EXPECT_EQ(page->after, "");
  EXPECT_EQ(page->incidents[0].severity, "SEV2");
  // Post-incident without resolved or closed timestamps: resolved when last updated.
  EXPECT_EQ(page->incidents[0].resolved_at, kJan2 + 86400);
  EXPECT_EQ(page->incidents[0].started_at, kJan2 + 3 * 3600 + 300);
}

TEST(IncidentIoParseTest, CustomFieldsAndTheSummaryNameTheDeploymentAndTheCommit) {
  const auto page = ParseIncidentPage(json::parse(R"({"incidents": [
    {"id": "01HNAMED", "name": "Checkout fails", "mode": "standard",
     "created_at": "2025-01-02T03:05:00Z", "updated_at": "2025-01-02T03:05:00Z",
     "incident_status": {"id": "01LV", "name": "Investigating", "rank": 2, "category": "live"},
     "custom_field_entries": [
       {"custom_field": {"id": "01CF5", "name": "Release", "field_type": "single_select"},
        "values": [{"value_option": {"id": "01OPT", "custom_field_id": "01CF5",
                                     "value": "v2.4.1", "sort_key": 10}}]},
       {"custom_field": {"id": "01CF6", "name": "Suspect change", "field_type": "link"},
        "values": [{"value_link": "https://bitbucket.org/acme/api/commits/3F2A9C1E"}]}]},
    {"id": "01HSUMMARY", "name": "Queue backs up", "mode": "standard",
     "summary": "Began after https://gitlab.com/acme/api/-/commit/abcdef0123 shipped",
     "created_at": "2025-01-02T07:00:00Z", "updated_at": "2025-01-02T07:00:00Z",
     "incident_status": {"id": "01LV", "name": "Investigating", "rank": 2, "category": "live"}}]
  })"));
  ASSERT_TRUE(page.ok()) << page.status().message();
  ASSERT_EQ(page->incidents.size(), 2u);
  EXPECT_EQ(page->incidents[0].deployment, "v2.4.1");
  EXPECT_EQ(page->incidents[0].commit, "3f2a9c1e");
  EXPECT_EQ(page->incidents[1].deployment, "");
  EXPECT_EQ(page->incidents[1].commit, "abcdef0123");
  // The first page's fields name neither.
  const auto first = ParseIncidentPage(json::parse(kFirstPage));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->incidents[0].deployment, "");
  EXPECT_EQ(first->incidents[0].commit, "");
}

TEST(IncidentIoParseTest, NamesTheFieldOfABadAnswer) {
  EXPECT_FALSE(ParseIncidentPage(json::parse(R"({"pagination_meta": {}})")).ok());
  const auto no_status = ParseIncidentPage(json::parse(
      R"({"incidents": [{"id": "01A", "mode": "standard", "created_at": "2025-01-02T00:00:00Z"}]})"));
  ASSERT_FALSE(no_status.ok());
  EXPECT_NE(no_status.status().message().find("incident_status"), std::string::npos);
  const auto bad_time = ParseIncidentPage(json::parse(
      R"({"incidents": [{"id": "01A", "created_at": "yesterday",
          "incident_status": {"category": "live"}}]})"));
  ASSERT_FALSE(bad_time.ok());
  EXPECT_NE(bad_time.status().message().find("created_at"), std::string::npos);
}

TEST(IncidentIoParseTest, SeveritiesCountTheTwoMostSevereByRank) {
  const auto severities = ParseSeverities(json::parse(R"({"severities": [
    {"id": "01L", "name": "Minor", "rank": 1, "description": ""},
    {"id": "01C", "name": "Critical", "rank": 3, "description": ""},
    {"id": "01M", "name": "Major", "rank": 2, "description": ""}]})"));
  ASSERT_TRUE(severities.ok()) << severities.status().message();
  ASSERT_EQ(severities->size(), 3u);
  EXPECT_EQ((*severities)[0].name, "Critical");
  EXPECT_EQ(DefaultCountsFor(*severities), (std::vector<std::string>{"Critical", "Major"}));
  EXPECT_EQ(DefaultCountsFor({{"01", "Only", 1}}), std::vector<std::string>{"Only"});
  EXPECT_FALSE(ParseSeverities(json::parse(R"({"severities": [{"id": "x", "name": "y"}]})")).ok());
}

TEST(IncidentIoParseTest, ServicesAreTheCatalogEntriesOfServiceFields) {
  const auto types = ParseServiceCatalogTypes(json::parse(R"({"custom_fields": [
    {"id": "01CF0", "name": "Customer impact", "field_type": "text"},
    {"id": "01CF1", "name": "Affected services", "field_type": "multi_select",
     "catalog_type_id": "01CT"},
    {"id": "01CF2", "name": "Team", "field_type": "single_select", "catalog_type_id": "01TT"}]})"));
  ASSERT_TRUE(types.ok());
  EXPECT_EQ(*types, std::vector<std::string>{"01CT"});
  const auto entries = ParseCatalogEntries(json::parse(R"({
    "catalog_entries": [{"id": "01SVCAPI", "name": "API", "catalog_type_id": "01CT"}],
    "catalog_type": {"id": "01CT", "name": "Service"},
    "pagination_meta": {"after": "01SVCAPI", "page_size": 1}})"));
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->services.size(), 1u);
  EXPECT_EQ(entries->services[0].id, "01SVCAPI");
  EXPECT_EQ(entries->services[0].name, "API");
  EXPECT_EQ(entries->after, "01SVCAPI");
}

ConnectionSettings Settings() {
  ConnectionSettings settings;
  settings.provider = model::Provider::kIncidentIo;
  settings.url = kIncidentIoApiUrl;
  settings.auth = model::AuthMethod::kIncidentIoKey;
  settings.secret = "key";
  return settings;
}

TEST(IncidentIoConnectorTest, WalksPagesByTheirAfterCursorToTheEnd) {
  const IncidentIoConnector connector;
  const std::string start = connector.StartWalk(kJan2, kJan2 + 86400);
  EXPECT_TRUE(connector.InsideWalk(start));
  const auto request = connector.RequestAt(Settings(), start);
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request->url,
            "https://api.incident.io/v2/incidents?page_size=100&sort_by=created_at_oldest_first&"
            "updated_at%5Bgte%5D=2025-01-02");
  EXPECT_EQ(request->credentials.kind, http::Credentials::Kind::kBearer);

  const auto first = connector.Read(Settings(), {200, {}, kFirstPage}, start);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->incidents.size(), 2u);
  EXPECT_EQ(first->tests_left_out, 1u);
  EXPECT_EQ(first->cursor, "walk 1735776000 1735862400 01HTEST");
  EXPECT_NE(connector.RequestAt(Settings(), first->cursor)->url.find("&after=01HTEST"),
            std::string::npos);

  const auto last = connector.Read(Settings(), {200, {}, kLastPage}, first->cursor);
  ASSERT_TRUE(last.ok()) << last.status().message();
  EXPECT_FALSE(connector.InsideWalk(last->cursor));
  EXPECT_EQ(connector.WalkEnd(last->cursor), kJan2 + 86400);
}

TEST(IncidentIoConnectorTest, DiagnosesAWrongKeyARoleAndTheRateLimit) {
  const IncidentIoConnector connector;
  const std::string url = "https://api.incident.io/v2/incidents";
  const auto unauthorized = connector.Diagnose(
      {401,
       {},
       R"({"type":"authentication_error","status":401,"request_id":"r1",)"
       R"("errors":[{"code":"unauthenticated","message":"API key is invalid"}]})"},
      url);
  EXPECT_EQ(unauthorized.code(), common::StatusCode::kUnauthenticated);
  EXPECT_NE(unauthorized.message().find("API key is invalid"), std::string::npos);
  EXPECT_NE(unauthorized.message().find("--token-file"), std::string::npos);
  const auto forbidden = connector.Diagnose({403, {}, "{}"}, url);
  EXPECT_EQ(forbidden.code(), common::StatusCode::kPermissionDenied);
  EXPECT_NE(forbidden.message().find("roles"), std::string::npos);
  const auto limited = connector.Diagnose(
      {429, {}, R"({"type":"rate_limit","status":429,"errors":[{"message":"Too many"}]})"}, url);
  EXPECT_EQ(limited.code(), common::StatusCode::kUnavailable);
  EXPECT_NE(limited.message().find("rate limit"), std::string::npos);
  // Read sends an answer that is not 2xx to Diagnose.
  const auto read =
      connector.Read(Settings(), {429, {}, ""}, connector.StartWalk(kJan2, kJan2 + 10));
  EXPECT_EQ(read.status().code(), common::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace leadline::sources::incidentio
