#include "sources/pagerduty/pagerduty_parse.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace leadline::sources::pagerduty {
namespace {

using nlohmann::json;

constexpr common::UnixSeconds kJan2 = 1735776000;  // 2025-01-02T00:00:00Z

// A page in the shape of the OpenAPI spec's /incidents example: a resolved P1, an acknowledged
// incident of an account without priorities, a re-opened one and a test incident.
const char* kPage = R"({
  "incidents": [
    {"id": "PT4KHLK", "type": "incident", "summary": "[#1234] The server is on fire.",
     "self": "https://api.pagerduty.com/incidents/PT4KHLK",
     "html_url": "https://subdomain.pagerduty.com/incidents/PT4KHLK", "incident_number": 1234,
     "title": "The server is on fire.", "created_at": "2025-01-02T03:00:00Z",
     "updated_at": "2025-01-02T05:00:00Z", "status": "resolved", "incident_key": "baf7cf21b1da",
     "service": {"id": "PIJ90N7", "type": "service_reference", "summary": "My Mail Service"},
     "assignments": [], "last_status_change_at": "2025-01-02T05:00:00Z",
     "resolved_at": "2025-01-02T05:00:00Z", "acknowledgements": [], "urgency": "high",
     "priority": {"id": "P53ZZH5", "type": "priority_reference", "summary": "P1"}},
    {"id": "PACK1", "type": "incident", "title": "Queue backs up",
     "created_at": "2025-01-02T06:00:00-02:00", "status": "acknowledged",
     "service": {"id": "PSVC2", "type": "service_reference", "summary": "Queue"},
     "last_status_change_at": "2025-01-02T08:20:00Z", "resolved_at": null,
     "acknowledgements": [{"at": "2025-01-02T08:30:00Z", "acknowledger": {"id": "PU1"}},
                          {"at": "2025-01-02T08:10:00Z", "acknowledger": {"id": "PU2"}}],
     "urgency": "low", "priority": null},
    {"id": "PREOPEN", "type": "incident", "title": "Flaps", "created_at": "2025-01-02T09:00:00Z",
     "status": "triggered", "service": {"id": "PSVC2", "type": "service_reference"},
     "resolved_at": "2025-01-02T09:30:00Z", "urgency": "high", "priority": null},
    {"id": "PTEST", "type": "incident", "title": "[TEST] paging works",
     "created_at": "2025-01-02T10:00:00Z", "status": "resolved",
     "service": {"id": "PSVC2", "type": "service_reference"}, "urgency": "high"}
  ],
  "limit": 25, "offset": 0, "more": true, "total": null
})";

TEST(PagerDutyParseTest, ReadsAPageOfIncidentsLeavingTestsOut) {
  const auto page = ParseIncidentPage(json::parse(kPage));
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->paging.limit, 25);
  EXPECT_TRUE(page->paging.more);
  EXPECT_EQ(page->tests_left_out, 1u);
  EXPECT_EQ(page->last_created_at, kJan2 + 10 * 3600);
  ASSERT_EQ(page->incidents.size(), 3u);

  const model::Incident& fire = page->incidents[0];
  EXPECT_EQ(fire.source, "pagerduty");
  EXPECT_EQ(fire.id, "PT4KHLK");
  EXPECT_EQ(fire.service, "PIJ90N7");
  EXPECT_EQ(fire.severity, "P1");  // the priority, not the urgency
  EXPECT_EQ(fire.title, "The server is on fire.");
  EXPECT_EQ(fire.started_at, kJan2 + 3 * 3600);
  EXPECT_EQ(fire.resolved_at, kJan2 + 5 * 3600);
  EXPECT_FALSE(fire.acknowledged_at.has_value());
  EXPECT_EQ(fire.link, "https://subdomain.pagerduty.com/incidents/PT4KHLK");

  const model::Incident& queue = page->incidents[1];
  EXPECT_EQ(queue.severity, "low");  // no priority: the urgency
  EXPECT_EQ(queue.started_at, kJan2 + 8 * 3600);
  EXPECT_EQ(queue.acknowledged_at, kJan2 + 8 * 3600 + 600);  // the earliest
  EXPECT_FALSE(queue.resolved_at.has_value());

  // Re-opened: whatever resolution it had is gone while it is open.
  EXPECT_FALSE(page->incidents[2].resolved_at.has_value());
  EXPECT_EQ(page->incidents[2].severity, "high");
}

TEST(PagerDutyParseTest, TellsTestIncidentsByTheirTitle) {
  EXPECT_TRUE(IsTestIncident("[TEST] paging works"));
  EXPECT_TRUE(IsTestIncident("  test: ignore me"));
  EXPECT_FALSE(IsTestIncident("Tests fail in checkout"));
  EXPECT_FALSE(IsTestIncident(""));
}

TEST(PagerDutyParseTest, BadIncidentsAreErrorsNamingTheField) {
  const char* no_service =
      R"({"incidents": [{"id": "P1", "title": "x", "created_at": "2025-01-02T03:00:00Z",
           "status": "triggered", "urgency": "high"}], "more": false})";
  const auto page = ParseIncidentPage(json::parse(no_service));
  ASSERT_FALSE(page.ok());
  EXPECT_NE(page.status().message().find("service"), std::string::npos) << page.status().message();

  const char* bad_time =
      R"({"incidents": [{"id": "P1", "created_at": "yesterday", "status": "triggered",
           "urgency": "high", "service": {"id": "S"}}], "more": false})";
  EXPECT_NE(ParseIncidentPage(json::parse(bad_time)).status().message().find("created_at"),
            std::string::npos);
  EXPECT_FALSE(ParseIncidentPage(json::parse(R"({"more": false})")).ok());
  EXPECT_FALSE(ParseIncidentPage(json::parse(R"({"incidents": {}, "more": false})")).ok());
  EXPECT_FALSE(ParseIncidentPage(json::parse(R"({"incidents": [], "offset": -5})")).ok());
}

TEST(PagerDutyParseTest, ReadsAPageOfServices) {
  const auto page = ParseServicePage(json::parse(R"({
    "services": [{"id": "PIJ90N7", "type": "service", "summary": "My Application Service",
                  "name": "My Application Service", "status": "active"},
                 {"id": "PSVC2", "type": "service", "summary": "Queue"}],
    "limit": 100, "offset": 0, "more": false, "total": null})"));
  ASSERT_TRUE(page.ok()) << page.status().message();
  ASSERT_EQ(page->services.size(), 2u);
  EXPECT_EQ(page->services[0].id, "PIJ90N7");
  EXPECT_EQ(page->services[0].name, "My Application Service");
  EXPECT_EQ(page->services[1].name, "Queue");  // the summary where no name is given
  EXPECT_FALSE(page->paging.more);
}

TEST(PagerDutyParseTest, CustomFieldsNameTheDeploymentOrTheCommit) {
  // GET /incidents/{id}/custom_fields/values, in the spec's example shapes.
  model::Incident incident;
  ASSERT_TRUE(ReadCustomFieldValues(json::parse(R"({"custom_fields": [
    {"id": "PT4KHEE", "type": "field_value", "name": "environment",
     "display_name": "Runtime Environment", "data_type": "string",
     "field_type": "multi_value_fixed", "value": ["production", "staging"]},
    {"id": "PT4KHEF", "type": "field_value", "name": "suspect",
     "display_name": "Suspect commits", "data_type": "string", "field_type": "multi_value",
     "value": ["n/a", "https://bitbucket.org/acme/api/commits/0123abcd"]},
    {"id": "PT4KHEG", "type": "field_value", "name": "release", "display_name": "Deployment",
     "data_type": "string", "field_type": "single_value", "value": "v2.4.1"},
    {"id": "PT4KHEH", "type": "field_value", "name": "impact", "display_name": "Impact",
     "data_type": "integer", "field_type": "single_value", "value": 3}]})"),
                                    incident)
                  .ok());
  EXPECT_EQ(incident.deployment, "v2.4.1");
  EXPECT_EQ(incident.commit, "0123abcd");

  model::Incident unset;
  ASSERT_TRUE(ReadCustomFieldValues(json::parse(R"({"custom_fields": [
    {"name": "deployment", "display_name": "Deployment", "value": null}]})"),
                                    unset)
                  .ok());
  EXPECT_EQ(unset.deployment, "");
  EXPECT_FALSE(ReadCustomFieldValues(json::parse(R"({"fields": []})"), unset).ok());

  const auto names = ParseCustomFieldNames(json::parse(R"({"fields": [
    {"id": "P5IYCNZ", "type": "field", "name": "environment", "display_name": "Environment",
     "data_type": "string", "field_type": "single_value_fixed"}]})"));
  ASSERT_TRUE(names.ok()) << names.status().message();
  EXPECT_EQ(*names, (std::vector<std::string>{"environment", "Environment"}));
  EXPECT_FALSE(ParseCustomFieldNames(json::parse(R"({"custom_fields": []})")).ok());
}

TEST(PagerDutyParseTest, ACommitLinkInTheTitleNamesTheCommit) {
  const auto incident = ParseIncident(json::parse(R"({
    "id": "PINC1", "type": "incident", "title": "Errors since https://gitlab.com/a/b/-/commit/abcdef0",
    "created_at": "2025-01-02T03:00:00Z", "status": "triggered", "urgency": "high",
    "service": {"id": "PSVC1", "type": "service_reference"}, "priority": null})"));
  ASSERT_TRUE(incident.ok()) << incident.status().message();
  EXPECT_EQ(incident->commit, "abcdef0");
}

}  // namespace
}  // namespace leadline::sources::pagerduty
