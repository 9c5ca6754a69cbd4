// End-to-end tests of what a write token may change: a token of one project can create, change
// or move no deployment or incident of another, whatever id it reuses; and pushed bodies over
// the bounds are refused. The real `leadline serve` over repositories of the Bitbucket double.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "serve_cli_fixture.h"
#include "store/store.h"

namespace {

using leadline::testing::Bearer;
using leadline::testing::kWholeHistory;
using leadline::testing::LeadlineRun;
using leadline::testing::ReadApiTest;
using leadline::testing::ShellQuote;
using nlohmann::json;

// acme/repo-1 is project "pa", acme/repo-2 project "pb" (ServeCliTest::SetUpProjects).
class WriteScopeTest : public ReadApiTest {
 protected:
  void SetUp() override {
    ReadApiTest::SetUp();
    writer_a_ = Token("--name writer-a --scopes write:events --projects pa");
    writer_b_ = Token("--name writer-b --scopes write:events --projects pb");
    writer_all_ = Token("--name writer-all --scopes write:events");
    reader_b_ = Token("--name reader-b --scopes read --projects pb");
  }
  std::pair<int, json> Post(const std::string& path, const std::string& body,
                            const std::string& token) {
    auto response = client_->Post(path, Bearer(token), body, "application/json");
    EXPECT_TRUE(response) << path;
    if (!response) return {0, json()};
    return {response->status, json::parse(response->body, nullptr, false)};
  }
  // Waits until the read view answers `path` with an item `matches` accepts (the view is rebuilt
  // in the background after a push); returns that item.
  template <typename Matches>
  json AwaitItem(const std::string& path, const std::string& token, Matches matches) {
    for (int i = 0; i < 100; ++i) {
      const json answer = Get(path, token).second;
      for (const json& item : answer["items"]) {
        if (matches(item)) return item;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "no matching item in " << path;
    return json();
  }

  std::string writer_a_, writer_b_, writer_all_, reader_b_;
};

// Times inside the tests' window: minutes after a moment two days before its end.
std::string At(int minutes) {
  return leadline::common::FormatRfc3339(leadline::testing::kWholeHistoryUntil -
                                         2 * leadline::common::kDay + minutes * 60);
}

std::string Incident(const std::string& id, const std::string& link, const std::string& title,
                     const std::string& resolved_at = "") {
  return R"({"id": ")" + id + R"(", )" + link + R"(, "severity": "P1", "title": ")" + title +
         R"(", "started_at": ")" + At(0) + R"(")" +
         (resolved_at.empty() ? "" : R"(, "resolved_at": ")" + resolved_at + R"(")") + "}";
}
std::string InRepository(const std::string& repository) {
  return R"("repository": ")" + repository + R"(")";
}

TEST_F(WriteScopeTest, AProjectsTokenCannotCreateChangeOrMoveAnotherProjectsIncident) {
  auto [status, body] = Post(
      "/v1/incidents", Incident("INC-7", InRepository("acme/repo-2"), "B's outage"), writer_b_);
  ASSERT_EQ(status, 200) << body.dump();

  // Moving B's incident into A's repository: as if there were none A may change.
  std::tie(status, body) =
      Post("/v1/incidents", Incident("INC-7", InRepository("acme/repo-1"), "A's now"), writer_a_);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(body["error"], "no incident 'INC-7' in the token's projects");
  // Changing it where it is, or creating one there: as if the repository did not exist.
  for (const std::string id : {"INC-7", "INC-8"}) {
    for (const std::string repository : {"acme/repo-2", "acme/none"}) {
      std::tie(status, body) = Post(
          "/v1/incidents", Incident(id, InRepository(repository), "changed", At(5)), writer_a_);
      EXPECT_EQ(status, 404) << id << " " << repository;
      EXPECT_EQ(body["error"], "no repository '" + repository + "'");
    }
  }
  // All or none: A's own incident beside a refused one is not stored either.
  std::tie(status, body) = Post("/v1/incidents",
                                "[" + Incident("INC-9", InRepository("acme/repo-1"), "A's") + "," +
                                    Incident("INC-7", InRepository("acme/repo-1"), "A's now") + "]",
                                writer_a_);
  EXPECT_EQ(status, 404) << body.dump();

  // An incident given by service alone is changed only by a token of every project.
  std::tie(status, body) =
      Post("/v1/incidents", Incident("INC-S", R"("service": "repo-2")", "by service"), writer_all_);
  ASSERT_EQ(status, 200) << body.dump();
  std::tie(status, body) =
      Post("/v1/incidents", Incident("INC-S", InRepository("acme/repo-1"), "A's now"), writer_a_);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(body["error"], "no incident 'INC-S' in the token's projects");

  // The same id imported from a file is another incident: A's repository's.
  const std::string file = dir_.Child("incidents.json");
  std::ofstream(file) << Incident("INC-7", InRepository("acme/repo-1"), "imported");
  const LeadlineRun imported = Leadline("incidents import " + ShellQuote(file));
  ASSERT_EQ(imported.exit_code, 0) << imported.err;

  // B still changes its own; B's reader then sees it as B sent it, never A's attempts.
  std::tie(status, body) =
      Post("/v1/incidents", Incident("INC-7", InRepository("acme/repo-2"), "B's outage", At(60)),
           writer_b_);
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["changed"], 1);
  const std::string incidents = std::string("/v1/incidents?") + kWholeHistory;
  const json seen = AwaitItem(incidents, reader_b_, [](const json& item) {
    return item["id"] == "INC-7" && !item["resolved_at"].is_null();
  });
  EXPECT_EQ(seen["repository"], "acme/repo-2");
  EXPECT_EQ(seen["resolved_at"], At(60));
  const json b_sees = Get(incidents, reader_b_).second;
  for (const json& item : b_sees["items"]) {
    EXPECT_NE(item["id"], "INC-8");
    EXPECT_NE(item["id"], "INC-9");
  }
  const json a_sees = Get(incidents, reader_a_).second["items"];
  ASSERT_EQ(a_sees.size(), 1u) << a_sees.dump();
  EXPECT_EQ(a_sees[0]["id"], "INC-7");  // the imported one
  EXPECT_EQ(a_sees[0]["repository"], "acme/repo-1");

  // Everything stored, exactly.
  const LeadlineRun listed = Leadline("incidents list --format json");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  json stored;
  for (const json& item : json::parse(listed.out)) {
    stored[item["source"].get<std::string>() + ":" + item["id"].get<std::string>()] =
        json{item["repository"], item["title"], item["resolved_at"]};
  }
  EXPECT_EQ(stored, json::parse(R"({
    "api:INC-7": ["acme/repo-2", "B's outage", ")" +
                                At(60) + R"("],
    "api:INC-S": ["", "by service", null],
    "import:INC-7": ["acme/repo-1", "imported", null]})"));
}

std::string Deployment(const std::string& id, const std::string& repository, const std::string& sha,
                       const std::string& status, const std::string& pipeline) {
  return R"({"id": ")" + id + R"(", "repository": ")" + repository +
         R"(", "environment": "production", "commit": ")" + sha + R"(", "status": ")" + status +
         R"(", "finished_at": ")" + At(0) + R"(", "pipeline_id": ")" + pipeline +
         R"(", "run_id": "1"})";
}

TEST_F(WriteScopeTest, AProjectsTokenCannotCreateOrChangeAnotherProjectsDeployment) {
  const auto sha_of = [&](const std::string& repository) -> std::string {
    return Get("/v1/deployments?repo=" + repository + "&" + kWholeHistory, reader_all_)
        .second["items"][0]["sha"];
  };
  const std::string sha_1 = sha_of("acme/repo-1"), sha_2 = sha_of("acme/repo-2");
  auto [status, body] = Post(
      "/v1/deployments", Deployment("d-7", "acme/repo-2", sha_2, "success", "deploy-b"), writer_b_);
  ASSERT_EQ(status, 200) << body.dump();

  // Changing B's deployment, or adding one to B's repository: as if it did not exist.
  for (const std::string id : {"d-7", "d-8"}) {
    for (const std::string repository : {"acme/repo-2", "acme/none"}) {
      std::tie(status, body) = Post(
          "/v1/deployments", Deployment(id, repository, sha_2, "failed", "deploy-a"), writer_a_);
      EXPECT_EQ(status, 404) << id << " " << repository;
      EXPECT_EQ(body["error"], "no repository '" + repository + "'");
    }
  }
  std::tie(status, body) =
      Post("/v1/deployments",
           "[" + Deployment("d-9", "acme/repo-1", sha_1, "failed", "deploy-a") + "," +
               Deployment("d-10", "acme/repo-2", sha_2, "failed", "deploy-a") + "]",
           writer_a_);
  EXPECT_EQ(status, 404) << body.dump();
  // Reusing B's id in A's own repository makes A's own deployment: ids are per repository.
  std::tie(status, body) = Post(
      "/v1/deployments", Deployment("d-7", "acme/repo-1", sha_1, "failed", "deploy-a"), writer_a_);
  ASSERT_EQ(status, 200) << body.dump();
  EXPECT_EQ(body["changed"], 1);

  // B's reader sees B's deployment as B sent it, once A's push is in the view.
  AwaitItem(std::string("/v1/deployments?repo=acme/repo-1&") + kWholeHistory, reader_a_,
            [](const json& item) { return item["ref"] == "deploy-a #1"; });
  const json b_sees =
      Get(std::string("/v1/deployments?repo=acme/repo-2&") + kWholeHistory, reader_b_).second;
  int pushed = 0;
  for (const json& item : b_sees["items"]) {
    EXPECT_NE(item["ref"], "deploy-a #1");
    if (item["ref"] != "deploy-b #1") continue;
    ++pushed;
    EXPECT_EQ(item["status"], "success");
  }
  EXPECT_EQ(pushed, 1) << b_sees.dump();

  // Exactly what is stored: one pushed deployment in each repository, d-7 both.
  ASSERT_EQ(server_->Stop(SIGTERM), 0);
  auto store = std::move(leadline::store::OpenStore(db())).value();
  for (const auto& [repository, expected] :
       {std::pair{"acme/repo-1", "deploy-a #1"}, std::pair{"acme/repo-2", "deploy-b #1"}}) {
    const auto repo = *store->repositories().FindRepository("bitbucket-cloud", repository);
    ASSERT_TRUE(repo.has_value()) << repository;
    std::vector<std::string> pushes;
    const auto deployments = *store->pipelines().LoadPlatformDeployments(repo->id);
    for (const auto& d : deployments) {
      if (d.provider == leadline::model::Provider::kPush) {
        pushes.push_back(leadline::model::ProviderKey(d.provider, d.uuid) + " " + d.release_name);
      }
    }
    EXPECT_EQ(pushes, std::vector<std::string>{std::string("push:d-7 ") + expected}) << repository;
  }
}

TEST_F(WriteScopeTest, BodiesOverTheBoundsAreRefusedNamingWhatIsWrong) {
  auto [status, body] = Post("/v1/incidents", "[]", writer_all_);
  EXPECT_EQ(status, 422);
  EXPECT_EQ(body["errors"][0]["message"], "has no incidents") << body.dump();
  std::tie(status, body) = Post("/v1/deployments", R"({"deployments": []})", writer_all_);
  EXPECT_EQ(status, 422);
  EXPECT_EQ(body["errors"][0]["message"], "has no deployments") << body.dump();

  std::tie(status, body) =
      Post("/v1/incidents",
           Incident(std::string(201, 'x'), InRepository("acme/repo-1\\u0000"), "t"), writer_all_);
  EXPECT_EQ(status, 422);
  ASSERT_EQ(body["errors"].size(), 2u) << body.dump();
  EXPECT_EQ(body["errors"][0]["field"], "id");
  EXPECT_EQ(body["errors"][0]["message"], "must be at most 200 bytes, not 201");
  EXPECT_EQ(body["errors"][1]["field"], "repository");

  std::string many = "[";
  for (int i = 0; i <= 1000; ++i) {
    many +=
        (i == 0 ? "" : ",") + Incident("I" + std::to_string(i), InRepository("acme/repo-1"), "");
  }
  std::tie(status, body) = Post("/v1/incidents", many + "]", writer_all_);
  EXPECT_EQ(status, 422);
  EXPECT_EQ(body["errors"][0]["message"], "has 1001 incidents; send at most 1000 in one request");
  const LeadlineRun listed = Leadline("incidents list --format json");
  EXPECT_EQ(json::parse(listed.out).size(), 0u) << listed.out;
}

}  // namespace
