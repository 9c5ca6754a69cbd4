// Recorded pages in the shapes of the Opsgenie OpenAPI spec (ListIncidentsResponse, BaseIncident,
// ListTeamsResponse, GetAccountInfoResponse): offset paging newest first, a re-opened incident, a
// changed priority, a test incident, a 429 and a 401.
#include "sources/opsgenie/opsgenie_parse.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sources/opsgenie/opsgenie_connector.h"
#include "sources/opsgenie/opsgenie_http.h"

namespace leadline::sources::opsgenie {
namespace {

using nlohmann::json;

json Incident(const std::string& id, const std::string& message, const std::string& status,
              const std::string& priority, const std::string& created, json tags = json::array()) {
  return {{"id", id},
          {"tinyId", "12"},
          {"message", message},
          {"status", status},
          {"isSeen", true},
          {"tags", tags},
          {"createdAt", created},
          {"updatedAt", "2025-06-01T11:30:00.123Z"},
          {"source", "web"},
          {"owner", "mia@example.com"},
          {"priority", priority},
          {"responders", {{{"type", "team"}, {"id", "team-ops"}}}},
          {"ownerTeam", "team-ops"},
          {"extraProperties", json::object()}};
}

json Page(json data, bool more) {
  json page = {{"data", std::move(data)}, {"took", 0.05}, {"requestId", "req-1"}};
  page["paging"] = {{"first", "https://api.opsgenie.com/v1/incidents?offset=0"}};
  if (more) page["paging"]["next"] = "https://api.opsgenie.com/v1/incidents?offset=100";
  return page;
}

// A page of the incidents listed. (A braced list of one json is that json, not an array of it,
// under clang's reading of the standard; this overload makes it an array under every compiler.)
json Page(std::initializer_list<json> data, bool more) {
  json array = json::array();
  for (const json& item : data) array.push_back(item);
  return Page(std::move(array), more);
}

TEST(OpsgenieParseTest, APageReadsIncidentsOldestCreationAndMore) {
  const auto parsed = ParseIncidentPage(
      Page({Incident("inc-2", "Search slow", "open", "P3", "2025-06-02T10:00:00Z"),
            Incident("inc-1", "Checkout down", "resolved", "P1", "2025-06-01T10:00:00.500Z")},
           true));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ASSERT_EQ(parsed->incidents.size(), 2u);
  EXPECT_TRUE(parsed->more);
  EXPECT_EQ(parsed->read, 2u);
  EXPECT_EQ(parsed->oldest_created_at, 1748772000);
  const model::Incident& resolved = parsed->incidents[1];
  EXPECT_EQ(resolved.source, "opsgenie");
  EXPECT_EQ(resolved.service, "team-ops");
  EXPECT_EQ(resolved.severity, "P1");
  EXPECT_EQ(resolved.resolved_at, 1748777400);
  EXPECT_FALSE(parsed->incidents[0].resolved_at.has_value());
  EXPECT_FALSE(ParseIncidentPage(Page(json::array(), false))->more);
}

TEST(OpsgenieParseTest, AReopenedIncidentIsOpenAChangedPriorityReadAndTestsLeftOut) {
  const auto parsed = ParseIncidentPage(
      Page({Incident("inc-1", "Checkout down", "open", "P2", "2025-06-01T10:00:00Z"),
            Incident("inc-3", "Paging drill", "closed", "P1", "2025-06-01T09:00:00Z", {"test"}),
            Incident("inc-4", "[TEST] routing", "open", "P1", "2025-06-01T08:00:00Z")},
           false));
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->incidents.size(), 1u);
  EXPECT_FALSE(parsed->incidents[0].resolved_at.has_value());
  EXPECT_EQ(parsed->incidents[0].severity, "P2");
  EXPECT_EQ(parsed->left_out, 2u);
  EXPECT_EQ(parsed->oldest_created_at, 1748764800);  // tests count for where the page reaches
}

TEST(OpsgenieParseTest, ADeploymentPropertyOrACommitLinkNamesTheCause) {
  json named = Incident("inc-5", "Checkout down", "open", "P1", "2025-06-01T10:00:00Z");
  named["extraProperties"] = {{"Deployment", "release-2025.06.01"}};
  const json linked = Incident("inc-6", "Since https://gitlab.com/acme/api/-/commit/9c1d2e3f",
                               "open", "P1", "2025-06-01T10:00:00Z");
  const auto parsed = ParseIncidentPage(Page({named, linked}, false));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->incidents[0].deployment, "release-2025.06.01");
  EXPECT_EQ(parsed->incidents[1].commit, "9c1d2e3f");
}

TEST(OpsgenieParseTest, TeamsAccountAndBadFields) {
  const auto teams = ParseTeams(json{{"data",
                                      {{{"id", "team-ops"}, {"name", "Operations"}},
                                       {{"id", "team-web"}, {"name", "Storefront"}}}},
                                     {"took", 0.1},
                                     {"requestId", "r"}});
  ASSERT_TRUE(teams.ok());
  EXPECT_EQ((*teams)[1].name, "Storefront");
  EXPECT_EQ(*ParseAccount(json{{"data", {{"name", "acme"}, {"plan", {{"name", "Standard"}}}}}}),
            "the API key of account acme (plan Standard)");
  json bad = Incident("inc-1", "x", "open", "P1", "yesterday");
  const auto parsed = ParseIncidentPage(Page({bad}, false));
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("createdAt"), std::string::npos);
  EXPECT_FALSE(ParseIncidentPage(json{{"took", 0}}).ok());
}

TEST(OpsgenieParseTest, AnswersThatAreNot2xxSayWhatToFix) {
  http::HttpResponse unauthorized;
  unauthorized.status = 401;
  unauthorized.body = R"({"message":"Could not authenticate","took":0.0,"requestId":"r"})";
  const common::Status wrong = Diagnose(unauthorized, "https://api.opsgenie.com/v2/account");
  EXPECT_EQ(wrong.code(), common::StatusCode::kUnauthenticated);
  EXPECT_NE(wrong.message().find("Could not authenticate"), std::string::npos);
  EXPECT_NE(wrong.message().find("--region eu"), std::string::npos);
  http::HttpResponse limited;
  limited.status = 429;
  EXPECT_EQ(Diagnose(limited, "u").code(), common::StatusCode::kUnavailable);
}

TEST(OpsgenieWalkTest, TheWalkPagesByOffsetUntilItReachesBackPastItsStart) {
  OpsgenieConnector connector;
  ConnectionSettings settings;
  settings.url = kOpsgenieApiUrl;
  settings.auth = model::AuthMethod::kOpsgenieKey;
  settings.secret = "genie";
  const std::string start = connector.StartWalk(1748700000, 1748900000);
  const auto first = connector.RequestAt(settings, start);
  ASSERT_TRUE(first.ok());
  EXPECT_NE(first->url.find("offset=0&limit=100&sort=createdAt&order=desc"), std::string::npos)
      << first->url;
  EXPECT_EQ(first->credentials.kind, http::Credentials::Kind::kGenieKey);
  http::HttpResponse answer;
  answer.status = 200;
  answer.body = Page({Incident("inc-2", "a", "open", "P1", "2025-06-02T10:00:00Z")}, true).dump();
  const auto page = connector.Read(settings, answer, start);
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->cursor, "walk 1748700000 1748900000 1");
  EXPECT_NE(connector.RequestAt(settings, page->cursor)->url.find("offset=1&"), std::string::npos);
  // A page that reaches back past the start ends the walk, whatever paging says.
  answer.body = Page({Incident("inc-1", "b", "open", "P1", "2025-05-01T10:00:00Z")}, true).dump();
  EXPECT_EQ(connector.Read(settings, answer, page->cursor)->cursor, "after 1748900000");
  EXPECT_FALSE(connector.RequestAt(settings, "walk 1 2 x1").ok());
}

}  // namespace
}  // namespace leadline::sources::opsgenie
