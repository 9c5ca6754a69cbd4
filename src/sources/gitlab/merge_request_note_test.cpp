#include "sources/gitlab/merge_request_note.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <nlohmann/json.hpp>

#include "engine/pr_feedback.h"

namespace leadline::sources::gitlab {
namespace {

using nlohmann::json;

// Answers by "METHOD URL", in order (the last answer repeats); records what was sent.
class FakeGitLab final : public http::HttpClient {
 public:
  void Answer(const std::string& method, const std::string& url, int status, json body,
              std::map<std::string, std::string> headers = {}) {
    http::HttpResponse response;
    response.status = status;
    response.body = body.dump();
    for (auto& [name, value] : headers) response.headers[name] = value;
    answers_[method + " " + url].push_back(response);
  }
  common::Result<http::HttpResponse> Send(const http::HttpRequest& request) override {
    sent.push_back(request);
    auto found = answers_.find(request.method + " " + request.url);
    if (found == answers_.end()) {
      return common::Status::Internal("unexpected " + request.method + " " + request.url);
    }
    http::HttpResponse response = found->second.front();
    if (found->second.size() > 1) found->second.pop_front();
    return response;
  }
  std::vector<http::HttpRequest> sent;

 private:
  std::map<std::string, std::deque<http::HttpResponse>> answers_;
};

ConnectionSettings GitLab() {
  ConnectionSettings settings;
  settings.provider = model::Provider::kGitLab;
  settings.url = "https://gitlab.example.com";
  settings.auth = model::AuthMethod::kAccessToken;
  settings.secret = "glpat-x";
  return settings;
}

const NoteTarget kTarget{"acme/platform/api", 12};
const std::string kNotes =
    "https://gitlab.example.com/api/v4/projects/acme%2Fplatform%2Fapi/merge_requests/12/notes";
const std::string kSearch = kNotes + "?per_page=100&sort=asc&order_by=created_at";
const std::string kMarkdown = std::string(engine::kFeedbackMarker) + "\n**Leadline** · merged";

TEST(MergeRequestNoteTest, TheMarkedNoteIsFoundPastSystemNotesAndEdited) {
  FakeGitLab gitlab;
  const std::string marked = std::string(engine::kFeedbackMarker) + "\nold";
  gitlab.Answer("GET", kSearch, 200,
                {{{"id", 1}, {"system", true}, {"body", marked}},
                 {{"id", 2}, {"system", false}, {"body", "LGTM"}}},
                {{"x-next-page", "2"}});
  gitlab.Answer("GET", kSearch + "&page=2", 200,
                {{{"id", 3}, {"system", false}, {"body", marked}}});
  gitlab.Answer("PUT", kNotes + "/3", 200, {{"id", 3}, {"body", kMarkdown}});
  const auto note = UpsertNote(gitlab, GitLab(), kTarget, kMarkdown, std::nullopt);
  ASSERT_TRUE(note.ok()) << note.status().message();
  EXPECT_EQ(*note, 3);
  EXPECT_EQ(json::parse(gitlab.sent.back().body), json({{"body", kMarkdown}}));
}

TEST(MergeRequestNoteTest, AGoneNoteIsLookedForOnceThenPostedAnew) {
  FakeGitLab gitlab;
  gitlab.Answer("PUT", kNotes + "/3", 404, {{"message", "404 Not found"}});
  gitlab.Answer("GET", kSearch, 200, json::array());
  gitlab.Answer("POST", kNotes, 201, {{"id", 8}});
  const auto note = UpsertNote(gitlab, GitLab(), kTarget, kMarkdown, 3);
  ASSERT_TRUE(note.ok()) << note.status().message();
  EXPECT_EQ(*note, 8);
  ASSERT_EQ(gitlab.sent.size(), 3u);
  EXPECT_EQ(gitlab.sent[2].method, "POST");
}

TEST(MergeRequestNoteTest, AReadOnlyTokenIsToldItNeedsTheApiScope) {
  FakeGitLab gitlab;
  gitlab.Answer("GET", kSearch, 200, json::array());
  gitlab.Answer("POST", kNotes, 403, {{"message", "403 Forbidden"}});
  const auto refused = UpsertNote(gitlab, GitLab(), kTarget, kMarkdown, std::nullopt);
  EXPECT_EQ(refused.status().code(), common::StatusCode::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("api scope"), std::string::npos);
  EXPECT_FALSE(UpsertNote(gitlab, GitLab(), kTarget, "no marker", std::nullopt).ok());
}

}  // namespace
}  // namespace leadline::sources::gitlab
