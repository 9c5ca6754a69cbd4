#include "sources/gitlab/gitlab_parse.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "common/time.h"

namespace leadline::sources::gitlab {
namespace {

using nlohmann::json;

// The smallest objects each parser accepts; the recorded pages hold the full shapes.
const json kMergeRequest = json::parse(R"({
  "iid": 7, "title": "Add x", "state": "merged", "author": {"id": 1, "name": "Ann"},
  "source_branch": "feat", "target_branch": "main", "sha": "1111111111111111111111111111111111111111",
  "created_at": "2025-01-02T03:04:05.000Z", "updated_at": "2025-01-02T05:00:00.000Z",
  "merged_at": "2025-01-02T05:00:00.000Z", "merge_user": {"id": 2, "name": "Bob"},
  "merge_commit_sha": "2222222222222222222222222222222222222222"
})");
const json kNote = json::parse(R"({
  "id": 301, "body": "approved this merge request", "system": true,
  "author": {"id": 2, "name": "Bob"}, "created_at": "2025-01-02T04:00:00.000Z"
})");
const json kPipeline = json::parse(R"({
  "id": 31, "iid": 3, "ref": "main", "sha": "3333333333333333333333333333333333333333",
  "status": "success", "created_at": "2025-01-02T03:04:05.000Z",
  "updated_at": "2025-01-02T03:10:00.000Z"
})");
const json kEnvironment = json::parse(R"({"id": 9, "name": "production", "tier": "production"})");
const json kDeployment = json::parse(R"({
  "id": 41, "iid": 1, "sha": "4444444444444444444444444444444444444444", "status": "success",
  "created_at": "2025-01-02T05:01:00.000Z", "updated_at": "2025-01-02T05:03:00.000Z",
  "environment": {"id": 9, "name": "production"}, "deployable": null
})");
const json kProject = json::parse(R"({
  "id": 15, "path": "proj", "path_with_namespace": "grp/proj",
  "http_url_to_repo": "https://gl.example/grp/proj.git", "default_branch": "main"
})");

// `object` with the value at the JSON pointer `pointer` replaced, or removed when `value` is
// discarded.
json With(json object, const std::string& pointer, const json& value) {
  const json::json_pointer at(pointer);
  if (value.is_discarded()) {
    object[at.parent_pointer()].erase(at.back());
  } else {
    object[at] = value;
  }
  return object;
}
const json kRemove = json(json::value_t::discarded);

template <typename Parse>
void ExpectRejected(Parse parse, const json& payload, const std::string& message) {
  const auto result = parse(payload);
  ASSERT_FALSE(result.ok()) << "accepted " << payload.dump();
  EXPECT_EQ(result.status().code(), common::StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().message(), message);
}

TEST(GitLabParse, LeadlinesOwnFeedbackNoteIsNoReview) {
  json note = kNote;
  note["system"] = false;
  note["body"] = "Looks good";
  ASSERT_TRUE(ParseNote(note, 7)->has_value());
  note["body"] = "<!-- leadline -->\n**Leadline** · in review for 3h";
  const auto own = ParseNote(note, 7);
  ASSERT_TRUE(own.ok()) << own.status().message();
  EXPECT_FALSE(own->has_value());
}

TEST(GitLabParse, TheSmallestObjectsParse) {
  EXPECT_TRUE(ParseMergeRequest(kMergeRequest).ok());
  EXPECT_TRUE(ParseNote(kNote, 7).ok());
  EXPECT_TRUE(ParsePipeline(kPipeline).ok());
  EXPECT_TRUE(ParseEnvironment(kEnvironment).ok());
  EXPECT_TRUE(ParseDeployment(kDeployment).ok());
  EXPECT_TRUE(ParseProject(kProject).ok());
}

TEST(GitLabParse, ADeploymentsRefIsItsBranchUnlessItsJobRanForATag) {
  EXPECT_EQ(ParseDeployment(kDeployment)->branch, std::nullopt);
  const json on_main = With(kDeployment, "/ref", "main");
  EXPECT_EQ(ParseDeployment(on_main)->branch, "main");
  const json job = {{"id", 7}, {"tag", false}, {"started_at", "2025-01-02T05:01:30.000Z"}};
  const auto from_job = ParseDeployment(With(on_main, "/deployable", job));
  ASSERT_TRUE(from_job.ok()) << from_job.status().message();
  EXPECT_EQ(from_job->branch, "main");
  EXPECT_EQ(from_job->started_at, *common::ParseRfc3339("2025-01-02T05:01:30Z"));
  const json tag_job = {{"id", 7}, {"tag", true}};
  EXPECT_EQ(
      ParseDeployment(With(With(kDeployment, "/ref", "v1.2.0"), "/deployable", tag_job))->branch,
      std::nullopt);
  ExpectRejected([](const json& p) { return ParseDeployment(p); }, With(kDeployment, "/ref", 3),
                 "field 'ref': expected a string, got a number");
}

TEST(GitLabParse, MalformedMergeRequestsNameTheField) {
  const auto parse = [](const json& p) { return ParseMergeRequest(p); };
  ExpectRejected(parse, With(kMergeRequest, "/author/id", "1"),
                 "field 'author.id': expected an integer, got a string");
  ExpectRejected(parse, With(kMergeRequest, "/iid", kRemove),
                 "field 'iid': missing, expected an integer");
  ExpectRejected(parse, With(kMergeRequest, "/author", nullptr),
                 "field 'author': expected an object, got null");
  ExpectRejected(parse, With(kMergeRequest, "/state", "reverted"),
                 "field 'state': unknown merge request state 'reverted' (known: opened, locked, "
                 "merged, closed)");
  ExpectRejected(parse, With(kMergeRequest, "/created_at", "last tuesday"),
                 "field 'created_at': 'last tuesday' is not a GitLab time "
                 "(\"2017-04-29T08:46:00.000Z\" or \"2025-01-02 03:04:05 UTC\")");
  ExpectRejected(parse, With(kMergeRequest, "/merge_user/id", 2.5),
                 "field 'merge_user.id': expected an integer, got a fractional number");
  ExpectRejected(parse, With(kMergeRequest, "/merge_commit_sha", 12),
                 "field 'merge_commit_sha': expected a string, got a number");
  ExpectRejected(parse, With(kMergeRequest, "/draft", "no"),
                 "field 'draft': expected a boolean, got a string");
  ExpectRejected(parse, json::array(), "expected a JSON object, got an array");
}

TEST(GitLabParse, MalformedObjectsOfEveryKindNameTheField) {
  ExpectRejected([](const json& p) { return ParseNote(p, 7); }, With(kNote, "/author/id", "2"),
                 "field 'author.id': expected an integer, got a string");
  ExpectRejected([](const json& p) { return ParseNote(p, 7); }, With(kNote, "/system", kRemove),
                 "field 'system': missing, expected a boolean");
  ExpectRejected([](const json& p) { return ParsePipeline(p); },
                 With(kPipeline, "/status", "paused"),
                 "field 'status': unknown pipeline status 'paused' (known: created, "
                 "waiting_for_resource, preparing, pending, scheduled, running, canceling, manual, "
                 "success, failed, canceled, skipped)");
  ExpectRejected([](const json& p) { return ParsePipeline(p); }, With(kPipeline, "/duration", "5m"),
                 "field 'duration': expected an integer, got a string");
  ExpectRejected([](const json& p) { return ParseEnvironment(p); },
                 With(kEnvironment, "/tier", "prod"),
                 "field 'tier': unknown environment tier 'prod' (known: production, staging, "
                 "testing, development, other)");
  ExpectRejected([](const json& p) { return ParseDeployment(p); },
                 With(kDeployment, "/environment/id", nullptr),
                 "field 'environment.id': expected an integer, got null");
  ExpectRejected([](const json& p) { return ParseDeployment(p); },
                 With(kDeployment, "/deployable", json{{"started_at", "soon"}}),
                 "field 'deployable.started_at': 'soon' is not a GitLab time "
                 "(\"2017-04-29T08:46:00.000Z\" or \"2025-01-02 03:04:05 UTC\")");
  ExpectRejected([](const json& p) { return ParseDeployment(p); },
                 With(kDeployment, "/status", "rolled_back"),
                 "field 'status': unknown deployment status 'rolled_back' (known: created, "
                 "blocked, running, success, failed, canceled, skipped)");
  ExpectRejected([](const json& p) { return ParseProject(p); },
                 With(kProject, "/http_url_to_repo", kRemove),
                 "field 'http_url_to_repo': missing, expected a string");
  ExpectRejected([](const json& p) { return ParseUser(p); }, json{{"id", "7"}},
                 "field 'id': expected an integer, got a string");
  ExpectRejected([](const json& p) { return ParseVersion(p); }, json{{"version", 17}},
                 "field 'version': expected a string, got a number");
  ExpectRejected([](const json& p) { return ParseTokenInfo(p); },
                 json{{"name", "t"}, {"scopes", {"api", 1}}},
                 "field 'scopes[1]': expected a string, got a number");
  ExpectRejected([](const json& p) { return ParseTokenInfo(p); },
                 json{{"name", "t"}, {"expires_at", "next year"}},
                 "field 'expires_at': 'next year' is not a date");
}

TEST(GitLabParse, ParsersTakeTheWebhookTimeForm) {
  const auto pr = ParseMergeRequest(With(kMergeRequest, "/created_at", "2025-01-02 03:04:05 UTC"));
  ASSERT_TRUE(pr.ok()) << pr.status().message();
  EXPECT_EQ(common::FormatRfc3339(pr->created_at), "2025-01-02T03:04:05Z");
}

TEST(GitLabParse, ASquashWithoutItsCommitNamedFallsBackToTheMergeCommit) {
  const auto pr = ParseMergeRequest(With(kMergeRequest, "/squash", true));
  ASSERT_TRUE(pr.ok()) << pr.status().message();
  EXPECT_EQ(pr->merge_commit, "2222222222222222222222222222222222222222");
}

TEST(GitLabParse, OpenMergeRequestsHaveNoMergeCommitOrCloser) {
  json open = With(kMergeRequest, "/state", "opened");
  open = With(open, "/merged_at", nullptr);
  const auto pr = ParseMergeRequest(open);
  ASSERT_TRUE(pr.ok()) << pr.status().message();
  EXPECT_FALSE(pr->merge_commit.has_value());
  EXPECT_FALSE(pr->closed_by.has_value());
  EXPECT_FALSE(pr->closed_at.has_value());
}

TEST(GitLabParse, AMergeRequestsOwnGetNamesTheTargetItWasMadeOn) {
  EXPECT_EQ(ParseMergeRequest(kMergeRequest)->target_commit, "");  // listings have no diff_refs
  const json single = With(kMergeRequest, "/diff_refs",
                           {{"base_sha", "5555555555555555555555555555555555555555"},
                            {"head_sha", "1111111111111111111111111111111111111111"},
                            {"start_sha", "5555555555555555555555555555555555555555"}});
  EXPECT_EQ(ParseMergeRequest(single)->target_commit, "5555555555555555555555555555555555555555");
  ExpectRejected(ParseMergeRequest, With(kMergeRequest, "/diff_refs", {{"base_sha", 5}}),
                 "field 'diff_refs.base_sha': expected a string, got a number");
}

TEST(GitLabParse, UnknownSystemNotesAreNotReviewActivity) {
  // A system note whose author was deleted (GitLab's ghost user still has an id) or whose body
  // is new to Leadline is skipped, not an error.
  const auto note = ParseNote(With(kNote, "/body", "approved this merge request (via the API)"), 7);
  ASSERT_TRUE(note.ok()) << note.status().message();
  EXPECT_FALSE(note->has_value());
}

http::HttpResponse Response(std::map<std::string, std::string> headers) {
  http::HttpResponse response;
  response.status = 200;
  for (auto& [name, value] : headers) response.headers[name] = value;
  return response;
}

const std::string kUrl =
    "https://gl.example/api/v4/projects/15/merge_requests?state=all&per_page=100&page=2";

TEST(NextPageUrl, FollowsTheLinkHeadersNextAmongTheOthers) {
  const auto response = Response(
      {{"Link",
        "<https://gl.example/api/v4/projects/15/merge_requests?page=1&per_page=100&state=all>; "
        "rel=\"prev\", "
        "<https://gl.example/api/v4/projects/15/merge_requests?page=3&per_page=100&state=all>; "
        "rel=\"next\", "
        "<https://gl.example/api/v4/projects/15/merge_requests?page=1&per_page=100&state=all>; "
        "rel=\"first\", "
        "<https://gl.example/api/v4/projects/15/merge_requests?page=9&per_page=100&state=all>; "
        "rel=\"last\""},
       {"x-next-page", "3"},
       {"x-page", "2"},
       {"x-total-pages", "9"}});
  EXPECT_EQ(NextPageUrl(response, kUrl),
            "https://gl.example/api/v4/projects/15/merge_requests?page=3&per_page=100&state=all");
}

TEST(NextPageUrl, PutsXNextPageIntoTheUrlWithoutALinkHeader) {
  const auto response = Response({{"X-Next-Page", "3"}, {"X-Page", "2"}, {"X-Per-Page", "100"}});
  EXPECT_EQ(NextPageUrl(response, kUrl),
            "https://gl.example/api/v4/projects/15/merge_requests?state=all&per_page=100&page=3");
}

TEST(NextPageUrl, EndsOnTheLastOffsetPage) {
  // The last page: x-next-page is empty and Link has no rel="next".
  const auto response = Response(
      {{"Link",
        "<https://gl.example/api/v4/projects/15/merge_requests?page=1&per_page=100>; "
        "rel=\"prev\", <https://gl.example/api/v4/projects/15/merge_requests?page=1&per_page=100>; "
        "rel=\"first\", "
        "<https://gl.example/api/v4/projects/15/merge_requests?page=2&per_page=100>; "
        "rel=\"last\""},
       {"x-next-page", ""},
       {"x-page", "2"},
       {"x-total", "143"}});
  EXPECT_EQ(NextPageUrl(response, kUrl), std::nullopt);
}

TEST(NextPageUrl, FollowsAKeysetLinkAlone) {
  const std::string next =
      "https://gl.example/api/v4/projects?id_after=245&membership=true&order_by=id"
      "&owned=false&page=1&pagination=keyset&per_page=100&sort=asc";
  const auto response = Response({{"link", "<" + next + ">; rel=\"next\""}});
  EXPECT_EQ(NextPageUrl(response,
                        "https://gl.example/api/v4/projects?pagination=keyset&order_by=id&sort=asc"
                        "&per_page=100&membership=true"),
            next);
}

TEST(NextPageUrl, EndsWithoutAnyPagingHeader) {
  EXPECT_EQ(NextPageUrl(Response({{"Content-Type", "application/json"}}), kUrl), std::nullopt);
  // A last keyset page: no Link at all.
  EXPECT_EQ(NextPageUrl(Response({}), kUrl), std::nullopt);
}

TEST(NextPageUrl, NeverReadsTotals) {
  // Beyond 10,000 rows GitLab leaves out x-total and x-total-pages; the walk goes on regardless.
  const auto response = Response({{"x-next-page", "101"}, {"x-page", "100"}});
  EXPECT_EQ(NextPageUrl(response, kUrl),
            "https://gl.example/api/v4/projects/15/merge_requests?state=all&per_page=100&page=101");
}

}  // namespace
}  // namespace leadline::sources::gitlab
