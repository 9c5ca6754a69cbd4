// Tests of the GitLab double itself: its pages, its token checks, its listings and the git
// history its merge requests name, as clients of GitLab would see them over HTTP.
#include "gitlab_double/gitlab_double.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "testing/git_script.h"

namespace leadline::testing {
namespace {

using nlohmann::json;

constexpr const char* kToken = "glpat-personal-token";

httplib::Result Get(const GitLabDouble& gitlab, const std::string& path,
                    const std::string& token = kToken) {
  httplib::Client client("127.0.0.1", gitlab.port());
  httplib::Headers headers;
  if (!token.empty()) headers.emplace("PRIVATE-TOKEN", token);
  return client.Get(gitlab.api_url().substr(gitlab.api_url().find('/', 8)) + path, headers);
}

json Body(const httplib::Result& result) { return json::parse(result->body); }

GitLabDoubleConfig ManyProjects(int count) {
  GitLabDoubleConfig config;
  config.projects.clear();
  for (int i = 1; i <= count; ++i)
    config.projects.push_back("acme/platform/service-" + std::to_string(i));
  return config;
}

TEST(GitLabDoubleTest, OffsetPagesCarryGitLabsHeaders) {
  GitLabDouble gitlab(ManyProjects(45));
  auto first = Get(gitlab, "/projects?membership=true&simple=true&per_page=20");
  ASSERT_EQ(first->status, 200);
  EXPECT_EQ(Body(first).size(), 20u);
  EXPECT_EQ(first->get_header_value("x-page"), "1");
  EXPECT_EQ(first->get_header_value("x-per-page"), "20");
  EXPECT_EQ(first->get_header_value("x-next-page"), "2");
  EXPECT_EQ(first->get_header_value("x-prev-page"), "");
  EXPECT_EQ(first->get_header_value("x-total"), "45");
  EXPECT_EQ(first->get_header_value("x-total-pages"), "3");
  const std::string link = first->get_header_value("Link");
  EXPECT_NE(link.find("page=2&per_page=20>; rel=\"next\""), std::string::npos) << link;
  EXPECT_NE(link.find("rel=\"first\""), std::string::npos) << link;
  EXPECT_NE(link.find("page=3&per_page=20>; rel=\"last\""), std::string::npos) << link;
  EXPECT_EQ(link.find("rel=\"prev\""), std::string::npos) << link;
  // GitLab lists projects newest first unless told otherwise.
  EXPECT_EQ(Body(first)[0]["path_with_namespace"], "acme/platform/service-45");

  auto last = Get(gitlab, "/projects?membership=true&simple=true&per_page=20&page=3");
  EXPECT_EQ(Body(last).size(), 5u);
  EXPECT_EQ(last->get_header_value("x-next-page"), "");
  EXPECT_EQ(last->get_header_value("x-prev-page"), "2");
  EXPECT_EQ(last->get_header_value("Link").find("rel=\"next\""), std::string::npos);

  // per_page is at most 100; a page that is not a number is refused.
  EXPECT_EQ(Get(gitlab, "/projects?per_page=500")->get_header_value("x-per-page"), "100");
  auto bad = Get(gitlab, "/projects?page=two");
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(Body(bad)["error"], "page is invalid");
}

TEST(GitLabDoubleTest, LongListingsLeaveOutTheirTotals) {
  GitLabDoubleConfig config = ManyProjects(12);
  config.total_count_limit = 10;
  GitLabDouble gitlab(config);
  auto page = Get(gitlab, "/projects?per_page=5");
  EXPECT_FALSE(page->has_header("x-total"));
  EXPECT_FALSE(page->has_header("x-total-pages"));
  EXPECT_EQ(page->get_header_value("x-next-page"), "2");
  EXPECT_EQ(page->get_header_value("Link").find("rel=\"last\""), std::string::npos);
}

TEST(GitLabDoubleTest, KeysetPagesLinkOnlyToTheNext) {
  GitLabDouble gitlab(ManyProjects(7));
  std::string path = "/projects?pagination=keyset&order_by=id&sort=asc&per_page=3";
  std::vector<int> ids;
  int pages = 0;
  while (!path.empty()) {
    auto page = Get(gitlab, path);
    ASSERT_EQ(page->status, 200);
    EXPECT_FALSE(page->has_header("x-total"));
    for (const json& project : Body(page)) ids.push_back(project["id"]);
    const std::string link = page->get_header_value("Link");
    path.clear();
    if (!link.empty()) {
      EXPECT_NE(link.find("rel=\"next\""), std::string::npos);
      EXPECT_EQ(link.find("rel=\"first\""), std::string::npos);
      const std::string url = link.substr(1, link.find('>') - 1);
      path = url.substr(url.find("/projects"));
    }
    ASSERT_LE(++pages, 3);
  }
  EXPECT_EQ(ids, (std::vector<int>{101, 102, 103, 104, 105, 106, 107}));
}

TEST(GitLabDoubleTest, TokensAreCheckedAsGitLabChecksThem) {
  GitLabDouble gitlab;
  auto missing = Get(gitlab, "/user", "");
  EXPECT_EQ(missing->status, 401);
  EXPECT_EQ(Body(missing), json({{"message", "401 Unauthorized"}}));
  EXPECT_EQ(Get(gitlab, "/user", "glpat-unknown")->status, 401);

  gitlab.SetToken({"glpat-expired", "old", {"api"}, "2020-01-01", false, false, ""});
  auto expired = Get(gitlab, "/projects", "glpat-expired");
  EXPECT_EQ(expired->status, 401);
  EXPECT_EQ(Body(expired)["error"], "invalid_token");
  gitlab.SetToken({"glpat-revoked", "gone", {"api"}, "", true, false, ""});
  EXPECT_EQ(Get(gitlab, "/projects", "glpat-revoked")->status, 401);

  gitlab.SetToken({"glpat-user-only", "narrow", {"read_user"}, "", false, false, ""});
  EXPECT_EQ(Get(gitlab, "/user", "glpat-user-only")->status, 200);
  auto narrow = Get(gitlab, "/projects", "glpat-user-only");
  EXPECT_EQ(narrow->status, 403);
  EXPECT_EQ(Body(narrow), json({{"error", "insufficient_scope"},
                                {"error_description",
                                 "The request requires higher privileges than provided by the "
                                 "access token."},
                                {"scope", "api read_api"}}));

  // Bearer works as well as PRIVATE-TOKEN.
  httplib::Client client("127.0.0.1", gitlab.port());
  EXPECT_EQ(
      client.Get("/api/v4/user", {{"Authorization", std::string("Bearer ") + kToken}})->status,
      200);

  auto self = Get(gitlab, "/personal_access_tokens/self");
  EXPECT_EQ(Body(self)["scopes"], json({"api", "read_api", "read_repository", "read_user"}));
  EXPECT_EQ(Body(self)["expires_at"], "2099-12-31");
}

TEST(GitLabDoubleTest, AProjectTokenSeesOnlyItsProjectAndCannotManageHooks) {
  GitLabDouble gitlab;
  const std::string bot = "glpat-project-bot-token";
  EXPECT_EQ(Body(Get(gitlab, "/user", bot))["bot"], true);
  auto listed = Body(Get(gitlab, "/projects?membership=true&simple=true", bot));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["path_with_namespace"], "acme/platform/api");
  EXPECT_EQ(Get(gitlab, "/projects/acme%2Fplatform%2Fapi", bot)->status, 200);
  auto other = Get(gitlab, "/projects/acme%2Fweb", bot);
  EXPECT_EQ(other->status, 404);
  EXPECT_EQ(Body(other), json({{"message", "404 Project Not Found"}}));
  auto hooks = Get(gitlab, "/projects/acme%2Fplatform%2Fapi/hooks", bot);
  EXPECT_EQ(hooks->status, 403);
  EXPECT_EQ(Body(hooks)["scope"], "api");
}

TEST(GitLabDoubleTest, ProjectsByIdOrPathAndGroupListings) {
  GitLabDoubleConfig config;
  config.relative_url_root = "/gitlab";
  GitLabDouble gitlab(config);
  EXPECT_EQ(gitlab.url(), "http://127.0.0.1:" + std::to_string(gitlab.port()) + "/gitlab");
  auto api = Body(Get(gitlab, "/projects/acme%2Fplatform%2Fapi"));
  EXPECT_EQ(api["id"], 102);
  EXPECT_EQ(api["http_url_to_repo"], gitlab.clone_url("acme/platform/api"));
  EXPECT_EQ(Body(Get(gitlab, "/projects/102"))["path_with_namespace"], "acme/platform/api");
  EXPECT_EQ(Get(gitlab, "/projects/acme%2Fnothing")->status, 404);

  EXPECT_EQ(Body(Get(gitlab, "/groups/acme/projects")).size(), 1u);
  EXPECT_EQ(Body(Get(gitlab, "/groups/acme/projects?include_subgroups=true")).size(), 3u);
  EXPECT_EQ(Body(Get(gitlab, "/groups/acme%2Fplatform/projects")).size(), 2u);
  EXPECT_EQ(Body(Get(gitlab, "/groups/nobody/projects"))["message"], "404 Group Not Found");
  EXPECT_EQ(Body(Get(gitlab, "/version"))["version"], "17.5.1-ee");
}

TEST(GitLabDoubleTest, MergeRequestsFilterByUpdateAndGrowWhenTimeAdvances) {
  GitLabDoubleConfig config;
  config.merge_requests_per_project = 12;
  GitLabDouble gitlab(config);
  auto all = Body(Get(gitlab, "/projects/101/merge_requests?state=all&per_page=100"));
  ASSERT_EQ(all.size(), 12u);
  EXPECT_EQ(all[0]["iid"], 12);  // newest first by default
  std::set<std::string> states;
  for (const json& mr : all) states.insert(mr["state"]);
  EXPECT_EQ(states, (std::set<std::string>{"opened", "merged", "closed"}));
  EXPECT_NE(all[1]["source_project_id"], all[1]["target_project_id"]);  // 11: from a fork
  EXPECT_EQ(all[5]["draft"], true);                                     // 7

  // updated_after is inclusive.
  const std::string since = all[2]["updated_at"];
  auto recent = Body(Get(gitlab,
                         "/projects/101/merge_requests?state=all&order_by=updated_at"
                         "&sort=asc&updated_after=" +
                             since));
  ASSERT_FALSE(recent.empty());
  EXPECT_EQ(recent[0]["updated_at"], since);
  for (const json& mr : recent) EXPECT_GE(mr["updated_at"].get<std::string>(), since);

  gitlab.Advance(3);
  const std::string newest = all[0]["updated_at"];
  auto added = Body(Get(gitlab,
                        "/projects/101/merge_requests?order_by=updated_at&sort=asc"
                        "&updated_after=" +
                            newest));
  ASSERT_EQ(added.size(), 4u);  // the newest seen, and the three new ones
  EXPECT_EQ(added[3]["iid"], 15);

  auto notes = Body(Get(gitlab, "/projects/101/merge_requests/12/notes?sort=asc"));
  std::vector<std::string> bodies;
  for (const json& note : notes) bodies.push_back(note["body"]);
  EXPECT_EQ(bodies, (std::vector<std::string>{"added ~1 label", "Looks fine",
                                              "approved this merge request", "merged"}));
  EXPECT_EQ(notes[1]["system"], false);
  EXPECT_EQ(notes[2]["system"], true);
  EXPECT_EQ(Body(Get(gitlab, "/projects/101/merge_requests/12/approvals"))["approved"], true);
  EXPECT_EQ(Get(gitlab, "/projects/101/merge_requests/99/notes")->status, 404);
}

TEST(GitLabDoubleTest, DeploymentsNameTheirEnvironmentsWhoseTierIsConfigurable) {
  GitLabDoubleConfig config;
  config.pipelines_per_project = 4;
  config.deployments_per_project = 4;
  config.production_tier = "";
  GitLabDouble gitlab(config);
  auto environments = Body(Get(gitlab, "/projects/101/environments"));
  ASSERT_EQ(environments.size(), 2u);
  EXPECT_FALSE(environments[0].contains("tier"));
  EXPECT_EQ(environments[1]["tier"], "staging");

  auto deployments = Body(Get(gitlab,
                              "/projects/101/deployments?order_by=updated_at&sort=desc"
                              "&updated_after=2026-01-01T00:00:00Z"));
  ASSERT_EQ(deployments.size(), 4u);
  EXPECT_EQ(deployments[0]["iid"], 4);
  EXPECT_EQ(deployments[0]["environment"]["name"], "production");
  EXPECT_EQ(deployments[0]["deployable"]["finished_at"], deployments[0]["updated_at"]);
  EXPECT_EQ(deployments[0]["sha"], deployments[0]["deployable"]["pipeline"]["sha"]);
  // Filtering by update needs the matching order, as in GitLab.
  EXPECT_EQ(Get(gitlab, "/projects/101/deployments?updated_after=2026-01-01T00:00:00Z")->status,
            400);
  auto pipelines = Body(Get(gitlab, "/projects/101/pipelines"));
  ASSERT_EQ(pipelines.size(), 4u);
  EXPECT_EQ(pipelines[0]["status"], "running");
}

TEST(GitLabDoubleTest, HooksAreKeptForTests) {
  GitLabDouble gitlab;
  httplib::Client client("127.0.0.1", gitlab.port());
  const httplib::Headers headers = {{"PRIVATE-TOKEN", kToken}};
  auto added = client.Post("/api/v4/projects/acme%2Fweb/hooks", headers,
                           json({{"url", "https://leadline.example/v1/webhooks/1"},
                                 {"token", "s3cret"},
                                 {"merge_requests_events", true},
                                 {"deployment_events", true}})
                               .dump(),
                           "application/json");
  ASSERT_EQ(added->status, 201);
  EXPECT_FALSE(Body(added).contains("token"));
  const auto hooks = gitlab.hooks("acme/web");
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0].token, "s3cret");
  EXPECT_TRUE(hooks[0].merge_requests_events && hooks[0].deployment_events && hooks[0].push_events);
  EXPECT_FALSE(hooks[0].pipeline_events);
  const std::string path = "/api/v4/projects/101/hooks/" + std::to_string(hooks[0].id);
  EXPECT_EQ(client.Delete(path, headers)->status, 204);
  EXPECT_EQ(client.Delete(path, headers)->status, 404);
  EXPECT_TRUE(gitlab.hooks("acme/web").empty());
}

TEST(GitLabDoubleTest, FailuresCarryGitLabsRateLimitHeadersAndRequestsAreCounted) {
  GitLabDouble gitlab;
  gitlab.FailNext(1, 429, 1);
  EXPECT_EQ(Get(gitlab, "/projects")->status, 200);
  auto limited = Get(gitlab, "/projects/101");
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->get_header_value("Retry-After"), "1");
  for (const char* header : {"RateLimit-Limit", "RateLimit-Observed", "RateLimit-Remaining",
                             "RateLimit-Reset", "RateLimit-ResetTime"}) {
    EXPECT_TRUE(limited->has_header(header)) << header;
  }
  EXPECT_EQ(Get(gitlab, "/projects/101")->status, 200);
  EXPECT_EQ(gitlab.requests(), 3);
  EXPECT_EQ(gitlab.requests_by_endpoint().at("GET /projects/:id"), 2);
  EXPECT_EQ(gitlab.requests_by_endpoint().at("GET /projects"), 1);
}

// A merged merge request's commits are in the served repository: a merge commit with two
// parents, a squash commit with one, and a fast-forward's own commit on main.
TEST(GitLabDoubleTest, MergeRequestsNameCommitsOfTheClonedRepository) {
  GitLabDoubleConfig config;
  config.merge_requests_per_project = 12;
  config.relative_url_root = "/gitlab";
  GitLabDouble gitlab(config);
  TempDir dir;
  const std::string clone = dir.Child("api");
  std::string url = gitlab.clone_url("acme/platform/api");
  url.insert(url.find("//") + 2, std::string("oauth2:") + kToken + "@");
  const CommandResult cloned =
      RunCommand("git clone -q " + ShellQuote(url) + " " + ShellQuote(clone) + " 2>&1", true);
  ASSERT_EQ(cloned.exit_code, 0) << cloned.output;
  auto git = [&clone](const std::string& args) {
    return RunCommand("git -C " + ShellQuote(clone) + " " + args + " 2>&1", true);
  };
  auto parents = [&git](const std::string& sha) {
    const std::string line = git("rev-list --parents -n 1 " + sha).output;
    return static_cast<int>(std::count(line.begin(), line.end(), ' '));
  };
  std::set<std::string> landings;
  for (const json& mr : Body(Get(gitlab, "/projects/102/merge_requests?state=merged"))) {
    const std::string sha = mr["sha"];
    if (!mr["merge_commit_sha"].is_null()) {
      landings.insert("merge");
      EXPECT_EQ(parents(mr["merge_commit_sha"]), 2) << mr["iid"];
      EXPECT_EQ(git("merge-base --is-ancestor " + sha + " origin/main").exit_code, 0);
    } else if (!mr["squash_commit_sha"].is_null()) {
      landings.insert("squash");
      EXPECT_EQ(parents(mr["squash_commit_sha"]), 1) << mr["iid"];
      EXPECT_EQ(git("merge-base --is-ancestor " + mr["squash_commit_sha"].get<std::string>() +
                    " origin/main")
                    .exit_code,
                0);
    } else {
      landings.insert("fast-forward");
      EXPECT_EQ(git("merge-base --is-ancestor " + sha + " origin/main").exit_code, 0) << mr["iid"];
    }
  }
  EXPECT_EQ(landings, (std::set<std::string>{"merge", "squash", "fast-forward"}));

  // An open merge request's branch is there; a wrong token clones nothing.
  EXPECT_EQ(git("rev-parse origin/feature/1").exit_code, 0);
  // The shared history's refs/pull-requests (Bitbucket Data Center's) are not served.
  const CommandResult advertised = git("ls-remote origin");
  ASSERT_EQ(advertised.exit_code, 0) << advertised.output;
  EXPECT_NE(advertised.output.find("refs/heads/main"), std::string::npos) << advertised.output;
  EXPECT_EQ(advertised.output.find("refs/pull-requests/"), std::string::npos) << advertised.output;
  std::string wrong = gitlab.clone_url("acme/platform/api");
  wrong.insert(wrong.find("//") + 2, "oauth2:glpat-wrong@");
  EXPECT_NE(RunCommand("GIT_TERMINAL_PROMPT=0 git clone -q " + ShellQuote(wrong) + " " +
                           ShellQuote(dir.Child("denied")) + " 2>&1",
                       true)
                .exit_code,
            0);
}

// Notes posted through the API: 201 with the note, listed with the merge request's own, edited
// with PUT (404 for a note that is not there), and refused without the api scope.
TEST(GitLabDoubleTest, NotesArePostedListedAndEdited) {
  GitLabDoubleConfig config;
  config.merge_requests_per_project = 3;
  GitLabDouble gitlab(config);
  httplib::Client client("127.0.0.1", gitlab.port());
  const std::string notes = "/api/v4/projects/acme%2Fweb/merge_requests/2/notes";
  const httplib::Headers writer = {{"PRIVATE-TOKEN", kToken}};
  auto posted = client.Post(notes, writer, R"({"body": "first"})", "application/json");
  ASSERT_EQ(posted->status, 201) << posted->body;
  const std::int64_t id = Body(posted)["id"].get<std::int64_t>();
  EXPECT_EQ(Body(posted)["noteable_iid"], 2);
  EXPECT_EQ(Body(posted)["system"], false);
  const json listed = Body(Get(gitlab, "/projects/acme%2Fweb/merge_requests/2/notes"));
  EXPECT_TRUE(std::any_of(listed.begin(), listed.end(),
                          [&](const json& note) { return note["id"] == id; }));
  auto edited = client.Put(notes + "/" + std::to_string(id), writer, R"({"body": "second"})",
                           "application/json");
  ASSERT_EQ(edited->status, 200) << edited->body;
  EXPECT_EQ(Body(edited)["body"], "second");
  EXPECT_EQ(gitlab.notes("acme/web", 2), std::vector<std::string>{"second"});
  EXPECT_EQ(gitlab.note_edits("acme/web", 2), 1);
  EXPECT_EQ(client.Put(notes + "/12345", writer, R"({"body": "x"})", "application/json")->status,
            404);
  EXPECT_EQ(client.Post(notes, writer, R"({"nobody": 1})", "application/json")->status, 400);
  // The project bot token reads only (read_api): 403 insufficient_scope.
  const httplib::Headers reader = {{"PRIVATE-TOKEN", "glpat-project-bot-token"}};
  EXPECT_EQ(client
                .Post("/api/v4/projects/acme%2Fplatform%2Fapi/merge_requests/2/notes", reader,
                      R"({"body": "x"})", "application/json")
                ->status,
            403);
}

}  // namespace
}  // namespace leadline::testing
