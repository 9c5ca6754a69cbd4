#include "api/graphql_resolver.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/graphql/request.h"

namespace leadline::api {
namespace {

using common::kDay;
using nlohmann::json;

constexpr common::UnixSeconds kNow = 1764547200;  // 2025-12-01T00:00:00Z

// A view of two projects: "pa" holds a/one (three good deployments), "pb" holds b/two (one good,
// then one failed).
std::shared_ptr<const query::MetricsView> TwoProjects() {
  auto view = std::make_shared<query::MetricsView>();
  const auto add = [&](std::int64_t id, const std::string& location, int deployments,
                       int failed_from) {
    query::RepositoryView repo;
    repo.repository.id = id;
    repo.repository.location = location;
    repo.repository.name = location.substr(location.find('/') + 1);
    repo.repository.source = "bitbucket_cloud";
    repo.repository.default_branch = "main";
    repo.facts.location = location;
    for (int i = 0; i < deployments; ++i) {
      const bool failed = i >= failed_from;
      model::Deployment d;
      d.ref = location + "-v" + std::to_string(i);
      d.sha = std::string(40, static_cast<char>('a' + i));
      d.finished_at = kNow - (10 - i) * kDay;
      d.status = failed ? model::DeploymentStatus::kFailure : model::DeploymentStatus::kSuccess;
      repo.deployments.push_back(d);
      engine::DeploymentFact fact;
      fact.finished_at = d.finished_at;
      fact.success = !failed;
      fact.failed = failed;
      repo.facts.deployments.push_back(fact);
      engine::DeploymentRow row;
      row.index = static_cast<std::size_t>(i);
      row.change_count = static_cast<std::uint32_t>(i + 1);
      if (failed)
        row.failure_reasons.push_back({"deployment_failed", "production", "", "", "", "", ""});
      repo.report.deployments.push_back(row);
    }
    view->repositories.push_back(std::move(repo));
  };
  add(1, "a/one", 3, 3);
  add(2, "b/two", 2, 1);
  view->projects = {{1, "pa", {1}}, {2, "pb", {2}}};
  return view;
}

auth::Principal ReaderOf(const std::string& project, std::int64_t repository) {
  auth::Principal principal;
  principal.token_id = 7;
  principal.token_name = "reader-" + project;
  principal.scopes = {"read"};
  principal.projects = {project};
  principal.repositories = std::set<std::int64_t>{repository};
  return principal;
}

json Ask(const auth::Principal& principal, const std::string& query,
         std::chrono::milliseconds budget = std::chrono::milliseconds(10'000)) {
  LeadlineResolver resolver(TwoProjects(), principal, kNow, LeadlineResolver::Clock::now() + budget,
                            budget);
  graphql::Request request;
  request.query = query;
  return json::parse(graphql::ResponseToJson(
      graphql::ExecuteRequest(LeadlineSchema(), resolver, request, LeadlineRequestOptions())));
}

TEST(GraphqlResolverTest, TheCompiledInSchemaBuilds) {
  const graphql::Schema& schema = LeadlineSchema();
  ASSERT_NE(schema.query_type(), nullptr);
  EXPECT_NE(schema.FindType("DoraMetric"), nullptr);
  EXPECT_EQ(schema.mutation_type(), nullptr);
}

TEST(GraphqlResolverTest, TheViewerIsTheTokenAndItsProjects) {
  const json answer =
      Ask(ReaderOf("pa", 1), "{ viewer { tokenName scopes allProjects projects { name } } }");
  EXPECT_EQ(answer, json::parse(R"({"data":{"viewer":{"tokenName":"reader-pa","scopes":["read"],
      "allProjects":false,"projects":[{"name":"pa"}]}}})"));
}

TEST(GraphqlResolverTest, ATokenOfOneProjectLearnsNothingOfAnother) {
  const auth::Principal a = ReaderOf("pa", 1);
  EXPECT_EQ(Ask(a,
                "{ projects { name } repositories(first: 100) { totalCount nodes { fullName "
                "projects } } }"),
            json::parse(R"({"data":{"projects":[{"name":"pa"}],"repositories":{"totalCount":1,
                "nodes":[{"fullName":"a/one","projects":["pa"]}]}}})"));
  // Another project's repository and project answer as ones that do not exist, word for word.
  const auto without_name = [](json answer, const std::string& name) {
    std::string text = answer.dump();
    for (std::size_t at; (at = text.find(name)) != std::string::npos;)
      text.replace(at, name.size(), "X");
    return text;
  };
  EXPECT_EQ(without_name(Ask(a, R"({ repository(fullName: "b/two") { fullName } })"), "b/two"),
            without_name(Ask(a, R"({ repository(fullName: "c/none") { fullName } })"), "c/none"));
  const json missing = Ask(a, R"({ repository(fullName: "b/two") { fullName } })");
  EXPECT_EQ(missing["data"]["repository"], nullptr);
  EXPECT_EQ(missing["errors"][0]["extensions"]["code"], "NOT_FOUND");
  EXPECT_EQ(without_name(Ask(a, R"({ project(name: "pb") { name } })"), "pb"),
            without_name(Ask(a, R"({ project(name: "pz") { name } })"), "pz"));
  // Its metrics count its own deployments only.
  EXPECT_EQ(Ask(a, R"({ project(name: "pa") { dora { metrics(startDate: "2025-11-01",
                endDate: "2025-11-30") { deployments failedDeployments } } } })"),
            json::parse(R"({"data":{"project":{"dora":{"metrics":[
                {"deployments":3,"failedDeployments":0}]}}}})"));
}

TEST(GraphqlResolverTest, DeploymentsArePagedNewestFirstWithOpaqueCursors) {
  const auth::Principal a = ReaderOf("pa", 1);
  const std::string page = R"({ repository(fullName: "a/one") { deployments(first: 2%s) {
      totalCount nodes { ref changeCount failed }
      pageInfo { hasNextPage hasPreviousPage endCursor } } } })";
  char text[512];
  std::snprintf(text, sizeof text, page.c_str(), "");
  const json first = Ask(a, text)["data"]["repository"]["deployments"];
  EXPECT_EQ(first["totalCount"], 3);
  EXPECT_EQ(first["nodes"], json::parse(R"([{"ref":"a/one-v2","changeCount":3,"failed":false},
      {"ref":"a/one-v1","changeCount":2,"failed":false}])"));
  EXPECT_EQ(first["pageInfo"]["hasNextPage"], true);
  EXPECT_EQ(first["pageInfo"]["hasPreviousPage"], false);
  const std::string cursor = first["pageInfo"]["endCursor"];
  EXPECT_EQ(cursor.find("a/one"), std::string::npos);  // opaque
  std::snprintf(text, sizeof text, page.c_str(), (", after: \"" + cursor + "\"").c_str());
  const json second = Ask(a, text)["data"]["repository"]["deployments"];
  EXPECT_EQ(second["nodes"], json::parse(R"([{"ref":"a/one-v0","changeCount":1,"failed":false}])"));
  EXPECT_EQ(second["pageInfo"]["hasNextPage"], false);
  EXPECT_EQ(second["pageInfo"]["hasPreviousPage"], true);

  // A cursor of another list, or none at all, is refused the same way.
  const json repositories = Ask(ReaderOf("pb", 2), R"({ repository(fullName: "b/two") {
      deployments(first: 1) { pageInfo { endCursor } } } })");
  const std::string others =
      repositories["data"]["repository"]["deployments"]["pageInfo"]["endCursor"];
  for (const std::string& bad : {others, std::string("bm9wZQ"), std::string("!")}) {
    std::snprintf(text, sizeof text, page.c_str(), (", after: \"" + bad + "\"").c_str());
    const json refused = Ask(a, text);
    EXPECT_EQ(refused["data"]["repository"], nullptr) << bad;
    EXPECT_EQ(
        refused["errors"][0]["message"],
        "after: not a cursor of this list; pass a pageInfo.endCursor of the same list as it is");
  }
}

TEST(GraphqlResolverTest, FirstIsBetweenOneAndAHundred) {
  for (const std::string first : {"0", "101", "-1"}) {
    const json refused =
        Ask(ReaderOf("pa", 1), "{ repositories(first: " + first + ") { totalCount } }");
    EXPECT_EQ(refused["data"], nullptr) << first;
    EXPECT_EQ(refused["errors"][0]["message"], "first: between 1 and 100");
    EXPECT_EQ(refused["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
  }
}

TEST(GraphqlResolverTest, FailuresCarryTheirReasons) {
  const json answer = Ask(ReaderOf("pb", 2), R"({ repository(fullName: "b/two") {
      deployments(first: 1) { nodes { ref status failureReasons { reason environment commit } } }
      dora { metrics(startDate: "2025-11-01", endDate: "2025-11-30") {
        deployments deploymentAttempts changeFailureRate } } } })");
  EXPECT_EQ(answer, json::parse(R"({"data":{"repository":{"deployments":{"nodes":[{"ref":"b/two-v1",
      "status":"failure","failureReasons":[{"reason":"deployment_failed",
      "environment":"production","commit":null}]}]},
      "dora":{"metrics":[{"deployments":1,"deploymentAttempts":2,"changeFailureRate":0.5}]}}}})"));
}

TEST(GraphqlResolverTest, MetricsAreBucketedByInterval) {
  const auth::Principal a = ReaderOf("pa", 1);
  const auto dates = [&](const std::string& interval, const std::string& start,
                         const std::string& end) {
    const json answer = Ask(a, "{ repository(fullName: \"a/one\") { dora { metrics(startDate: \"" +
                                   start + "\", endDate: \"" + end + "\", interval: " + interval +
                                   ") { date deployments } } } }");
    std::vector<std::string> out;
    if (!answer.contains("data")) return std::vector<std::string>{answer.dump()};
    for (const json& row : answer["data"]["repository"]["dora"]["metrics"]) {
      out.push_back(row["date"].get<std::string>() + "=" +
                    std::to_string(row["deployments"].get<int>()));
    }
    return out;
  };
  // The deployments finished on 2025-11-21, 22 and 23.
  EXPECT_EQ(dates("DAILY", "2025-11-21", "2025-11-23"),
            (std::vector<std::string>{"2025-11-21=1", "2025-11-22=1", "2025-11-23=1"}));
  // 2025-11-17 and 24 are Mondays.
  EXPECT_EQ(dates("WEEKLY", "2025-11-20", "2025-11-25"),
            (std::vector<std::string>{"2025-11-17=3", "2025-11-24=0"}));
  EXPECT_EQ(dates("MONTHLY", "2025-10-15", "2025-11-30"),
            (std::vector<std::string>{"2025-10-01=0", "2025-11-01=3"}));
}

TEST(GraphqlResolverTest, BadMetricArgumentsAreClearErrors) {
  const auth::Principal a = ReaderOf("pa", 1);
  const auto message = [&](const std::string& arguments) {
    const json answer = Ask(a, "{ repository(fullName: \"a/one\") { dora { metrics(" + arguments +
                                   ") { deployments } } } }");
    return answer["errors"][0]["message"].get<std::string>();
  };
  EXPECT_EQ(message(R"(startDate: "2025-13-01")"),
            "startDate: a date as YYYY-MM-DD, not '2025-13-01'");
  EXPECT_EQ(message(R"(endDate: "yesterday")"), "endDate: a date as YYYY-MM-DD, not 'yesterday'");
  EXPECT_EQ(message(R"(environment: "staging")"),
            "environment: only production deployments are measured (leadline.toml's "
            "production_environments says which those are)");
  EXPECT_EQ(message("benchmark: 1999"), "benchmark: 2023 or 2024");
  EXPECT_EQ(message(R"(startDate: "2020-01-01", endDate: "2025-11-30", interval: DAILY)"),
            "interval: DAILY over these dates gives more than 1000 rows; narrow the dates or "
            "choose a longer interval");
  EXPECT_EQ(message(R"(startDate: "2025-11-30", endDate: "2025-11-01")"),
            "startDate and endDate: the window is empty: since must be before until");
}

TEST(GraphqlResolverTest, FieldsPastTheDeadlineAreErrors) {
  const json answer =
      Ask(ReaderOf("pa", 1), "{ viewer { tokenName } }", std::chrono::milliseconds(-1));
  EXPECT_EQ(answer["data"], nullptr);
  EXPECT_EQ(answer["errors"][0]["extensions"]["code"], "DEADLINE_EXCEEDED");
  EXPECT_EQ(answer["errors"][0]["message"],
            "the request ran past its deadline of -1 ms; ask for less (smaller pages, fewer "
            "intervals)");
}

}  // namespace
}  // namespace leadline::api
