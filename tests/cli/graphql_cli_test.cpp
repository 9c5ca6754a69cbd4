// End-to-end tests of the GraphQL API under `leadline serve`: GraphQL over HTTP, the same gate
// and audit as the REST API, the same numbers as the REST API, and a token of project "pa" that
// learns nothing of project "pb".
#include <fstream>
#include <sstream>

#include "serve_cli_fixture.h"

namespace leadline::testing {
namespace {

class GraphqlApiTest : public ReadApiTest {
 protected:
  // POSTs a query; the status and the parsed answer.
  std::pair<int, nlohmann::json> Graphql(const std::string& query, const std::string& token,
                                         nlohmann::json variables = nullptr) {
    const nlohmann::json body = {{"query", query}, {"variables", variables}};
    auto response = client_->Post("/graphql", Bearer(token), body.dump(), "application/json");
    EXPECT_TRUE(response);
    if (!response) return {0, nullptr};
    return {response->status, nlohmann::json::parse(response->body, nullptr, false)};
  }
  // A query's answer with every occurrence of `name` replaced, for comparing two answers that
  // must differ only in the name asked for.
  static std::string Without(const nlohmann::json& answer, const std::string& name) {
    std::string text = answer.dump();
    for (std::size_t at; (at = text.find(name)) != std::string::npos;) {
      text.replace(at, name.size(), "NAME");
    }
    return text;
  }
};

TEST_F(GraphqlApiTest, AnswersAsTheRestApiDoes) {
  const auto [status, answer] =
      Graphql(R"(query($since: String!, $until: String!) {
      viewer { tokenName scopes allProjects projects { name } }
      repositories(first: 10) { totalCount nodes { fullName projects
        deployments(first: 100) { totalCount nodes { sha changeCount failed } } } }
      project(name: "pa") { dora { metrics(startDate: $since, endDate: $until) {
        deployments leadTimeSample leadTimeForChanges changeFailureRate levels { year } } } } })",
              reader_a_,
              {{"since", common::FormatRfc3339(kWholeHistorySince).substr(0, 10)},
               {"until", common::FormatRfc3339(kWholeHistoryUntil - common::kDay).substr(0, 10)}});
  ASSERT_EQ(status, 200) << answer.dump();
  ASSERT_FALSE(answer.contains("errors")) << answer.dump();
  const nlohmann::json& data = answer["data"];
  EXPECT_EQ(data["viewer"], nlohmann::json::parse(R"({"tokenName":"reader-a","scopes":["read"],
      "allProjects":false,"projects":[{"name":"pa"}]})"));
  EXPECT_EQ(data["repositories"]["totalCount"], 1);
  const nlohmann::json& repo = data["repositories"]["nodes"][0];
  EXPECT_EQ(repo["fullName"], "acme/repo-1");
  EXPECT_EQ(repo["projects"], nlohmann::json::array({"pa"}));

  // The deployments and metrics the REST API gives for the same token and window.
  const auto [rest_status, rest] =
      Get("/v1/deployments?limit=100&repo=acme/repo-1&" + kWholeHistory, reader_a_);
  ASSERT_EQ(rest_status, 200);
  ASSERT_GT(rest["items"].size(), 0u);
  ASSERT_EQ(repo["deployments"]["totalCount"], rest["items"].size());
  for (std::size_t i = 0; i < rest["items"].size(); ++i) {
    EXPECT_EQ(repo["deployments"]["nodes"][i]["sha"], rest["items"][i]["sha"]) << i;
    EXPECT_EQ(repo["deployments"]["nodes"][i]["changeCount"], rest["items"][i]["change_count"]);
    EXPECT_EQ(repo["deployments"]["nodes"][i]["failed"], rest["items"][i]["failed"]);
  }
  const auto [dora_status, dora] = Get("/v1/metrics/dora?project=pa&" + kWholeHistory, reader_a_);
  ASSERT_EQ(dora_status, 200);
  const nlohmann::json& metric = data["project"]["dora"]["metrics"][0];
  EXPECT_EQ(metric["deployments"], dora["summary"]["deployments"]);
  EXPECT_EQ(metric["leadTimeSample"], dora["summary"]["lead_time_sample"]) << dora.dump();
  EXPECT_EQ(metric["changeFailureRate"], dora["summary"]["change_fail_rate"]);
  EXPECT_EQ(metric["leadTimeForChanges"], dora["summary"]["lead_time_median_s"]);
}

TEST_F(GraphqlApiTest, ATokenOfOneProjectLearnsNothingOfAnother) {
  // Another project's repository and project are errors worded as for names that do not exist.
  for (const auto& [field, theirs, none] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"repository(fullName: \"%\") { fullName deployments(first: 5) { totalCount } }",
            "acme/repo-2", "acme/none"},
           {"project(name: \"%\") { name repositories(first: 5) { totalCount } }", "pb", "pz"}}) {
    const auto ask = [&, field = field](const std::string& name) {
      std::string query = "{ " + field + " }";
      query.replace(query.find('%'), 1, name);
      const auto [status, answer] = Graphql(query, reader_a_);
      EXPECT_EQ(status, 200);
      return answer;
    };
    const nlohmann::json theirs_answer = ask(theirs);
    EXPECT_EQ(theirs_answer["errors"][0]["extensions"]["code"], "NOT_FOUND")
        << theirs_answer.dump();
    EXPECT_EQ(Without(theirs_answer, theirs), Without(ask(none), none));
  }
  // Lists, counts and cursors hold its own only; the token of every project sees both.
  const std::string lists =
      "{ projects { name } viewer { projects { name } } repositories(first: 1) { totalCount "
      "edges { cursor node { fullName projects } } pageInfo { hasNextPage endCursor } } }";
  const auto [a_status, a] = Graphql(lists, reader_a_);
  EXPECT_EQ(a["data"]["projects"], nlohmann::json::parse(R"([{"name":"pa"}])"));
  EXPECT_EQ(a["data"]["repositories"]["totalCount"], 1);
  EXPECT_EQ(a["data"]["repositories"]["pageInfo"]["hasNextPage"], false);
  EXPECT_EQ(a.dump().find("repo-2"), std::string::npos) << a.dump();
  EXPECT_EQ(a.dump().find("pb"), std::string::npos) << a.dump();
  const auto [all_status, all] = Graphql(lists, reader_all_);
  EXPECT_EQ(all["data"]["repositories"]["totalCount"], 3);
  EXPECT_EQ(all["data"]["repositories"]["pageInfo"]["hasNextPage"], true);
  // A cursor of the whole list, given by another token, pages A's list only.
  const std::string cursor = all["data"]["repositories"]["pageInfo"]["endCursor"];
  const auto [after_status, after] = Graphql(
      "query($after: String) { repositories(first: 5, after: $after) { totalCount nodes { "
      "fullName } } }",
      reader_a_, {{"after", cursor}});
  EXPECT_EQ(after["data"]["repositories"], nlohmann::json::parse(R"({"totalCount":1,"nodes":[]})"))
      << after.dump();
}

TEST_F(GraphqlApiTest, GraphqlOverHttp) {
  // GET runs queries; the media type follows Accept.
  auto got = client_->Get(
      "/graphql?query=%7B%20viewer%20%7B%20tokenName%20%7D%20%7D",
      {{"Authorization", "Bearer " + reader_a_}, {"Accept", "application/graphql-response+json"}});
  ASSERT_TRUE(got);
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->get_header_value("Content-Type"), "application/graphql-response+json");
  EXPECT_EQ(got->body, "{\"data\":{\"viewer\":{\"tokenName\":\"reader-a\"}}}\n");
  // A document that does not validate: 200 as application/json, 400 as graphql-response+json.
  const std::string invalid = R"({"query":"{ viewer { nope } }"})";
  auto lenient = client_->Post("/graphql", Bearer(reader_a_), invalid, "application/json");
  ASSERT_TRUE(lenient);
  EXPECT_EQ(lenient->status, 200);
  httplib::Headers strict_headers = Bearer(reader_a_);
  strict_headers.emplace("Accept", "application/graphql-response+json");
  auto strict = client_->Post("/graphql", strict_headers, invalid, "application/json");
  ASSERT_TRUE(strict);
  EXPECT_EQ(strict->status, 400);
  EXPECT_NE(strict->body.find("GRAPHQL_VALIDATION_FAILED"), std::string::npos) << strict->body;

  // Bad input: a clear error each.
  const auto post = [&](const std::string& body, const std::string& type) {
    auto response = client_->Post("/graphql", Bearer(reader_a_), body, type);
    EXPECT_TRUE(response);
    return response ? std::make_pair(response->status, response->body)
                    : std::make_pair(0, std::string());
  };
  EXPECT_EQ(post("{", "application/json").first, 400);
  EXPECT_EQ(post("{}", "application/json"),
            std::make_pair(400, std::string("{\"errors\":[{\"message\":\"the body has no `query`: "
                                            "send the document\"}]}\n")));
  EXPECT_EQ(
      post(R"({"query":"{ viewer { tokenName } }","variables":[1]})", "application/json").first,
      400);
  EXPECT_EQ(post(R"({"query":"{ viewer { tokenName } }"})", "text/plain").first, 415);
  EXPECT_EQ(post(R"({"query":")" + std::string(2 << 20, ' ') + R"("})", "application/json").first,
            413);

  // The gate of the REST API: no token, a token without `read`.
  auto anonymous =
      client_->Post("/graphql", R"({"query":"{ viewer { tokenName } }"})", "application/json");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  const std::string pusher = Token("--name pusher --scopes write:events");
  auto unscoped = client_->Post("/graphql", Bearer(pusher),
                                R"({"query":"{ viewer { tokenName } }"})", "application/json");
  ASSERT_TRUE(unscoped);
  EXPECT_EQ(unscoped->status, 403);

  // The schema as SDL, the file in the repository.
  auto sdl = client_->Get("/graphql/schema.graphql", Bearer(reader_a_));
  ASSERT_TRUE(sdl);
  EXPECT_EQ(sdl->status, 200);
  std::ifstream file(std::string(LEADLINE_SOURCE_DIR) + "/src/api/leadline.graphql");
  std::stringstream text;
  text << file.rdbuf();
  EXPECT_EQ(sdl->body, text.str());

  // Each call is audited like a REST call.
  const LeadlineRun audit = Leadline("audit --limit 20");
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_NE(audit.out.find("  reader-a         200 POST   /graphql\n"), std::string::npos)
      << audit.out;
  EXPECT_NE(audit.out.find("  reader-a         200 GET    /graphql\n"), std::string::npos);
  EXPECT_NE(audit.out.find("  pusher           403 POST   /graphql\n"), std::string::npos);
}

}  // namespace
}  // namespace leadline::testing
