#include "api/graphql_resolver.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/graphql/request.h"
#include "common/base64.h"
#include "query/data_quality.h"

namespace leadline::api {
namespace {

using common::kDay;
using nlohmann::json;

constexpr common::UnixSeconds kNow = 1764547200;  // 2025-12-01T00:00:00Z

// A view of two projects: "pa" holds a/one (three good deployments, three pull requests, two
// incidents), "pb" holds b/two (one good deployment, then one failed; one pull request).
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
  // a/one: #1 merged and deployed; #2 declined; #3 open, opened as #2 was.
  const auto pull_request = [](std::int64_t number, model::PullRequestState state,
                               common::UnixSeconds created_at) {
    engine::PullRequestStages pr;
    pr.number = number;
    pr.title = "Change " + std::to_string(number);
    pr.state = state;
    pr.author = {"{uuid-" + std::to_string(number) + "}", number == 2 ? "" : "Ann"};
    pr.created_at = created_at;
    pr.commits = static_cast<std::size_t>(number);
    pr.progress = state == model::PullRequestState::kOpen ? engine::PullRequestProgress::kOpen
                                                          : engine::PullRequestProgress::kClosed;
    return pr;
  };
  auto& one = view->repositories[0];
  one.pull_requests.push_back(pull_request(1, model::PullRequestState::kMerged, kNow - 9 * kDay));
  one.pull_requests.back().merged_at = kNow - 8 * kDay;
  one.pull_requests.back().progress = engine::PullRequestProgress::kDeployed;
  one.pull_requests.back().commits_unknown = engine::CommitsUnknown::kBranchNotSeen;
  one.pull_requests.back().pickup = 3600;
  one.pull_requests.back().review = 7200;
  one.pull_requests.back().deploy = 60;
  one.pull_requests.push_back(pull_request(2, model::PullRequestState::kDeclined, kNow - kDay));
  one.pull_requests.push_back(pull_request(3, model::PullRequestState::kOpen, kNow - kDay));
  view->repositories[1].pull_requests.push_back(
      pull_request(7, model::PullRequestState::kOpen, kNow - kDay));
  // a/one: INC-1 tied to its first deployment, INC-2 still open and tied to none.
  engine::IncidentRow incident;
  incident.id = "INC-1";
  incident.source = "api";
  incident.service = "checkout";
  incident.severity = "P1";
  incident.title = "Checkout fails";
  incident.started_at = kNow - 9 * kDay;
  incident.resolved_at = kNow - 9 * kDay + 3600;
  incident.linked_by = "window";
  incident.deployment = "a/one-v1";
  one.report.incidents.push_back(incident);
  incident = {};
  incident.id = "INC-2";
  incident.source = "import";
  incident.severity = "P2";
  incident.title = "Slow search";
  incident.started_at = kNow - 2 * kDay;
  incident.linked_by = "none";
  one.report.incidents.push_back(incident);
  view->projects = {{1, "pa", {1}}, {2, "pb", {2}}};
  // Teams: Ann (team "alpha") merged a/one's #1; Bo (team "beta") merged one in b/two.
  const std::uint32_t ann = view->people.Intern({"{uuid-1}", "Ann"});
  const std::uint32_t bo = view->people.Intern({"{uuid-9}", "Bo"});
  engine::PullRequestFact merged;
  merged.merged_at = kNow - 8 * kDay;
  merged.author = ann;
  merged.coding = 1800;
  merged.pickup = 3600;
  merged.review = 7200;
  merged.deploy = 60;
  merged.total = 12660;
  one.facts.pull_requests.push_back(merged);
  merged.author = bo;
  merged.pickup = 60;
  view->repositories[1].facts.pull_requests.push_back(merged);
  view->teams = {{"alpha", {"Ann"}}, {"beta", {"Bo"}}, {"gamma", {"Nobody"}}};
  // a/one's refs (by name) and builds (newest first), as the view keeps them.
  one.refs = {{"feature/x", model::RefKind::kBranch, std::string(40, '1'), std::nullopt},
              {"main", model::RefKind::kBranch, std::string(40, '2'), std::nullopt},
              {"v1.0", model::RefKind::kTag, std::string(40, '3'), kNow - 5 * kDay},
              {"v1.1", model::RefKind::kTag, std::string(40, '4'), std::nullopt}};
  model::Pipeline build;
  build.uuid = "{b2}";
  build.build_number = 12;
  build.ref_name = "main";
  build.commit_sha = std::string(40, '2');
  build.state = model::PipelineState::kInProgress;
  build.created_at = kNow - kDay;
  one.builds.push_back(build);
  build.uuid = "{b1}";
  build.build_number = 11;
  build.state = model::PipelineState::kCompleted;
  build.result = model::PipelineResult::kFailed;
  build.created_at = kNow - 2 * kDay;
  build.completed_at = kNow - 2 * kDay + 300;
  build.duration_s = 290;
  one.builds.push_back(build);
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

// A token of every project.
auth::Principal ReaderOfAll() {
  auth::Principal principal;
  principal.token_id = 8;
  principal.token_name = "reader-all";
  principal.scopes = {"read"};
  return principal;
}

json Ask(const auth::Principal& principal, const std::string& query,
         std::chrono::milliseconds budget = std::chrono::milliseconds(10'000),
         GraphqlSources sources = {}) {
  LeadlineResolver resolver(TwoProjects(), principal, kNow, LeadlineResolver::Clock::now() + budget,
                            budget, std::move(sources));
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

// `page` with %s where the connection's arguments go on: whether each of `bad` is refused as not
// a cursor of this list, the field null.
void ExpectCursorsRefused(const auth::Principal& principal, const std::string& page,
                          const std::vector<std::string>& bad) {
  char text[1024];
  for (const std::string& cursor : bad) {
    std::snprintf(text, sizeof text, page.c_str(), (", after: \"" + cursor + "\"").c_str());
    const json refused = Ask(principal, text);
    EXPECT_EQ(refused["data"]["repository"], nullptr) << cursor;
    EXPECT_EQ(
        refused["errors"][0]["message"],
        "after: not a cursor of this list; pass a pageInfo.endCursor of the same list as it is")
        << cursor;
    EXPECT_EQ(refused["errors"][0]["extensions"]["code"], "BAD_USER_INPUT") << cursor;
  }
}

std::string EndCursor(const json& connection) {
  return connection["pageInfo"]["endCursor"].get<std::string>();
}

TEST(GraphqlResolverTest, PullRequestsArePagedNewestOpenedFirst) {
  const auth::Principal a = ReaderOf("pa", 1);
  const std::string page = R"({ repository(fullName: "a/one") { pullRequests(first: 2%s) {
      totalCount nodes { number title state author createdAt mergedAt progress commits
        commitsEstimated codingSeconds pickupSeconds reviewSeconds deploySeconds totalSeconds }
      pageInfo { hasNextPage hasPreviousPage endCursor } } } })";
  char text[1024];
  std::snprintf(text, sizeof text, page.c_str(), "");
  const json first = Ask(a, text)["data"]["repository"]["pullRequests"];
  EXPECT_EQ(first["totalCount"], 3);
  // #2 and #3 were opened at once: as the view holds them.
  EXPECT_EQ(first["nodes"], json::parse(R"([
      {"number":2,"title":"Change 2","state":"DECLINED","author":"{uuid-2}",
       "createdAt":"2025-11-30T00:00:00Z","mergedAt":null,"progress":"closed","commits":2,
       "commitsEstimated":false,"codingSeconds":null,"pickupSeconds":null,"reviewSeconds":null,
       "deploySeconds":null,"totalSeconds":null},
      {"number":3,"title":"Change 3","state":"OPEN","author":"Ann",
       "createdAt":"2025-11-30T00:00:00Z","mergedAt":null,"progress":"open","commits":3,
       "commitsEstimated":false,"codingSeconds":null,"pickupSeconds":null,"reviewSeconds":null,
       "deploySeconds":null,"totalSeconds":null}])"));
  EXPECT_EQ(first["pageInfo"]["hasNextPage"], true);
  EXPECT_EQ(first["pageInfo"]["hasPreviousPage"], false);
  const std::string cursor = EndCursor(first);
  std::snprintf(text, sizeof text, page.c_str(), (", after: \"" + cursor + "\"").c_str());
  const json second = Ask(a, text)["data"]["repository"]["pullRequests"];
  EXPECT_EQ(second["nodes"], json::parse(R"([
      {"number":1,"title":"Change 1","state":"MERGED","author":"Ann",
       "createdAt":"2025-11-22T00:00:00Z","mergedAt":"2025-11-23T00:00:00Z","progress":"deployed",
       "commits":1,"commitsEstimated":true,"codingSeconds":null,"pickupSeconds":3600.0,
       "reviewSeconds":7200.0,"deploySeconds":60.0,"totalSeconds":null}])"));
  EXPECT_EQ(second["pageInfo"]["hasNextPage"], false);
  EXPECT_EQ(second["pageInfo"]["hasPreviousPage"], true);

  // Another repository's cursor, this repository's deployments' and garbage are refused alike.
  const json others = Ask(ReaderOf("pb", 2), R"({ repository(fullName: "b/two") {
      pullRequests(first: 1) { pageInfo { endCursor } } } })");
  const json deployments = Ask(a, R"({ repository(fullName: "a/one") {
      deployments(first: 1) { pageInfo { endCursor } } } })");
  ExpectCursorsRefused(
      a, page,
      {EndCursor(others["data"]["repository"]["pullRequests"]),
       EndCursor(deployments["data"]["repository"]["deployments"]), "bm9wZQ", "!",
       // "p:1:" with no key, and with a key that is not a time and a position.
       common::Base64Url("p:1:"), common::Base64Url("p:1:x:1"), common::Base64Url("p:1:5:1z")});
}

TEST(GraphqlResolverTest, IncidentsArePagedNewestBegunFirst) {
  const auth::Principal a = ReaderOf("pa", 1);
  const std::string page = R"({ repository(fullName: "a/one") { incidents(first: 1%s) {
      totalCount nodes { id source service severity title startedAt resolvedAt linkedBy deployment }
      pageInfo { hasNextPage hasPreviousPage endCursor } } } })";
  char text[1024];
  std::snprintf(text, sizeof text, page.c_str(), "");
  const json first = Ask(a, text)["data"]["repository"]["incidents"];
  EXPECT_EQ(first["totalCount"], 2);
  EXPECT_EQ(first["nodes"], json::parse(R"([{"id":"INC-2","source":"import","service":"",
      "severity":"P2","title":"Slow search","startedAt":"2025-11-29T00:00:00Z","resolvedAt":null,
      "linkedBy":"none","deployment":null}])"));
  EXPECT_EQ(first["pageInfo"]["hasNextPage"], true);
  std::snprintf(text, sizeof text, page.c_str(), (", after: \"" + EndCursor(first) + "\"").c_str());
  const json second = Ask(a, text)["data"]["repository"]["incidents"];
  EXPECT_EQ(second["nodes"], json::parse(R"([{"id":"INC-1","source":"api","service":"checkout",
      "severity":"P1","title":"Checkout fails","startedAt":"2025-11-22T00:00:00Z",
      "resolvedAt":"2025-11-22T01:00:00Z","linkedBy":"window","deployment":"a/one-v1"}])"));
  EXPECT_EQ(second["pageInfo"]["hasNextPage"], false);
  EXPECT_EQ(second["pageInfo"]["hasPreviousPage"], true);

  const json pull_requests = Ask(a, R"({ repository(fullName: "a/one") {
      pullRequests(first: 1) { pageInfo { endCursor } } } })");
  ExpectCursorsRefused(a, page,
                       {EndCursor(pull_requests["data"]["repository"]["pullRequests"]), "bm9wZQ",
                        common::Base64Url("i:2:1764460800:0")});
}

TEST(GraphqlResolverTest, ListsOfAnotherProjectsRepositoryAreNotFound) {
  const auth::Principal a = ReaderOf("pa", 1);
  for (const std::string list : {"pullRequests", "incidents"}) {
    const json answer = Ask(a, "{ repository(fullName: \"b/two\") { " + list +
                                   "(first: 10) { totalCount nodes { __typename } } } }");
    EXPECT_EQ(answer["data"]["repository"], nullptr) << list;
    EXPECT_EQ(answer["errors"][0]["extensions"]["code"], "NOT_FOUND") << list;
    EXPECT_EQ(answer["errors"][0]["message"],
              Ask(a, R"({ repository(fullName: "b/two") { fullName } })")["errors"][0]["message"])
        << list;
  }
  // Bad `first` is refused as on every list.
  const json refused =
      Ask(a, R"({ repository(fullName: "a/one") { pullRequests(first: 101) { totalCount } } })");
  EXPECT_EQ(refused["errors"][0]["message"], "first: between 1 and 100");
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

namespace leadline::api {
namespace {

TEST(GraphqlResolverTest, TeamsAreThoseWithAuthorsTheCallerMaySee) {
  const std::string teams = R"({ teams { name } })";
  EXPECT_EQ(Ask(ReaderOf("pa", 1), teams), json::parse(R"({"data":{"teams":[{"name":"alpha"}]}})"));
  auth::Principal all = ReaderOf("pa", 1);
  all.projects.clear();
  all.repositories.reset();
  EXPECT_EQ(Ask(all, teams),
            json::parse(R"({"data":{"teams":[{"name":"alpha"},{"name":"beta"}]}})"));
  // Another project's team answers as a team that does not exist.
  const json beta = Ask(ReaderOf("pa", 1), R"({ team(name: "beta") { name } })");
  EXPECT_EQ(beta["data"]["team"], nullptr);
  EXPECT_EQ(beta["errors"][0]["extensions"]["code"], "NOT_FOUND");
  EXPECT_EQ(beta["errors"][0]["message"], "no team 'beta'");
  EXPECT_EQ(Ask(ReaderOf("pa", 1), R"({ team(name: "zeta") { name } })")["errors"][0]["message"],
            "no team 'zeta'");
}

TEST(GraphqlResolverTest, StageMediansComeWithTheMetricsOfARepositoryOrATeam) {
  auth::Principal all = ReaderOf("pa", 1);
  all.projects.clear();
  all.repositories.reset();
  const std::string stages = R"(metrics(startDate: "2025-11-01", endDate: "2025-11-30") {
      stages { merged botsExcluded commitsEstimated codingSeconds pickupSeconds reviewSeconds
               deploySeconds totalSeconds } })";
  EXPECT_EQ(Ask(all, R"({ repository(fullName: "a/one") { dora { )" + stages + " } } }"),
            json::parse(R"({"data":{"repository":{"dora":{"metrics":[{"stages":{"merged":1,
                "botsExcluded":0,"commitsEstimated":0,"codingSeconds":1800.0,"pickupSeconds":3600.0,
                "reviewSeconds":7200.0,"deploySeconds":60.0,"totalSeconds":12660.0}}]}}}})"));
  // Team beta over every repository: Bo's pull request only.
  const json beta = Ask(all, R"({ team(name: "beta") { name dora { )" + stages + " } } }");
  EXPECT_EQ(beta["data"]["team"]["dora"]["metrics"][0]["stages"]["merged"], 1);
  EXPECT_EQ(beta["data"]["team"]["dora"]["metrics"][0]["stages"]["pickupSeconds"], 60.0);
  // Without the team: both.
  EXPECT_EQ(Ask(all, R"({ project(name: "pa") { dora { )" + stages +
                         " } } }")["data"]["project"]["dora"]["metrics"][0]["stages"]["merged"],
            1);
}

}  // namespace
}  // namespace leadline::api

namespace leadline::api {
namespace {

TEST(GraphqlResolverTest, BranchesTagsAndBuildsArePagedLists) {
  const auth::Principal a = ReaderOf("pa", 1);
  const json refs = Ask(a, R"({ repository(fullName: "a/one") {
      branches(first: 1) { totalCount nodes { name sha isDefault } pageInfo { endCursor } }
      tags(first: 5) { totalCount nodes { name taggedAt } } } })");
  const json& branches = refs["data"]["repository"]["branches"];
  EXPECT_EQ(branches["totalCount"], 2);
  EXPECT_EQ(branches["nodes"][0]["name"], "feature/x");
  EXPECT_EQ(branches["nodes"][0]["isDefault"], false);
  const json next = Ask(a, R"({ repository(fullName: "a/one") { branches(first: 5, after: ")" +
                               branches["pageInfo"]["endCursor"].get<std::string>() +
                               R"(") { nodes { name isDefault } } } })");
  EXPECT_EQ(next["data"]["repository"]["branches"]["nodes"],
            json::parse(R"([{"name":"main","isDefault":true}])"));
  EXPECT_EQ(
      refs["data"]["repository"]["tags"],
      json::parse(R"({"totalCount":2,"nodes":[{"name":"v1.0","taggedAt":"2025-11-26T00:00:00Z"},
                {"name":"v1.1","taggedAt":null}]})"));

  const json builds = Ask(a, R"({ repository(fullName: "a/one") { builds(first: 1) {
      totalCount nodes { number ref state result createdAt completedAt durationSeconds }
      pageInfo { hasNextPage endCursor } } } })");
  const json& page = builds["data"]["repository"]["builds"];
  EXPECT_EQ(page["totalCount"], 2);
  EXPECT_EQ(page["nodes"][0], json::parse(R"({"number":12,"ref":"main","state":"IN_PROGRESS",
      "result":null,"createdAt":"2025-11-30T00:00:00Z","completedAt":null,"durationSeconds":null})"));
  EXPECT_EQ(page["pageInfo"]["hasNextPage"], true);
  const json older = Ask(a, R"({ repository(fullName: "a/one") { builds(first: 5, after: ")" +
                                page["pageInfo"]["endCursor"].get<std::string>() +
                                R"(") { nodes { number state result durationSeconds } } } })");
  EXPECT_EQ(older["data"]["repository"]["builds"]["nodes"],
            json::parse(
                R"([{"number":11,"state":"COMPLETED","result":"FAILED","durationSeconds":290}])"));
  // Another list's cursor is not one of these.
  const json wrong =
      Ask(a, R"({ repository(fullName: "a/one") { tags(first: 1, after: ")" +
                 branches["pageInfo"]["endCursor"].get<std::string>() + R"(") { totalCount } } })");
  EXPECT_EQ(wrong["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
}

TEST(GraphqlResolverTest, DeploymentsOfAScopeAreTheRestListPagedNewestFirst) {
  const std::string query = R"(query($after: String, $failed: Boolean) {
      deployments(first: 2, after: $after, window: "all", failed: $failed) {
        totalCount nodes { repository { fullName proxy } ref failed }
        pageInfo { hasNextPage endCursor } } })";
  const auto ask = [&](const auth::Principal& principal, json variables) {
    LeadlineResolver resolver(TwoProjects(), principal, kNow,
                              LeadlineResolver::Clock::now() + std::chrono::seconds(10),
                              std::chrono::seconds(10));
    graphql::Request request;
    request.query = query;
    std::string error;
    EXPECT_TRUE(graphql::ValueFromJson(variables.dump(), &request.variables, &error)) << error;
    return json::parse(graphql::ResponseToJson(
        graphql::ExecuteRequest(LeadlineSchema(), resolver, request, LeadlineRequestOptions())));
  };
  // Every project's, newest first, ties by repository: page after page of two.
  std::vector<std::string> refs;
  json after = nullptr;
  for (int page = 0; page < 3; ++page) {
    const json answer = ask(ReaderOfAll(), {{"after", after}});
    ASSERT_FALSE(answer.contains("errors")) << answer.dump();
    const json& list = answer["data"]["deployments"];
    EXPECT_EQ(list["totalCount"], 5);
    for (const json& node : list["nodes"]) refs.push_back(node["ref"]);
    EXPECT_EQ(list["pageInfo"]["hasNextPage"], page < 2) << page;
    after = list["pageInfo"]["endCursor"];
  }
  EXPECT_EQ(refs,
            (std::vector<std::string>{"a/one-v2", "a/one-v1", "b/two-v1", "a/one-v0", "b/two-v0"}));
  const json failed = ask(ReaderOfAll(), {{"failed", true}});
  EXPECT_EQ(failed["data"]["deployments"],
            json::parse(R"({"totalCount":1,
      "nodes":[{"repository":{"fullName":"b/two","proxy":false},"ref":"b/two-v1","failed":true}],
      "pageInfo":{"hasNextPage":false,"endCursor":)" +
                        json(EndCursor(failed["data"]["deployments"])).dump() + "}}"));
  // A token of one project lists its own only.
  const json own = ask(ReaderOf("pa", 1), json::object());
  EXPECT_EQ(own["data"]["deployments"]["totalCount"], 3);
  // Another list's cursor is not one of these.
  const json repository_cursor = Ask(ReaderOfAll(), R"({ repository(fullName: "a/one") {
      deployments(first: 1) { pageInfo { endCursor } } } })");
  for (const json& bad : {json(EndCursor(repository_cursor["data"]["repository"]["deployments"])),
                          json(common::Base64Url("D:12:x")), json("!")}) {
    const json refused = ask(ReaderOfAll(), {{"after", bad}});
    EXPECT_EQ(refused["data"]["deployments"], nullptr) << bad;
    EXPECT_EQ(refused["errors"][0]["extensions"]["code"], "BAD_USER_INPUT") << bad;
  }
}

TEST(GraphqlResolverTest, DeploymentsOfAScopeTakeTheRestApisScopeAndWindow) {
  const auth::Principal a = ReaderOf("pa", 1);
  // A window of one day: the deployments nine days ago.
  const std::string since = common::FormatRfc3339(kNow - 9 * kDay);
  const std::string until = common::FormatRfc3339(kNow - 8 * kDay);
  EXPECT_EQ(Ask(ReaderOfAll(), R"({ deployments(first: 10, since: ")" + since + R"(", until: ")" +
                                   until + R"(") { nodes { ref } } })"),
            json::parse(R"({"data":{"deployments":{"nodes":[{"ref":"a/one-v1"},
                {"ref":"b/two-v1"}]}}})"));
  EXPECT_EQ(Ask(ReaderOfAll(), R"({ deployments(first: 10, repository: "b/two") { totalCount } })"),
            json::parse(R"({"data":{"deployments":{"totalCount":2}}})"));
  EXPECT_EQ(Ask(ReaderOfAll(), R"({ deployments(first: 10, project: "pa") { totalCount } })"),
            json::parse(R"({"data":{"deployments":{"totalCount":3}}})"));
  // Another project's repository or project is one that does not exist, word for word.
  const json other = Ask(a, R"({ deployments(first: 10, repository: "b/two") { totalCount } })");
  EXPECT_EQ(other["data"]["deployments"], nullptr);
  EXPECT_EQ(other["errors"][0]["message"], "no repository 'b/two'");
  EXPECT_EQ(other["errors"][0]["extensions"]["code"], "NOT_FOUND");
  const json none = Ask(a, R"({ deployments(first: 10, repository: "c/none") { totalCount } })");
  EXPECT_EQ(none["errors"][0]["message"], "no repository 'c/none'");
  EXPECT_EQ(
      Ask(a, R"({ deployments(first: 10, project: "pb") { totalCount } })")["errors"][0]["message"],
      "no project 'pb'");
  // A window that is not one is a clear error, as the REST API words it.
  const json bad = Ask(a, R"({ deployments(first: 10, window: "soon") { totalCount } })");
  EXPECT_EQ(bad["data"]["deployments"], nullptr);
  EXPECT_EQ(bad["errors"][0]["extensions"]["code"], "BAD_USER_INPUT");
  EXPECT_TRUE(bad["errors"][0]["message"].get<std::string>().starts_with("window: ")) << bad;
  const json empty = Ask(a, R"({ deployments(first: 10, since: ")" + until + R"(", until: ")" +
                                since + R"(") { totalCount } })");
  EXPECT_EQ(empty["errors"][0]["message"], "the window is empty: since must be before until");
  EXPECT_EQ(Ask(a, R"({ deployments(first: 101) { totalCount } })")["errors"][0]["message"],
            "first: between 1 and 100");
}

TEST(GraphqlResolverTest, DataQualityIsTheDoctorsOfEachRepositoryOfTheScope) {
  const auto view = TwoProjects();
  const engine::ReportWindow window{kNow - 90 * kDay, kNow};
  const std::vector<engine::Finding> expected = query::FindingsOver(view->repositories[0], window);
  ASSERT_FALSE(expected.empty());
  json findings = json::array();
  for (const engine::Finding& finding : expected) {
    findings.push_back({{"check", finding.check},
                        {"severity", query::SeverityName(finding)},
                        {"message", finding.message},
                        {"fix", finding.fix}});
  }
  const json own = Ask(ReaderOf("pa", 1), R"({ dataQuality(window: "90d") {
      repository { fullName } findings { check severity message fix } } })");
  EXPECT_EQ(own, json({{"data",
                        {{"dataQuality", json::array({{{"repository", {{"fullName", "a/one"}}},
                                                       {"findings", findings}}})}}}}));
  const json all = Ask(ReaderOfAll(), R"({ dataQuality { repository { fullName } } })");
  EXPECT_EQ(all["data"]["dataQuality"], json::parse(R"([{"repository":{"fullName":"a/one"}},
                {"repository":{"fullName":"b/two"}}])"));
  const json other = Ask(ReaderOf("pa", 1), R"({ dataQuality(project: "pb") { findings { check } }
      viewer { tokenName } })");
  EXPECT_EQ(other["data"],
            json::parse(R"({"dataQuality":null,"viewer":{"tokenName":"reader-pa"}})"));
  EXPECT_EQ(other["errors"][0]["message"], "no project 'pb'");
  EXPECT_EQ(other["errors"][0]["extensions"]["code"], "NOT_FOUND");
}

// Sources of one connection with a delivery, and the poll run once and failed.
GraphqlSources FakeSources(std::vector<auth::Principal>* asked) {
  GraphqlSources sources;
  sources.integrations = [asked](const auth::Principal& principal) {
    asked->push_back(principal);
    query::IntegrationStatus status;
    status.every_project = !principal.repositories.has_value();
    query::ConnectionStatus item;
    item.connection.id = 4;
    item.connection.name = "bitbucket-cloud/acme";
    item.connection.url = "https://api.bitbucket.org/2.0";
    item.connected = true;
    item.selected_repositories = status.every_project ? 2 : 1;
    item.last_sync_at = kNow - 60;
    if (status.every_project) {
      model::WebhookDelivery delivery;
      delivery.event_key = "repo:push";
      delivery.received_at = kNow - 30;
      delivery.applied_at = kNow - 29;
      delivery.outcome = "applied: synced a/one";
      item.last_delivery = delivery;
    }
    status.connections.push_back(item);
    return common::Result<query::IntegrationStatus>(status);
  };
  sources.reconciliation = [] {
    ReconciliationState state;
    state.every = 900;
    state.last_run_at = kNow - 100;
    state.last_error = "acme/api: 503";
    state.lag = 1000;
    return state;
  };
  return sources;
}

TEST(GraphqlResolverTest, AnIncidentToolsConnectionShowsItsServicesAndSync) {
  GraphqlSources sources;
  sources.integrations = [](const auth::Principal&) {
    query::IntegrationStatus status;
    status.every_project = true;
    query::ConnectionStatus host;
    host.connection.id = 4;
    status.connections.push_back(host);
    query::ConnectionStatus tool;
    tool.connection.id = 5;
    tool.connection.provider = model::Provider::kPagerDuty;
    tool.last_sync_at = kNow - 600;
    tool.incident_tool = query::IncidentToolStatus{3,
                                                   2,
                                                   1,
                                                   {"P1", "P2"},
                                                   query::IncidentSyncState::kSynced,
                                                   query::ChangeEventCounts{1, 41, 2, 1}};
    status.connections.push_back(tool);
    return common::Result<query::IntegrationStatus>(status);
  };
  EXPECT_EQ(Ask(ReaderOfAll(), R"({ integrations { connections { id provider lastSyncAt
      incidentTool { services mappedServices configuredServices counts sync
      changeEvents { services sent pending failed } } } } })",
                std::chrono::milliseconds(10'000), sources),
            json::parse(R"({"data":{"integrations":{"connections":[
      {"id":4,"provider":"bitbucket-cloud","lastSyncAt":null,"incidentTool":null},
      {"id":5,"provider":"pagerduty","lastSyncAt":"2025-11-30T23:50:00Z","incidentTool":{
        "services":3,"mappedServices":2,"configuredServices":1,"counts":["P1","P2"],
        "sync":"synced","changeEvents":{"services":1,"sent":41,"pending":2,"failed":1}}}]}}})"));
}

TEST(GraphqlResolverTest, IntegrationsAreTheCallersConnectionsAndThePoll) {
  const std::string query = R"({ integrations { connections { id name provider url connected
      checkedAt selectedRepositories lastSyncAt lastWebhook { receivedAt event outcome detail } }
      reconciliation { everySeconds lastRunAt lastRunOk error lagSeconds } } })";
  std::vector<auth::Principal> asked;
  const auto budget = std::chrono::milliseconds(10'000);
  EXPECT_EQ(Ask(ReaderOfAll(), query, budget, FakeSources(&asked)), json::parse(R"({"data":{
      "integrations":{"connections":[{"id":4,"name":"bitbucket-cloud/acme",
        "provider":"bitbucket-cloud","url":"https://api.bitbucket.org/2.0","connected":true,
        "checkedAt":null,"selectedRepositories":2,"lastSyncAt":"2025-11-30T23:59:00Z",
        "lastWebhook":{"receivedAt":"2025-11-30T23:59:30Z","event":"repo:push",
          "outcome":"applied","detail":"synced a/one"}}],
      "reconciliation":{"everySeconds":900,"lastRunAt":"2025-11-30T23:58:20Z","lastRunOk":false,
        "error":"acme/api: 503","lagSeconds":1000}}}})"));
  // The source is asked for the caller's; a token of one project is not shown the poll.
  const json own = Ask(ReaderOf("pa", 1), query, budget, FakeSources(&asked));
  ASSERT_EQ(asked.size(), 2u);
  EXPECT_EQ(asked[1].token_name, "reader-pa");
  EXPECT_EQ(own["data"]["integrations"]["reconciliation"], nullptr);
  EXPECT_EQ(own["data"]["integrations"]["connections"][0]["selectedRepositories"], 1);
  EXPECT_EQ(own["data"]["integrations"]["connections"][0]["lastWebhook"], nullptr);
  // A poll that is off has every field null.
  GraphqlSources off = FakeSources(&asked);
  off.reconciliation = [] { return ReconciliationState(); };
  EXPECT_EQ(Ask(ReaderOfAll(), R"({ integrations { reconciliation {
      everySeconds lastRunAt lastRunOk error lagSeconds } } })",
                budget, off)["data"]["integrations"]["reconciliation"],
            json::parse(R"({"everySeconds":null,"lastRunAt":null,"lastRunOk":null,"error":null,
                "lagSeconds":null})"));
  // A store that fails, or none, is an error of the field alone.
  GraphqlSources failing = FakeSources(&asked);
  failing.integrations = [](const auth::Principal&) {
    return common::Result<query::IntegrationStatus>(common::Status::Unavailable("store is busy"));
  };
  const json failed = Ask(ReaderOfAll(), R"({ integrations { connections { id } }
      viewer { tokenName } })",
                          budget, failing);
  EXPECT_EQ(failed["data"],
            json::parse(R"({"integrations":null,"viewer":{"tokenName":"reader-all"}})"));
  EXPECT_EQ(failed["errors"][0]["message"], "store is busy");
  EXPECT_EQ(failed["errors"][0]["path"], json::array({"integrations"}));
  EXPECT_EQ(Ask(ReaderOfAll(), "{ integrations { connections { id } } }")["errors"][0]["message"],
            "integrations: this server does not read them");
}

}  // namespace
}  // namespace leadline::api
