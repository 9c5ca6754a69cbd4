// End-to-end tests of the GraphQL API under `leadline serve`: GraphQL over HTTP, the same gate
// and audit as the REST API, the same numbers as the REST API, and a token of project "pa" that
// learns nothing of project "pb".
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "serve_cli_fixture.h"

namespace leadline::testing {
namespace {

class GraphqlApiTest : public ReadApiTest {
 protected:
  // Incidents of both projects' repositories: two of acme/repo-1 (one resolved, one open), one of
  // acme/repo-2.
  void BeforeServe() override {
    const auto at = [](int days_ago) {
      return common::FormatRfc3339(common::NowUnixSeconds() - days_ago * common::kDay);
    };
    const std::string file = dir_.Child("incidents.json");
    std::ofstream(file) << R"({"incidents": [
        {"id": "INC-1", "repository": "acme/repo-1", "service": "checkout", "severity": "P1",
         "title": "Checkout fails", "started_at": ")"
                        << at(5) << R"(", "acknowledged_at": ")" << at(5)
                        << R"(", "link": "https://acme.pagerduty.com/incidents/Q1",)"
                        << R"( "resolved_at": ")" << at(4) << R"("},
        {"id": "INC-2", "repository": "acme/repo-1", "severity": "P2", "title": "Slow search",
         "started_at": ")"
                        << at(2) << R"("},
        {"id": "INC-3", "repository": "acme/repo-2", "severity": "P1", "title": "Billing down",
         "started_at": ")"
                        << at(3) << R"("}]})";
    const LeadlineRun imported = Leadline("incidents import " + file);
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
  }
  // Every node of a repository's list (`list`: pullRequests or incidents), page after page of
  // `first`, as `token` sees them.
  nlohmann::json AllNodes(const std::string& token, const std::string& repository,
                          const std::string& list, const std::string& fields, int first = 7) {
    nlohmann::json nodes = nlohmann::json::array();
    nlohmann::json after = nullptr;
    for (int pages = 0; pages < 100; ++pages) {
      const auto [status, answer] = Graphql(
          "query($after: String) { repository(fullName: \"" + repository + "\") { " + list +
              "(first: " + std::to_string(first) + ", after: $after) { totalCount nodes { " +
              fields + " } pageInfo { hasNextPage endCursor } } } }",
          token, {{"after", after}});
      EXPECT_EQ(status, 200);
      EXPECT_FALSE(answer.contains("errors")) << answer.dump();
      const nlohmann::json& connection = answer["data"]["repository"][list];
      for (const nlohmann::json& node : connection["nodes"]) nodes.push_back(node);
      if (!connection["pageInfo"]["hasNextPage"].get<bool>()) {
        EXPECT_EQ(connection["totalCount"], nodes.size());
        return nodes;
      }
      after = connection["pageInfo"]["endCursor"];
    }
    ADD_FAILURE() << "more than 100 pages of " << list;
    return nodes;
  }
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

TEST_F(GraphqlApiTest, PullRequestsAndIncidentsAreTheRestApis) {
  // Every pull request, newest opened first; the merged ones are REST's, field for field.
  const nlohmann::json pull_requests =
      AllNodes(reader_a_, "acme/repo-1", "pullRequests",
               "number title state author createdAt mergedAt progress commits commitsEstimated "
               "bot filesChanged linesAdded linesDeleted reviewComments reviewers firstCommitAt "
               "firstReviewAt deployedAt beforeFirstLookback "
               "codingSeconds pickupSeconds reviewSeconds deploySeconds totalSeconds");
  ASSERT_GT(pull_requests.size(), 1u);
  std::map<std::int64_t, nlohmann::json> by_number;
  for (std::size_t i = 0; i < pull_requests.size(); ++i) {
    const nlohmann::json& pr = pull_requests[i];
    by_number[pr["number"].get<std::int64_t>()] = pr;
    if (i > 0) {
      EXPECT_GE(pull_requests[i - 1]["createdAt"].get<std::string>(),
                pr["createdAt"].get<std::string>());
    }
  }
  EXPECT_EQ(by_number.size(), pull_requests.size());  // each once
  const auto [rest_status, rest] =
      Get("/v1/pull-requests?limit=100&repo=acme/repo-1&" + kWholeHistory, reader_a_);
  ASSERT_EQ(rest_status, 200);
  ASSERT_GT(rest["items"].size(), 0u);
  ASSERT_TRUE(rest["next"].is_null());
  std::size_t merged = 0;
  std::set<std::string> states;
  for (const nlohmann::json& pr : pull_requests) {
    merged += pr["mergedAt"].is_null() ? 0 : 1;
    states.insert(pr["state"].get<std::string>());
  }
  EXPECT_EQ(merged, rest["items"].size());
  EXPECT_GT(states.size(), 1u) << "the double's pull requests are not all merged";
  std::size_t reviewed = 0;
  std::size_t commented = 0;
  for (const nlohmann::json& item : rest["items"]) {
    const nlohmann::json& pr = by_number[item["number"].get<std::int64_t>()];
    ASSERT_FALSE(pr.is_null()) << item.dump();
    for (const auto& [ours, theirs] : std::vector<std::pair<std::string, std::string>>{
             {"title", "title"},
             {"state", "state"},
             {"author", "author"},
             {"createdAt", "created_at"},
             {"mergedAt", "merged_at"},
             {"progress", "progress"},
             {"commits", "commits"},
             {"commitsEstimated", "commits_estimated"},
             {"bot", "bot"},
             {"filesChanged", "files_changed"},
             {"linesAdded", "lines_added"},
             {"linesDeleted", "lines_deleted"},
             {"reviewComments", "review_comments"},
             {"reviewers", "reviewers"},
             {"firstCommitAt", "first_commit_at"},
             {"firstReviewAt", "first_review_at"},
             {"deployedAt", "deployed_at"},
             {"beforeFirstLookback", "before_first_lookback"},
             {"codingSeconds", "coding_s"},
             {"pickupSeconds", "pickup_s"},
             {"reviewSeconds", "review_s"},
             {"deploySeconds", "deploy_s"},
             {"totalSeconds", "total_s"}}) {
      EXPECT_EQ(pr[ours], item[theirs]) << ours << " of " << item.dump();
    }
    EXPECT_EQ(pr["state"], "MERGED");
    EXPECT_NE(pr["title"], "") << item.dump();
    reviewed += pr["reviewSeconds"].is_null() ? 0 : 1;
    commented += pr["reviewComments"].get<int>() > 0 ? 1 : 0;
  }
  EXPECT_GT(reviewed, 0u);   // the stages compared are not all null
  EXPECT_GT(commented, 0u);  // nor the review activity

  // The incidents, in REST's order, field for field.
  const nlohmann::json incidents =
      AllNodes(reader_a_, "acme/repo-1", "incidents",
               "id source service severity title startedAt acknowledgedAt resolvedAt link linkedBy "
               "deployment notTied",
               1);
  const auto [incidents_status, rest_incidents] =
      Get("/v1/incidents?limit=100&repo=acme/repo-1&" + kWholeHistory, reader_a_);
  ASSERT_EQ(incidents_status, 200);
  ASSERT_EQ(incidents.size(), 2u) << incidents.dump();
  ASSERT_EQ(rest_incidents["items"].size(), incidents.size()) << rest_incidents.dump();
  EXPECT_EQ(incidents[0]["id"], "INC-2");
  EXPECT_EQ(incidents[0]["resolvedAt"], nullptr);
  EXPECT_EQ(incidents[1]["service"], "checkout");
  EXPECT_EQ(incidents[1]["link"], "https://acme.pagerduty.com/incidents/Q1");
  EXPECT_EQ(incidents[1]["acknowledgedAt"], incidents[1]["startedAt"]);
  EXPECT_EQ(incidents[0]["link"], nullptr);
  EXPECT_EQ(incidents[0]["acknowledgedAt"], nullptr);
  for (std::size_t i = 0; i < incidents.size(); ++i) {
    const nlohmann::json& item = rest_incidents["items"][i];
    for (const auto& [ours, theirs] :
         std::vector<std::pair<std::string, std::string>>{{"id", "id"},
                                                          {"source", "source"},
                                                          {"service", "service"},
                                                          {"severity", "severity"},
                                                          {"title", "title"},
                                                          {"startedAt", "started_at"},
                                                          {"acknowledgedAt", "acknowledged_at"},
                                                          {"resolvedAt", "resolved_at"},
                                                          {"link", "link"},
                                                          {"linkedBy", "linked_by"},
                                                          {"deployment", "deployment"},
                                                          {"notTied", "not_tied"}}) {
      EXPECT_EQ(incidents[i][ours], item[theirs]) << ours << " of " << item.dump();
    }
    // An incident no rule tied says why; a tied one does not.
    EXPECT_EQ(item["not_tied"].is_null(), item["linked_by"] != "none") << item.dump();
  }
}

// Every ```graphql example of docs/graphql.md answers without an error, given values for its
// variables by their names: the documented queries stay valid as the schema changes.
TEST_F(GraphqlApiTest, TheDocumentedExamplesAnswerWithoutErrors) {
  const std::string docs = ReadWholeFile(std::string(LEADLINE_SOURCE_DIR) + "/docs/graphql.md");
  const nlohmann::json values = {
      {"repo", "acme/repo-1"},
      {"from", common::FormatRfc3339(common::NowUnixSeconds() - 30 * common::kDay).substr(0, 10)},
      {"to", common::FormatRfc3339(common::NowUnixSeconds()).substr(0, 10)},
      {"after", nullptr}};
  int examples = 0;
  for (std::size_t at = 0; (at = docs.find("```graphql\n", at)) != std::string::npos;) {
    const std::size_t begin = at + 11;
    const std::size_t end = docs.find("```", begin);
    ASSERT_NE(end, std::string::npos);
    const std::string query = docs.substr(begin, end - begin);
    at = end + 3;
    if (query.find("query") != 0) continue;  // a fragment of the schema, not a request
    ++examples;
    nlohmann::json variables = nlohmann::json::object();
    for (const auto& [name, value] : values.items()) {
      if (query.find("$" + name + ":") != std::string::npos) variables[name] = value;
    }
    const auto [status, answer] = Graphql(query, reader_all_, variables);
    EXPECT_EQ(status, 200) << query;
    EXPECT_FALSE(answer.contains("errors")) << query << answer.dump();
    EXPECT_TRUE(answer["data"].is_object()) << query << answer.dump();
  }
  EXPECT_GE(examples, 3) << "the release check, the portfolio and the waiting pull requests";
}

TEST_F(GraphqlApiTest, ATokenOfOneProjectLearnsNothingOfAnother) {
  // Another project's repository and project are errors worded as for names that do not exist.
  for (const auto& [field, theirs, none] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"repository(fullName: \"%\") { fullName deployments(first: 5) { totalCount } }",
            "acme/repo-2", "acme/none"},
           {"repository(fullName: \"%\") { pullRequests(first: 5) { totalCount nodes { title } } "
            "incidents(first: 5) { totalCount nodes { id title } } }",
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

  // B's pull requests and incidents: the token of every project sees them; A's token learns
  // nothing from their cursors, which page B's lists only, and are refused on A's own lists as
  // any cursor of another list is.
  for (const std::string list : {"pullRequests", "incidents"}) {
    const std::string page =
        "query($after: String, $repo: String!) { repository(fullName: $repo) "
        "{ " +
        list + "(first: 1, after: $after) { totalCount pageInfo { endCursor } } } }";
    const auto [b_status, b] = Graphql(page, reader_all_, {{"repo", "acme/repo-2"}});
    ASSERT_FALSE(b.contains("errors")) << b.dump();
    EXPECT_GT(b["data"]["repository"][list]["totalCount"], 0) << list;
    const nlohmann::json their_cursor = b["data"]["repository"][list]["pageInfo"]["endCursor"];
    const auto [theirs_status, theirs] =
        Graphql(page, reader_a_, {{"repo", "acme/repo-2"}, {"after", their_cursor}});
    const auto [none_status, none] =
        Graphql(page, reader_a_, {{"repo", "acme/none"}, {"after", their_cursor}});
    EXPECT_EQ(theirs["errors"][0]["extensions"]["code"], "NOT_FOUND") << theirs.dump();
    EXPECT_EQ(Without(theirs, "acme/repo-2"), Without(none, "acme/none"));
    const auto [own_status, own] =
        Graphql(page, reader_a_, {{"repo", "acme/repo-1"}, {"after", their_cursor}});
    EXPECT_EQ(own["data"]["repository"], nullptr) << own.dump();
    EXPECT_EQ(own["errors"][0]["extensions"]["code"], "BAD_USER_INPUT") << own.dump();
    EXPECT_EQ(own["errors"][0]["message"],
              "after: not a cursor of this list; pass a pageInfo.endCursor of the same list as it "
              "is");
  }
}

// What the dashboard's screens ask GraphQL for (web/src/api/queries.ts) answers as the REST calls
// they replaced, for a token of every project and one of project "pa".
TEST_F(GraphqlApiTest, TheDashboardsScreensAnswerAsTheRestCallsTheyReplaced) {
  using nlohmann::json;
  const auto or_null = [](const json& object, const char* key) {
    return object.contains(key) ? object[key] : json(nullptr);
  };
  for (const std::string& token : {reader_all_, reader_a_}) {
    SCOPED_TRACE(token == reader_a_ ? "reader-a" : "reader-all");
    // The integrations screen: the connections and the poll, and the doctor's findings.
    const auto [status, answer] = Graphql(R"({
        integrations { connections { id name provider url connected checkedAt
          selectedRepositories lastSyncAt lastWebhook { receivedAt event outcome detail } }
          reconciliation { everySeconds lastRunAt lastRunOk error lagSeconds } }
        dataQuality(window: "all") { repository { fullName }
          findings { check severity message fix } } })",
                                          token);
    ASSERT_EQ(status, 200);
    ASSERT_FALSE(answer.contains("errors")) << answer.dump();
    const auto [rest_status, rest] = Get("/v1/integrations", token);
    ASSERT_EQ(rest_status, 200);
    const json& integrations = answer["data"]["integrations"];
    ASSERT_EQ(integrations["connections"].size(), rest["connections"].size());
    ASSERT_GT(rest["connections"].size(), 0u);
    for (std::size_t i = 0; i < rest["connections"].size(); ++i) {
      const json& c = rest["connections"][i];
      json webhook = nullptr;
      if (!c["last_webhook"].is_null()) {
        webhook = {{"receivedAt", c["last_webhook"]["received_at"]},
                   {"event", c["last_webhook"]["event"]},
                   {"outcome", c["last_webhook"]["outcome"]},
                   {"detail", c["last_webhook"]["detail"]}};
      }
      EXPECT_EQ(integrations["connections"][i],
                json({{"id", c["id"]},
                      {"name", c["name"]},
                      {"provider", c["provider"]},
                      {"url", c["url"]},
                      {"connected", c["connected"]},
                      {"checkedAt", c["checked_at"]},
                      {"selectedRepositories", c["selected_repositories"]},
                      {"lastSyncAt", c["last_sync_at"]},
                      {"lastWebhook", webhook}}));
    }
    if (token == reader_a_) {
      EXPECT_TRUE(rest["reconciliation"].is_null());
      EXPECT_TRUE(integrations["reconciliation"].is_null()) << integrations.dump();
    } else {
      const json& poll = rest["reconciliation"];
      const json& ours = integrations["reconciliation"];
      EXPECT_EQ(ours["everySeconds"], poll["every_s"]);
      EXPECT_EQ(ours["lastRunAt"], poll["last_run_at"]);
      EXPECT_EQ(ours["lastRunOk"], poll["last_run_ok"]);
      EXPECT_EQ(ours["error"], poll["error"]);
      EXPECT_TRUE(ours["lagSeconds"].is_number_integer()) << ours.dump();  // it grows meanwhile
    }
    const auto [doctor_status, doctor] = Get("/v1/doctor?window=all", token);
    ASSERT_EQ(doctor_status, 200);
    json expected = json::array();
    for (const json& item : doctor["items"]) {
      expected.push_back(
          {{"repository", {{"fullName", item["repository"]}}}, {"findings", item["findings"]}});
    }
    EXPECT_EQ(answer["data"]["dataQuality"], expected);

    // The dashboard's deployments: the list of GET /v1/deployments over the same window, in the
    // same order, page after page; and its failed ones.
    for (const bool failed : {false, true}) {
      const auto [list_status, list] =
          Get("/v1/deployments?limit=100&failed=" + std::string(failed ? "true" : "false") + "&" +
                  kWholeHistory,
              token);
      ASSERT_EQ(list_status, 200);
      json nodes = json::array();
      json after = nullptr;
      for (int page = 0; page < 100; ++page) {
        const auto [page_status, page_answer] = Graphql(
            R"(query($after: String, $since: String, $until: String, $failed: Boolean) {
            deployments(first: 1, after: $after, since: $since, until: $until, failed: $failed) {
              totalCount pageInfo { hasNextPage endCursor }
              nodes { repository { fullName } ref sha finishedAt status changeCount
                leadTimeMedianSeconds failed restoredBy restoredByIncident recoverySeconds
                failureReasons { reason commit revertedCommit branch incident linkedBy } } } })",
            token,
            {{"after", after},
             {"since", common::FormatRfc3339(kWholeHistorySince)},
             {"until", common::FormatRfc3339(kWholeHistoryUntil)},
             {"failed", failed}});
        ASSERT_EQ(page_status, 200);
        ASSERT_FALSE(page_answer.contains("errors")) << page_answer.dump();
        const json& connection = page_answer["data"]["deployments"];
        EXPECT_EQ(connection["totalCount"], list["items"].size());
        for (const json& node : connection["nodes"]) nodes.push_back(node);
        if (!connection["pageInfo"]["hasNextPage"].get<bool>()) break;
        after = connection["pageInfo"]["endCursor"];
      }
      ASSERT_EQ(nodes.size(), list["items"].size());
      if (!failed && token == reader_all_) {
        ASSERT_GT(nodes.size(), 1u);  // more than one page
      }
      for (std::size_t i = 0; i < nodes.size(); ++i) {
        const json& d = list["items"][i];
        json reasons = json::array();
        for (const json& r : d["failure_reasons"]) {
          reasons.push_back({{"reason", r["reason"]},
                             {"commit", or_null(r, "commit")},
                             {"revertedCommit", or_null(r, "reverted_commit")},
                             {"branch", or_null(r, "branch")},
                             {"incident", or_null(r, "incident")},
                             {"linkedBy", or_null(r, "linked_by")}});
        }
        EXPECT_EQ(nodes[i], json({{"repository", {{"fullName", d["repository"]}}},
                                  {"ref", d["ref"]},
                                  {"sha", d["sha"]},
                                  {"finishedAt", d["finished_at"]},
                                  {"status", d["status"]},
                                  {"changeCount", d["change_count"]},
                                  {"leadTimeMedianSeconds", d["lead_time_median_s"]},
                                  {"failed", d["failed"]},
                                  {"restoredBy", d["restored_by"]},
                                  {"restoredByIncident", d["restored_by_incident"]},
                                  {"recoverySeconds", d["recovery_s"]},
                                  {"failureReasons", reasons}}))
            << i;
      }
    }
  }
  // Another project's scope is one that does not exist, word for word.
  for (const auto& [field, theirs, none] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"deployments(first: 5, repository: \"%\") { totalCount }", "acme/repo-2", "acme/none"},
           {"deployments(first: 5, project: \"%\") { totalCount }", "pb", "pz"},
           {"dataQuality(repository: \"%\") { findings { check } }", "acme/repo-2", "acme/none"},
           {"dataQuality(project: \"%\") { findings { check } }", "pb", "pz"}}) {
    const auto ask = [&, field = field](const std::string& name) {
      std::string query = "{ " + field + " }";
      query.replace(query.find('%'), 1, name);
      return Graphql(query, reader_a_).second;
    };
    const json theirs_answer = ask(theirs);
    EXPECT_EQ(theirs_answer["errors"][0]["extensions"]["code"], "NOT_FOUND")
        << theirs_answer.dump();
    EXPECT_EQ(Without(theirs_answer, theirs), Without(ask(none), none));
  }
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

TEST_F(GraphqlApiTest, BranchesTagsAndBuildsAreTheSyncedOnes) {
  const std::string repo_id = Query("SELECT id FROM repositories WHERE location = 'acme/repo-1'");
  const auto [status, answer] = Graphql(R"({ repository(fullName: "acme/repo-1") {
      defaultBranch branches(first: 100) { totalCount nodes { name isDefault } }
      tags(first: 100) { totalCount } builds(first: 100) { totalCount nodes { sha state } } } })",
                                        reader_a_);
  ASSERT_EQ(status, 200);
  ASSERT_FALSE(answer.contains("errors")) << answer.dump();
  const nlohmann::json& repo = answer["data"]["repository"];
  EXPECT_EQ(std::to_string(repo["branches"]["totalCount"].get<int>()),
            Query("SELECT COUNT(*) FROM refs WHERE kind = 'branch' AND repo_id = " + repo_id));
  EXPECT_EQ(std::to_string(repo["tags"]["totalCount"].get<int>()),
            Query("SELECT COUNT(*) FROM refs WHERE kind = 'tag' AND repo_id = " + repo_id));
  EXPECT_EQ(std::to_string(repo["builds"]["totalCount"].get<int>()),
            Query("SELECT COUNT(*) FROM pipelines WHERE repo_id = " + repo_id));
  EXPECT_GT(repo["builds"]["totalCount"].get<int>(), 0) << "the double runs pipelines";
  int defaults = 0;
  for (const nlohmann::json& branch : repo["branches"]["nodes"]) {
    if (branch["isDefault"].get<bool>()) {
      ++defaults;
      EXPECT_EQ(branch["name"], repo["defaultBranch"]);
    }
  }
  EXPECT_EQ(defaults, 1);
  // Another project's repository's lists are not there at all.
  const auto [other_status, other] = Graphql(
      R"({ repository(fullName: "acme/repo-2") { builds(first: 1) { totalCount } } })", reader_a_);
  EXPECT_EQ(other["data"]["repository"], nullptr);
  EXPECT_EQ(other["errors"][0]["extensions"]["code"], "NOT_FOUND");
}

TEST_F(GraphqlApiTest, AutomaticPersistedQueriesAreKeptByTheirHash) {
  const std::string query = "{ viewer { tokenName } }";
  const std::string hash = "1db0f3851ee4db3491afc42e100d31b4a99bb41d78659865ff51577c6449c53d";
  const nlohmann::json extensions = {{"persistedQuery", {{"version", 1}, {"sha256Hash", hash}}}};
  const auto post = [&](const nlohmann::json& body) {
    auto response = client_->Post("/graphql", Bearer(reader_a_), body.dump(), "application/json");
    EXPECT_TRUE(response);
    return std::pair{
        response ? response->status : 0,
        response ? nlohmann::json::parse(response->body, nullptr, false) : nlohmann::json()};
  };
  // The hash alone, before the server has the document: the client is told to send it.
  auto [status, answer] = post({{"extensions", extensions}});
  EXPECT_EQ(status, 200);
  EXPECT_EQ(answer["errors"][0]["message"], "PersistedQueryNotFound") << answer.dump();
  EXPECT_EQ(answer["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND");
  std::tie(status, answer) = post({{"query", query}, {"extensions", extensions}});
  EXPECT_EQ(status, 200);
  EXPECT_EQ(answer["data"]["viewer"]["tokenName"], "reader-a") << answer.dump();
  std::tie(status, answer) = post({{"extensions", extensions}});
  EXPECT_EQ(answer["data"]["viewer"]["tokenName"], "reader-a") << answer.dump();
  // GET with the hash in `extensions`.
  auto get =
      client_->Get("/graphql?extensions=" + httplib::detail::encode_query_param(extensions.dump()),
                   Bearer(reader_a_));
  ASSERT_TRUE(get);
  EXPECT_EQ(nlohmann::json::parse(get->body)["data"]["viewer"]["tokenName"], "reader-a");
  // A hash that is not the document's, and a malformed one.
  std::tie(status, answer) = post({{"query", "{ projects { name } }"}, {"extensions", extensions}});
  EXPECT_EQ(status, 400);
  EXPECT_EQ(answer["errors"][0]["extensions"]["code"], "BAD_USER_INPUT") << answer.dump();
  std::tie(status, answer) =
      post({{"extensions", {{"persistedQuery", {{"version", 1}, {"sha256Hash", "XYZ"}}}}}});
  EXPECT_EQ(status, 400);
}

class GraphqlAllowListTest : public GraphqlApiTest {
 protected:
  std::string ServeArguments() const override {
    const std::string manifest = dir_.Child("manifest.json");
    std::ofstream(manifest) << nlohmann::json{
        {"format", "apollo-persisted-query-manifest"},
        {"version", 1},
        {"operations",
         {{{"id", "1db0f3851ee4db3491afc42e100d31b4a99bb41d78659865ff51577c6449c53d"},
           {"name", "Viewer"},
           {"type", "query"},
           {"body", "{ viewer { tokenName } }"}}}}};
    return "--graphql-allow-list " + ShellQuote(manifest);
  }
};

TEST_F(GraphqlAllowListTest, OnlyTheListedDocumentsRun) {
  auto [status, answer] = Graphql("{ viewer { tokenName } }", reader_a_);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(answer["data"]["viewer"]["tokenName"], "reader-a") << answer.dump();
  std::tie(status, answer) = Graphql("{ projects { name } }", reader_a_);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(answer["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_LISTED")
      << answer.dump();
  EXPECT_FALSE(answer.contains("data"));
}

}  // namespace
}  // namespace leadline::testing
