// Recorded pages in the shapes of Jira Cloud's enhanced search and the Operations API: paging by
// nextPageToken, a re-opened incident, a changed priority, a test incident, a 429 and a 401.
#include "sources/jsm/jsm_parse.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sources/jsm/jsm_connector.h"
#include "sources/jsm/jsm_http.h"

namespace leadline::sources::jsm {
namespace {

using nlohmann::json;

constexpr char kSite[] = "https://acme.atlassian.net";

// One work item as the search returns it with `fields=*navigable&expand=names`.
json Item(const std::string& id, const std::string& key, const std::string& summary,
          const std::string& priority, const std::string& category, const char* resolved,
          json labels = json::array()) {
  json fields = {{"summary", summary},
                 {"priority", {{"id", "1"}, {"name", priority}}},
                 {"status",
                  {{"name", category == "done" ? "Resolved" : "In progress"},
                   {"statusCategory", {{"key", category}, {"name", "x"}}}}},
                 {"created", "2025-06-01T10:00:00.000+0200"},
                 {"updated", "2025-06-01T12:30:00.000+0200"},
                 {"labels", labels},
                 {"customfield_10050", {{{"id", "svc-api"}, {"name", "Checkout API"}}}}};
  fields["resolutiondate"] = resolved == nullptr ? json(nullptr) : json(resolved);
  return {{"id", id}, {"key", key}, {"fields", fields}};
}

json Page(json items, const char* next) {
  json page = {{"issues", std::move(items)},
               {"names",
                {{"summary", "Summary"},
                 {"customfield_10050", "Affected services"},
                 {"customfield_10060", "Service owner"}}}};
  if (next != nullptr) {
    page["nextPageToken"] = next;
    page["isLast"] = false;
  } else {
    page["isLast"] = true;
  }
  return page;
}

// A page of the issues listed. (A braced list of one json is that json, not an array of it,
// under clang's reading of the standard; this overload makes it an array under every compiler.)
json Page(std::initializer_list<json> items, const char* next) {
  json array = json::array();
  for (const json& item : items) array.push_back(item);
  return Page(std::move(array), next);
}

TEST(JsmParseTest, JiraTimesWithOffsetsWithoutColonsAreRead) {
  EXPECT_EQ(*ParseJiraTime("2025-06-01T10:00:00.000+0200"), 1748764800);
  EXPECT_EQ(*ParseJiraTime("2025-06-01T08:00:00Z"), 1748764800);
  EXPECT_EQ(*ParseJiraTime("2025-06-01T03:00:00.000-0500"), 1748764800);
  EXPECT_FALSE(ParseJiraTime("yesterday").ok());
}

TEST(JsmParseTest, APageReadsIncidentsServicesAndTheNextToken) {
  const json page =
      Page({Item("10001", "OPS-1", "Checkout down", "P1", "done", "2025-06-01T11:00:00.000+0200"),
            Item("10002", "OPS-2", "Slow search", "P3", "indeterminate", nullptr)},
           "tok-2");
  const auto parsed = ParseSearchPage(page, kSite);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  ASSERT_EQ(parsed->incidents.size(), 2u);
  const model::Incident& first = parsed->incidents[0];
  EXPECT_EQ(first.source, "jsm");
  EXPECT_EQ(first.id, "10001");
  EXPECT_EQ(first.link, "https://acme.atlassian.net/browse/OPS-1");
  EXPECT_EQ(first.severity, "P1");
  EXPECT_EQ(first.service, "svc-api");
  EXPECT_EQ(first.started_at, 1748764800);
  EXPECT_EQ(first.resolved_at, 1748768400);
  EXPECT_FALSE(parsed->incidents[1].resolved_at.has_value());
  EXPECT_EQ(parsed->next_page_token, "tok-2");
  ASSERT_EQ(parsed->services.size(), 1u);
  EXPECT_EQ(parsed->services[0].name, "Checkout API");
  // The last page: isLast, no token.
  EXPECT_EQ(ParseSearchPage(Page(json::array(), nullptr), kSite)->next_page_token, "");
}

TEST(JsmParseTest, AReopenedIncidentIsOpenAndAChangedPriorityIsRead) {
  // Re-opened: out of the done category; Jira clears the resolution date, but a stale one is
  // not trusted either.
  const json reopened = Page({Item("10001", "OPS-1", "Checkout down", "P2", "indeterminate",
                                   "2025-06-01T11:00:00.000+0200")},
                             nullptr);
  const auto parsed = ParseSearchPage(reopened, kSite);
  ASSERT_TRUE(parsed.ok());
  EXPECT_FALSE(parsed->incidents[0].resolved_at.has_value());
  EXPECT_EQ(parsed->incidents[0].severity, "P2");
  // Done without a resolution date: resolved when last updated.
  const auto done = ParseSearchPage(
      Page({Item("10003", "OPS-3", "Queue stuck", "P1", "done", nullptr)}, nullptr), kSite);
  EXPECT_EQ(done->incidents[0].resolved_at, 1748773800);
}

TEST(JsmParseTest, TestIncidentsAreLeftOutButTheirServicesListed) {
  const json page = Page({Item("10004", "OPS-4", "Paging drill", "P1", "done",
                               "2025-06-01T11:00:00.000+0200", {"test"}),
                          Item("10005", "OPS-5", "[TEST] alert routing", "P1", "new", nullptr),
                          Item("10006", "OPS-6", "Tests fail in checkout", "P2", "new", nullptr)},
                         nullptr);
  const auto parsed = ParseSearchPage(page, kSite);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->left_out, 2u);
  ASSERT_EQ(parsed->incidents.size(), 1u);
  EXPECT_EQ(parsed->incidents[0].id, "10006");
  EXPECT_EQ(parsed->services.size(), 1u);
}

TEST(JsmParseTest, ADeploymentFieldOrACommitLinkNamesTheCause) {
  json named = Item("10007", "OPS-7", "Checkout down", "P1", "new", nullptr);
  named["fields"]["customfield_10070"] = "release-2025.06.01";
  json linked =
      Item("10008", "OPS-8", "Errors since https://bitbucket.org/acme/api/commits/3F2A9C1D shipped",
           "P1", "new", nullptr);
  json page = Page({named, linked}, nullptr);
  page["names"]["customfield_10070"] = "Deployment";
  const auto parsed = ParseSearchPage(page, kSite);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->incidents[0].deployment, "release-2025.06.01");
  EXPECT_EQ(parsed->incidents[0].commit, "");
  EXPECT_EQ(parsed->incidents[1].commit, "3f2a9c1d");
  EXPECT_EQ(parsed->incidents[1].deployment, "");
}

TEST(JsmParseTest, BadFieldsAreNamed) {
  json item = Item("10001", "OPS-1", "x", "P1", "new", nullptr);
  item["fields"]["created"] = "soon";
  const auto parsed = ParseSearchPage(Page({item}, nullptr), kSite);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("created"), std::string::npos)
      << parsed.status().message();
  EXPECT_FALSE(ParseSearchPage(json{{"total", 0}}, kSite).ok());
}

TEST(JsmParseTest, AccountCloudIdPrioritiesAndSchedulesAreRead) {
  EXPECT_EQ(*ParseMyself(json{{"accountId", "5b10"},
                              {"displayName", "Mia Krystof"},
                              {"emailAddress", "mia@example.com"}}),
            "Mia Krystof <mia@example.com>");
  EXPECT_EQ(*ParseCloudId(json{{"cloudId", "2a7c6a3e-8f3b-4f54-9c2f-1f4d3b6c9e01"}}),
            "2a7c6a3e-8f3b-4f54-9c2f-1f4d3b6c9e01");
  EXPECT_FALSE(ParseCloudId(json{{"cloudId", "../x"}}).ok());
  const auto priorities = ParsePriorityPage(
      json{{"values", {{{"id", "1"}, {"name", "P1"}}, {{"id", "2"}, {"name", "P2"}}}},
           {"isLast", true}});
  EXPECT_EQ(priorities->names, (std::vector<std::string>{"P1", "P2"}));
  const auto schedules =
      ParseSchedulePage(json{{"values",
                              {{{"id", "s1"}, {"name", "Ops"}, {"teamId", "t1"}},
                               {{"id", "s2"}, {"name", "Ops 2"}, {"teamId", "t1"}},
                               {{"id", "s3"}, {"name", "Web"}, {"teamId", "t2"}}}},
                             {"links", {{"next", "https://api.atlassian.com/x?offset=3"}}}});
  ASSERT_TRUE(schedules.ok());
  EXPECT_EQ(schedules->schedules, 3u);
  EXPECT_EQ(schedules->team_ids, (std::vector<std::string>{"t1", "t2"}));
  EXPECT_FALSE(schedules->next.empty());
}

TEST(JsmParseTest, AnswersThatAreNot2xxSayWhatToFix) {
  http::HttpResponse unauthorized;
  unauthorized.status = 401;
  unauthorized.body = R"({"errorMessages":["Client must be authenticated"],"errors":{}})";
  const common::Status wrong_key = Diagnose(unauthorized, "https://acme.atlassian.net/x");
  EXPECT_EQ(wrong_key.code(), common::StatusCode::kUnauthenticated);
  EXPECT_NE(wrong_key.message().find("--email"), std::string::npos) << wrong_key.message();
  EXPECT_NE(wrong_key.message().find("Client must be authenticated"), std::string::npos);
  http::HttpResponse limited;
  limited.status = 429;
  EXPECT_EQ(Diagnose(limited, "https://acme.atlassian.net/x").code(),
            common::StatusCode::kUnavailable);
  http::HttpResponse gone;
  gone.status = 410;
  EXPECT_NE(Diagnose(gone, "u").message().find("search/jql"), std::string::npos);
  http::HttpResponse html;
  html.status = 200;
  html.body = "<html>";
  EXPECT_NE(JsonOf(html, "https://example.com/x").status().message().find("--site"),
            std::string::npos);
}

TEST(JsmWalkTest, TheWalkSearchesIncidentsUpdatedSinceTheDayBeforeOldestFirst) {
  EXPECT_EQ(WalkJql(1748764800),
            "issuetype = Incident AND updated >= \"2025-05-31\" ORDER BY created ASC, key ASC");
  JsmConnector connector;
  ConnectionSettings settings;
  settings.url = kSite;
  settings.username = "mia@example.com";
  settings.secret = "token";
  const std::string start = connector.StartWalk(1748764800, 1748851200);
  EXPECT_TRUE(connector.InsideWalk(start));
  const auto first = connector.RequestAt(settings, start);
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->url.starts_with("https://acme.atlassian.net/rest/api/3/search/jql?jql="))
      << first->url;
  EXPECT_EQ(first->url.find("nextPageToken"), std::string::npos);
  EXPECT_EQ(first->credentials.kind, http::Credentials::Kind::kBasic);

  http::HttpResponse answer;
  answer.status = 200;
  answer.body =
      Page({Item("10001", "OPS-1", "Checkout down", "P1", "new", nullptr)}, "tok 2").dump();
  // A token that cannot be a cursor word is refused, not saved.
  EXPECT_FALSE(connector.Read(settings, answer, start).ok());
  answer.body =
      Page({Item("10001", "OPS-1", "Checkout down", "P1", "new", nullptr)}, "tok2").dump();
  const auto page = connector.Read(settings, answer, start);
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->cursor, "walk 1748764800 1748851200 tok2");
  EXPECT_NE(connector.RequestAt(settings, page->cursor)->url.find("nextPageToken=tok2"),
            std::string::npos);
  answer.body = Page(json::array(), nullptr).dump();
  const auto last = connector.Read(settings, answer, page->cursor);
  EXPECT_EQ(last->cursor, "after 1748851200");
  EXPECT_EQ(connector.WalkEnd(last->cursor), 1748851200);
}

}  // namespace
}  // namespace leadline::sources::jsm
