// The check against scripted answers: a site without a cloud id is not an Atlassian Cloud site,
// and an account without Operations access still connects, told so.
#include "sources/jsm/jsm_check.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/testing_fakes.h"

namespace leadline::sources::jsm {
namespace {

using nlohmann::json;

constexpr char kSite[] = "https://acme.atlassian.net";
constexpr char kCloudId[] = "2a7c6a3e-8f3b-4f54-9c2f-1f4d3b6c9e01";

ConnectionSettings Settings() {
  ConnectionSettings settings;
  settings.provider = model::Provider::kJsm;
  settings.url = kSite;
  settings.auth = model::AuthMethod::kApiToken;
  settings.username = "mia@example.com";
  settings.secret = "token";
  return settings;
}

TEST(JsmCheckTest, ASiteWithoutACloudIdIsNotAnAtlassianCloudSite) {
  http::testing::ScriptedClient client;
  client.Answer(std::string(kSite) + "/_edge/tenant_info", 200, "<html>Confluence</html>");
  const auto checked = CheckJsm(client, Settings());
  ASSERT_FALSE(checked.ok());
  EXPECT_NE(checked.status().message().find("does not say its cloud id"), std::string::npos)
      << checked.status().message();
  EXPECT_NE(checked.status().message().find("https://<site>.atlassian.net"), std::string::npos);
  EXPECT_EQ(client.sent.size(), 1u);
}

TEST(JsmCheckTest, AnAccountWithoutOperationsAccessIsToldSoAndStillChecks) {
  http::testing::ScriptedClient client;
  client.Answer(std::string(kSite) + "/_edge/tenant_info", 200, json{{"cloudId", kCloudId}}.dump());
  client.Answer(std::string(kSite) + "/rest/api/3/myself", 200,
                json{{"accountId", "5b10"}, {"displayName", "Mia Krystof"}}.dump());
  const json empty = {{"issues", json::array()}, {"isLast", true}};
  client.Answer(std::string(kSite) + SearchPath(kIncidentJql, 1, ""), 200, empty.dump());
  client.Answer(std::string(kSite) +
                    SearchPath(std::string(kIncidentJql) + " ORDER BY updated DESC", kPageSize, ""),
                200, empty.dump());
  client.Answer(std::string(kSite) + "/rest/api/3/priority/search?maxResults=50&startAt=0", 200,
                json{{"values", {{{"id", "1"}, {"name", "Highest"}}}}, {"isLast", true}}.dump());
  client.Answer("https://api.atlassian.com/jsm/ops/api/" + std::string(kCloudId) +
                    "/v1/schedules?size=100&offset=0",
                403, R"({"message":"forbidden"})");
  const auto checked = CheckJsm(client, Settings());
  ASSERT_TRUE(checked.ok()) << checked.status().message();
  EXPECT_EQ(checked->user, "Mia Krystof");
  EXPECT_EQ(checked->repositories, 0);
  ASSERT_EQ(checked->notes.size(), 3u);
  EXPECT_NE(checked->notes[1].find("no access to the Operations API"), std::string::npos);
  EXPECT_EQ(checked->notes[2], "priorities Highest");
}

}  // namespace
}  // namespace leadline::sources::jsm
