#include "sources/pagerduty/related_change_events.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sources/pagerduty/change_event.h"

namespace leadline::sources::pagerduty {
namespace {

using nlohmann::json;

constexpr common::UnixSeconds kIncidentStart = 1595000000;  // 2020-07-17T15:33:20Z

model::Incident IncidentNamingNothing() {
  model::Incident incident;
  incident.source = "pagerduty";
  incident.id = "PT4KHLK";
  incident.started_at = kIncidentStart;
  return incident;
}

// The spec's example answer (listIncidentRelatedChangeEvents): two build events of another tool
// that name no commit, as PagerDuty's change correlation relates them.
const char* kSpecExample = R"({
  "change_events": [
    {"summary": "Build Success - Increase snapshot create timeout to 30 seconds",
     "id": "01BBYA6PEVW6A852BUO6QYUE7O", "timestamp": "2020-07-17T08:42:58Z",
     "type": "change_event", "source": "acme-build-pipeline-tool-default-i-9999",
     "integration": {"id": "PEYSGVF", "type": "inbound_integration_reference"},
     "services": [{"id": "PEYSGRV", "type": "service_reference"}],
     "custom_details": {"build_state": "passed", "build_number": "2", "run_time": "1236s"},
     "links": [{"href": "https://acme.pagerduty.dev/build/2",
                "text": "View more details in Acme!"}],
     "correlation_reason": {"reason": "most_recent"}},
    {"summary": "Build Success - Increase snapshot create timeout to 15 seconds",
     "id": "01BBYA6PDIXPL8KO1HPIUL9CZN", "timestamp": "2020-07-17T07:42:58Z",
     "type": "change_event", "source": "acme-build-pipeline-tool-default-i-9999",
     "custom_details": {"build_state": "passed", "build_number": "1", "run_time": "1233s"},
     "links": [{"href": "https://acme.pagerduty.dev/build/1",
                "text": "View more details in Acme!"}],
     "correlation_reason": {"reason": "related_service"}}
  ],
  "limit": null, "offset": null, "total": null, "more": false
})";

// An event as PagerDuty lists one Leadline sent: the payload of ChangeEventBody, at `at`.
json SentByLeadline(const std::string& key, const std::string& sha, common::UnixSeconds at,
                    bool succeeded = true) {
  DeploymentChange change;
  change.repository = "acme/api";
  change.environment = "production";
  change.ref = key.substr(key.find(':') + 1);
  change.sha = sha;
  change.succeeded = succeeded;
  change.finished_at = at;
  change.deployment_key = key;
  const json payload = json::parse(ChangeEventBody(change))["payload"];
  return {{"id", "01LEAD" + key},          {"type", "change_event"},
          {"summary", payload["summary"]}, {"timestamp", payload["timestamp"]},
          {"source", "leadline"},          {"custom_details", payload["custom_details"]},
          {"links", json::array()},        {"correlation_reason", {{"reason", "related_service"}}}};
}

// Another tool's deploy event whose link names a commit on Bitbucket.
json OtherToolEvent(const std::string& sha, common::UnixSeconds at) {
  return {
      {"id", "01OTHER" + sha},
      {"type", "change_event"},
      {"summary", "Deploy finished"},
      {"timestamp", common::FormatRfc3339(at)},
      {"custom_details", {{"pipeline", "42"}}},
      {"links", {{{"href", "https://bitbucket.org/acme/api/commits/" + sha}, {"text", "Commit"}}}},
      {"correlation_reason", {{"reason", "intelligent"}}}};
}

json Body(std::vector<json> events) { return {{"change_events", events}, {"more", false}}; }

TEST(RelatedChangeEventsTest, TheSpecsExampleNamesNothingAndLeavesTheIncidentToTheWindow) {
  model::Incident incident = IncidentNamingNothing();
  const auto read = ReadRelatedChangeEvents(json::parse(kSpecExample), incident);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_FALSE(*read);
  EXPECT_EQ(incident, IncidentNamingNothing());
}

TEST(RelatedChangeEventsTest, AnEventLeadlineSentWinsOverANewerOneOfAnotherTool) {
  model::Incident incident = IncidentNamingNothing();
  const auto read =
      ReadRelatedChangeEvents(Body({OtherToolEvent("aaaaaaa1", kIncidentStart - 60),
                                    SentByLeadline("tag:v1", "3f2a9c1d00", kIncidentStart - 3600),
                                    SentByLeadline("tag:v0", "1111111111", kIncidentStart - 7200)}),
                              incident);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_TRUE(*read);
  EXPECT_EQ(incident.deployment, "tag:v1");  // the deployment's key, exactly
  EXPECT_EQ(incident.commit, "3f2a9c1d00");
  EXPECT_EQ(incident.named_by, model::kNamedByChangeEvent);
}

TEST(RelatedChangeEventsTest, WithoutLeadlinesTheNewestBeforeTheIncidentThatNamesACommitWins) {
  model::Incident incident = IncidentNamingNothing();
  json named_in_details = OtherToolEvent("bbbbbbb2", kIncidentStart - 600);
  named_in_details["links"] = json::array();
  named_in_details["custom_details"] = {{"Commit SHA", "BBBBBBB2"}};
  const auto read = ReadRelatedChangeEvents(
      Body({OtherToolEvent("ccccccc3", kIncidentStart + 60),  // after it began: not its cause
            named_in_details, OtherToolEvent("aaaaaaa1", kIncidentStart - 3600),
            json::parse(kSpecExample)["change_events"][0]}),
      incident);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_TRUE(*read);
  EXPECT_EQ(incident.deployment, "");
  EXPECT_EQ(incident.commit, "bbbbbbb2");
  EXPECT_EQ(incident.named_by, model::kNamedByChangeEvent);
}

TEST(RelatedChangeEventsTest, AFailedDeploymentsEventAndAnEventWithoutATimeArePassedOver) {
  model::Incident incident = IncidentNamingNothing();
  json undated = SentByLeadline("tag:v3", "3333333333", kIncidentStart - 60);
  undated.erase("timestamp");
  const auto read = ReadRelatedChangeEvents(
      Body({undated, SentByLeadline("tag:v2", "2222222222", kIncidentStart - 120, false),
            OtherToolEvent("aaaaaaa1", kIncidentStart - 3600)}),
      incident);
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(incident.deployment, "");
  EXPECT_EQ(incident.commit, "aaaaaaa1");
}

TEST(RelatedChangeEventsTest, AnIncidentThatNamesItsCauseKeepsIt) {
  model::Incident incident = IncidentNamingNothing();
  incident.commit = "abcdef1";  // its title links to a commit
  const auto read = ReadRelatedChangeEvents(
      Body({SentByLeadline("tag:v1", "3f2a9c1d00", kIncidentStart - 3600)}), incident);
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE(*read);
  EXPECT_EQ(incident.commit, "abcdef1");
  EXPECT_EQ(incident.deployment, "");
  EXPECT_EQ(incident.named_by, "");
}

TEST(RelatedChangeEventsTest, ABodyNotInTheEndpointsShapeIsAnErrorThatNamesTheField) {
  model::Incident incident = IncidentNamingNothing();
  const auto no_list = ReadRelatedChangeEvents(json{{"change_events", "none"}}, incident);
  ASSERT_FALSE(no_list.ok());
  EXPECT_NE(no_list.status().message().find("change_events"), std::string::npos);
  const auto not_object = ReadRelatedChangeEvents(Body({json(7)}), incident);
  ASSERT_FALSE(not_object.ok());
  EXPECT_NE(not_object.status().message().find("change_events[0]"), std::string::npos);
  EXPECT_FALSE(ReadRelatedChangeEvents(json::array(), incident).ok());
}

}  // namespace
}  // namespace leadline::sources::pagerduty
