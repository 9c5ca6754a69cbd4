#include "sources/bitbucket/pull_request_feedback.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <nlohmann/json.hpp>

namespace leadline::sources::bitbucket {
namespace {

using nlohmann::json;

// Answers by "METHOD URL", in order (the last answer repeats); records what was sent.
class FakeHost final : public http::HttpClient {
 public:
  void Answer(const std::string& method, const std::string& url, int status, json body) {
    answers_[method + " " + url].push_back({status, body.is_null() ? "" : body.dump()});
  }
  common::Result<http::HttpResponse> Send(const http::HttpRequest& request) override {
    sent.push_back(request);
    auto found = answers_.find(request.method + " " + request.url);
    if (found == answers_.end()) {
      return common::Status::Internal("unexpected " + request.method + " " + request.url);
    }
    http::HttpResponse response;
    response.status = found->second.front().first;
    response.body = found->second.front().second;
    if (found->second.size() > 1) found->second.pop_front();
    return response;
  }
  std::vector<http::HttpRequest> sent;

 private:
  std::map<std::string, std::deque<std::pair<int, std::string>>> answers_;
};

ConnectionSettings Cloud() {
  ConnectionSettings settings;
  settings.provider = model::Provider::kBitbucketCloud;
  settings.url = "https://api.bitbucket.org/2.0";
  settings.username = "ann@acme.io";
  settings.secret = "token";
  return settings;
}

ConnectionSettings DataCenter() {
  ConnectionSettings settings;
  settings.provider = model::Provider::kBitbucketDataCenter;
  settings.url = "https://bitbucket.acme.io";
  settings.auth = model::AuthMethod::kAccessToken;
  settings.secret = "token";
  return settings;
}

const FeedbackTarget kCloudTarget{"acme/api", 42, std::string(40, 'c')};
const FeedbackTarget kDcTarget{"PAY/api", 7, std::string(40, 'd')};
const std::string kComments =
    "https://api.bitbucket.org/2.0/repositories/acme/api/pullrequests/42/comments";
const std::string kDcComments =
    "https://bitbucket.acme.io/rest/api/1.0/projects/PAY/repos/api/pull-requests/7/comments";

engine::Feedback Sample() {
  engine::Feedback feedback;
  feedback.status = "in review for 3h";
  feedback.markdown = std::string(engine::kFeedbackMarker) + "\n**Leadline** · in review for 3h\n";
  feedback.fields = {{"Status", engine::FeedbackField::Type::kText, "in review for 3h", 0},
                     {"Pickup", engine::FeedbackField::Type::kDuration, "", 3600},
                     {"Size (lines)", engine::FeedbackField::Type::kNumber, "", 120}};
  return feedback;
}

TEST(PullRequestFeedbackTest, CloudReportsAreOnePutOnTheHeadCommit) {
  FakeHost host;
  const std::string url = "https://api.bitbucket.org/2.0/repositories/acme/api/commit/" +
                          std::string(40, 'c') + "/reports/leadline-delivery";
  host.Answer("PUT", url, 200, {{"uuid", "{r}"}});
  ASSERT_TRUE(PutInsightsReport(host, Cloud(), kCloudTarget, Sample(), "https://l.example/").ok());
  ASSERT_EQ(host.sent.size(), 1u);
  const json body = json::parse(host.sent[0].body);
  EXPECT_EQ(body["report_type"], "TEST");
  EXPECT_EQ(body["details"], "in review for 3h");
  EXPECT_EQ(body["link"], "https://l.example/");
  EXPECT_EQ(body["data"][1], json({{"title", "Pickup"}, {"type", "DURATION"}, {"value", 3600000}}));
  EXPECT_EQ(body["data"][2]["type"], "NUMBER");

  host.Answer("PUT", url, 403,
              {{"type", "error"},
               {"error",
                {{"message", "Your credentials lack one or more required privilege scopes."},
                 {"detail", {{"required", {"write:pullrequest:bitbucket"}}}}}}});
  // The answer above repeats only after the first is used: send again.
  (void)PutInsightsReport(host, Cloud(), kCloudTarget, Sample(), "");
  const common::Status refused = PutInsightsReport(host, Cloud(), kCloudTarget, Sample(), "");
  EXPECT_EQ(refused.code(), common::StatusCode::kPermissionDenied);
  EXPECT_NE(refused.message().find("write:pullrequest:bitbucket"), std::string::npos);
}

// The report docs/feedback.md shows: the golden pull request of engine/pr_feedback_test.cpp
// (awaiting its first review) as Cloud gets it.
TEST(PullRequestFeedbackTest, CloudReportOfAPullRequestAwaitingReviewIsTheDocumentedOne) {
  using common::kDay;
  using common::kHour;
  constexpr common::UnixSeconds kNow = 1'800'000'000;
  engine::StageSummary medians;
  medians.coding.count = medians.pickup.count = medians.review.count = medians.deploy.count = 12;
  medians.size_lines.count = 12;
  medians.coding.median = 20 * kHour;
  medians.pickup.median = 2 * kHour;
  medians.review.median = 3.5 * kHour;
  medians.deploy.median = 5 * kHour;
  medians.size_lines.median = 85;
  engine::PullRequestStages pr;
  pr.number = 42;
  pr.created_at = kNow - 2 * kDay - 4 * kHour;
  pr.first_commit_at = pr.created_at - kDay - 2 * kHour;
  pr.coding = kDay + 2 * kHour;
  pr.size = model::DiffStats{3, 100, 20};
  const std::string link = "https://leadline.example.com/#/pull-requests/acme/api/42";
  const engine::Feedback feedback = engine::RenderFeedback(pr, medians, kNow, link);
  FakeHost host;
  const std::string url = "https://api.bitbucket.org/2.0/repositories/acme/api/commit/" +
                          std::string(40, 'c') + "/reports/leadline-delivery";
  host.Answer("PUT", url, 200, {{"uuid", "{r}"}});
  ASSERT_TRUE(PutInsightsReport(host, Cloud(), kCloudTarget, feedback, link).ok());
  EXPECT_EQ(json::parse(host.sent[0].body), json::parse(R"json({
    "title": "Leadline: delivery",
    "details": "awaiting first review for 2d 4h",
    "reporter": "Leadline",
    "data": [
      {"title": "Status", "type": "TEXT", "value": "awaiting first review for 2d 4h"},
      {"title": "Coding", "type": "DURATION", "value": 93600000},
      {"title": "Pickup", "type": "DURATION", "value": 187200000},
      {"title": "Size (lines)", "type": "NUMBER", "value": 120
}
    ],
    "report_type": "TEST",
    "result": "PASSED",
    "link": "https://leadline.example.com/#/pull-requests/acme/api/42"
    })json"));
}

TEST(PullRequestFeedbackTest, CloudReadsAnAbbreviatedHeadInFullFirst) {
  FakeHost host;
  const std::string full = "abcdef123456" + std::string(28, '0');
  const std::string commit = "https://api.bitbucket.org/2.0/repositories/acme/api/commit/";
  host.Answer("GET", commit + "abcdef123456", 200, {{"type", "commit"}, {"hash", full}});
  host.Answer("PUT", commit + full + "/reports/leadline-delivery", 200, {{"uuid", "{r}"}});
  const FeedbackTarget target{"acme/api", 42, "abcdef123456"};
  ASSERT_TRUE(PutInsightsReport(host, Cloud(), target, Sample(), "").ok());
  ASSERT_EQ(host.sent.size(), 2u);
  // An answer that names another commit is refused, nothing put.
  FakeHost other;
  other.Answer("GET", commit + "abcdef123456", 200, {{"hash", std::string(40, 'f')}});
  const common::Status refused = PutInsightsReport(other, Cloud(), target, Sample(), "");
  EXPECT_EQ(refused.code(), common::StatusCode::kFailedPrecondition);
  EXPECT_EQ(other.sent.size(), 1u);
}

TEST(PullRequestFeedbackTest, DataCenterReportsGoToTheInsightsApi) {
  FakeHost host;
  const std::string url =
      "https://bitbucket.acme.io/rest/insights/latest/projects/PAY/repos/api/commits/" +
      std::string(40, 'd') + "/reports/leadline-delivery";
  host.Answer("PUT", url, 200, {{"key", "leadline-delivery"}});
  ASSERT_TRUE(PutInsightsReport(host, DataCenter(), kDcTarget, Sample(), "").ok());
  const json body = json::parse(host.sent[0].body);
  EXPECT_EQ(body["result"], "PASS");
  EXPECT_FALSE(body.contains("report_type"));
  EXPECT_FALSE(body.contains("link"));
}

TEST(PullRequestFeedbackTest, CloudFindsItsCommentByTheMarkerAndEditsIt) {
  FakeHost host;
  const std::string marked = std::string(engine::kFeedbackMarker) + "\nold";
  host.Answer("GET", kComments + "?pagelen=100", 200,
              {{"values",
                {{{"id", 5}, {"content", {{"raw", "LGTM"}}}},
                 {{"id", 6}, {"deleted", true}, {"content", {{"raw", marked}}}}}},
               {"next", kComments + "?pagelen=100&page=2"}});
  host.Answer("GET", kComments + "?pagelen=100&page=2", 200,
              {{"values", {{{"id", 9}, {"content", {{"raw", marked}}}}}}});
  host.Answer("PUT", kComments + "/9", 200, {{"id", 9}});
  const auto edited = UpsertComment(host, Cloud(), kCloudTarget, Sample().markdown, std::nullopt);
  ASSERT_TRUE(edited.ok()) << edited.status().message();
  EXPECT_EQ(edited->id, 9);
  EXPECT_EQ(json::parse(host.sent.back().body), json({{"content", {{"raw", Sample().markdown}}}}));
  // Known: edited directly, no search.
  host.sent.clear();
  ASSERT_TRUE(UpsertComment(host, Cloud(), kCloudTarget, Sample().markdown, CommentRef{9, 0}).ok());
  ASSERT_EQ(host.sent.size(), 1u);
  EXPECT_EQ(host.sent[0].method, "PUT");
}

TEST(PullRequestFeedbackTest, CloudPostsOnceWhenNoCommentCarriesTheMarker) {
  FakeHost host;
  host.Answer("PUT", kComments + "/9", 404, {{"type", "error"}});  // deleted on the host
  host.Answer("GET", kComments + "?pagelen=100", 200, {{"values", json::array()}});
  host.Answer("POST", kComments, 201, {{"id", 12}});
  const auto posted =
      UpsertComment(host, Cloud(), kCloudTarget, Sample().markdown, CommentRef{9, 0});
  ASSERT_TRUE(posted.ok()) << posted.status().message();
  EXPECT_EQ(posted->id, 12);
  EXPECT_EQ(host.sent.back().method, "POST");
  EXPECT_FALSE(UpsertComment(host, Cloud(), kCloudTarget, "no marker", std::nullopt).ok());
}

TEST(PullRequestFeedbackTest, DataCenterEditsWithTheVersionAndRetriesOnceOnAConflict) {
  FakeHost host;
  const std::string marked = std::string(engine::kFeedbackMarker) + "\nold";
  host.Answer(
      "GET",
      "https://bitbucket.acme.io/rest/api/1.0/projects/PAY/repos/api/pull-requests/7/"
      "activities?limit=100",
      200,
      {{"values",
        {{{"action", "OPENED"}},
         {{"action", "COMMENTED"}, {"comment", {{"id", 31}, {"version", 2}, {"text", marked}}}}}},
       {"isLastPage", true}});
  host.Answer("PUT", kDcComments + "/31", 409, {{"errors", {{{"message", "version mismatch"}}}}});
  host.Answer("PUT", kDcComments + "/31", 200, {{"id", 31}, {"version", 4}});
  host.Answer("GET", kDcComments + "/31", 200, {{"id", 31}, {"version", 3}, {"text", marked}});
  const auto edited = UpsertComment(host, DataCenter(), kDcTarget, Sample().markdown, std::nullopt);
  ASSERT_TRUE(edited.ok()) << edited.status().message();
  EXPECT_EQ(edited->id, 31);
  EXPECT_EQ(edited->version, 4);
  // First with the version it found, then with the one it refetched.
  EXPECT_EQ(json::parse(host.sent[1].body)["version"], 2);
  EXPECT_EQ(json::parse(host.sent[3].body)["version"], 3);
  EXPECT_EQ(json::parse(host.sent[3].body)["text"], Sample().markdown);
}

TEST(PullRequestFeedbackTest, DataCenterGivesUpAfterASecondConflictSayingWhy) {
  FakeHost host;
  host.Answer("PUT", kDcComments + "/31", 409, {{"errors", {{{"message", "version mismatch"}}}}});
  host.Answer("GET", kDcComments + "/31", 200, {{"id", 31}, {"version", 3}});
  const auto refused =
      UpsertComment(host, DataCenter(), kDcTarget, Sample().markdown, CommentRef{31, 1});
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(host.sent.size(), 3u);  // PUT, GET, PUT: never a loop
}

// Data Center answers 401 both to bad credentials and to a user who may not write. One read with
// the same credentials tells them apart: it succeeds (a refusal, like Cloud's 403), or it is
// refused too (bad credentials, tried again once they are fixed); Cloud's 401 asks nothing more.
TEST(PullRequestFeedbackTest, DataCenter401IsARefusalWhenTheCredentialsStillRead) {
  const std::string report =
      "https://bitbucket.acme.io/rest/insights/latest/projects/PAY/repos/"
      "api/commits/" +
      std::string(40, 'd') + "/reports/leadline-delivery";
  const std::string probe = "https://bitbucket.acme.io/rest/api/1.0/repos?limit=1";
  const json not_permitted = {
      {"errors",
       {{{"context", nullptr},
         {"message", "You are not permitted to access this resource"},
         {"exceptionName", "com.atlassian.bitbucket.AuthorisationException"}}}}};
  {
    FakeHost host;
    host.Answer("PUT", report, 401, not_permitted);
    host.Answer("GET", probe, 200, {{"size", 1}, {"values", json::array()}, {"isLastPage", true}});
    const common::Status refused = PutInsightsReport(host, DataCenter(), kDcTarget, Sample(), "");
    EXPECT_EQ(refused.code(), common::StatusCode::kPermissionDenied) << refused.message();
    EXPECT_NE(refused.message().find("HTTP 401"), std::string::npos) << refused.message();
    EXPECT_NE(refused.message().find("needs write permission on the repository"), std::string::npos)
        << refused.message();
    ASSERT_EQ(host.sent.size(), 2u);
    EXPECT_EQ(host.sent[1].url, probe);
  }
  {
    FakeHost host;
    host.Answer("POST", kDcComments, 401,
                {{"errors",
                  {{{"context", nullptr},
                    {"message",
                     "Authentication failed. Please check your credentials and try "
                     "again."},
                    {"exceptionName",
                     "com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException"}}}}});
    host.Answer("GET", probe, 401, nullptr);
    host.Answer("GET",
                "https://bitbucket.acme.io/rest/api/1.0/projects/PAY/repos/api/pull-requests/7/"
                "activities?limit=100",
                200, {{"values", json::array()}, {"isLastPage", true}});
    const auto bad = UpsertComment(host, DataCenter(), kDcTarget, Sample().markdown, {});
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.status().code(), common::StatusCode::kUnauthenticated);
    EXPECT_NE(bad.status().message().find("no longer accepts the connection's credentials"),
              std::string::npos)
        << bad.status().message();
  }
  {
    FakeHost host;
    const std::string url = "https://api.bitbucket.org/2.0/repositories/acme/api/commit/" +
                            std::string(40, 'c') + "/reports/leadline-delivery";
    host.Answer("PUT", url, 401, nullptr);
    EXPECT_EQ(PutInsightsReport(host, Cloud(), kCloudTarget, Sample(), "").code(),
              common::StatusCode::kUnauthenticated);
    EXPECT_EQ(host.sent.size(), 1u);
  }
}

}  // namespace
}  // namespace leadline::sources::bitbucket
