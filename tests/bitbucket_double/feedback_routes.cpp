// Where Leadline posts on pull requests, in the real shapes:
//  - Cloud: GET|POST /2.0/repositories/{ws}/{slug}/pullrequests/{id}/comments (pages of
//    pullrequest_comment, `content.raw`; writes need write:pullrequest:bitbucket), GET|PUT
//    .../comments/{comment_id}; PUT|GET .../commit/{sha}/reports/{id} (a report of at most 10
//    typed data fields, report_type and title required);
//  - Data Center: POST .../rest/api/1.0/projects/{KEY}/repos/{slug}/pull-requests/{id}/comments
//    (`text`), GET|PUT .../comments/{id} (PUT with the comment's `version`: 409
//    CommentOutOfDateException when it is not the current one); the comments are also listed as
//    COMMENTED activities (dc_routes.cpp); PUT|GET .../rest/insights/latest/projects/{KEY}/repos/
//    {slug}/commits/{sha}/reports/{key} (`result` PASS or FAIL, at most 6 data fields).
// Writes fail on demand (FeedbackBoard::FailWrites) or wait (FeedbackBoard::HoldNextWrite). Data
// Center answers a write to a repository its token may not write to
// (BitbucketDoubleConfig::dc_writable_repositories) 401 AuthorisationException, as it does.
#include <ctime>
#include <set>

#include "common/time.h"
#include "double_state.h"

namespace leadline::testing {
namespace {

using nlohmann::json;

constexpr std::size_t kMostTextBytes = 32 * 1024;

std::int64_t Now() { return static_cast<std::int64_t>(std::time(nullptr)); }

bool KnownRepository(const DoubleState& state, const std::string& slug) {
  for (int i = 1; i <= state.visible_repositories(); ++i) {
    if (slug == RepoSlug(i)) return true;
  }
  return false;
}

bool KnownPullRequest(const DoubleState& state, const std::string& slug, const std::string& id) {
  if (!KnownRepository(state, slug) || id.size() > 9) return false;
  const int number = std::stoi(id);
  return number >= 1 && number <= state.Shape(RepoNumber(slug)).pull_requests;
}

json CloudComment(const DoubleState& state, const std::string& location, const std::string& pr,
                  const BoardComment& c) {
  const std::string self = state.base_url() + "/2.0/repositories/" + location + "/pullrequests/" +
                           pr + "/comments/" + std::to_string(c.id);
  return {
      {"id", c.id},
      {"type", "pullrequest_comment"},
      {"created_on", common::FormatRfc3339(c.created)},
      {"updated_on", common::FormatRfc3339(c.updated)},
      {"content", {{"type", "rendered"}, {"raw", c.text}, {"markup", "markdown"}, {"html", ""}}},
      {"user", {{"type", "user"}, {"display_name", "Leadline"}}},
      {"deleted", false},
      {"pullrequest", {{"type", "pullrequest"}, {"id", std::stoi(pr)}}},
      {"links", {{"self", {{"href", self}}}}}};
}

json DcComment(const BoardComment& c) {
  return {{"id", c.id},
          {"version", c.version},
          {"text", c.text},
          {"author", {{"name", "dc-user"}, {"slug", "dc-user"}, {"type", "NORMAL"}}},
          {"createdDate", c.created * 1000},
          {"updatedDate", c.updated * 1000},
          {"comments", json::array()},
          {"severity", "NORMAL"},
          {"state", "OPEN"}};
}

// The body's text, or "" (having answered 400) when it has none or too much.
std::string BodyText(const httplib::Request& req, httplib::Response& res, bool cloud,
                     json* body_out = nullptr) {
  const json body = json::parse(req.body, nullptr, false);
  std::string text;
  if (cloud && body.is_object() && body.contains("content") && body["content"].is_object() &&
      body["content"].contains("raw") && body["content"]["raw"].is_string()) {
    text = body["content"]["raw"].get<std::string>();
  } else if (!cloud && body.is_object() && body.contains("text") && body["text"].is_string()) {
    text = body["text"].get<std::string>();
  }
  if (text.empty() || text.size() > kMostTextBytes) {
    if (cloud) {
      CloudError(res, 400, "content.raw: This field is required.");
    } else {
      DcError(res, 400, "The comment text must be provided and at most 32k.",
              "com.atlassian.bitbucket.validation.ArgumentValidationException");
    }
    return "";
  }
  if (body_out != nullptr) *body_out = body;
  return text;
}

// A write failing on demand; true when answered. A held write waits here first.
bool WriteFails(DoubleState& state, httplib::Response& res) {
  state.feedback.WaitIfHeld();
  const int status = state.feedback.TakeWriteFailure();
  if (status == 0) return false;
  res.status = status;
  if (const int wait = state.feedback.retry_after(); wait > 0) {
    res.set_header("Retry-After", std::to_string(wait));
  }
  res.set_content("<html><body>Service unavailable</body></html>", "text/html");
  return true;
}

// The report's data fields checked as the host checks them; "" when fine.
std::string BadReport(const json& body, bool cloud) {
  if (!body.is_object() || !body.contains("title") || !body["title"].is_string()) {
    return "title: This field is required.";
  }
  if (cloud && (!body.contains("report_type") ||
                !std::set<std::string>{"SECURITY", "COVERAGE", "TEST", "BUG"}.contains(
                    body.value("report_type", "")))) {
    return "report_type: This field is required.";
  }
  if (body.contains("result")) {
    const std::string result = body.value("result", "");
    const bool known = cloud ? (result == "PASSED" || result == "FAILED" || result == "PENDING")
                             : (result == "PASS" || result == "FAIL");
    if (!known) return "result: not a valid choice: " + result;
  }
  const json data = body.value("data", json::array());
  if (!data.is_array() || data.size() > (cloud ? 10u : 6u)) return "data: too many fields";
  static const std::set<std::string> kTypes = {"BOOLEAN", "DATE",       "DURATION", "LINK",
                                               "NUMBER",  "PERCENTAGE", "TEXT"};
  for (const json& field : data) {
    if (!field.is_object() || !field.contains("title") || !field.contains("value") ||
        !kTypes.contains(field.value("type", ""))) {
      return "data: each field needs a title, a known type and a value";
    }
  }
  return "";
}

void RegisterCloud(httplib::Server& http, DoubleState& state) {
  const BitbucketDoubleConfig& c = state.config();
  const std::string repo = R"(/2\.0/repositories/([^/]+)/([^/]+))";
  const std::string comments = repo + R"(/pullrequests/(\d+)/comments)";
  // The board's key, or "" having answered 404.
  const auto key_of = [&state, &c](const httplib::Request& req, httplib::Response& res) {
    if (req.matches[1] != c.workspace || !KnownPullRequest(state, req.matches[2], req.matches[3])) {
      CloudError(res, 404, "No such pull request");
      return std::string();
    }
    return FeedbackBoard::Key(std::string(req.matches[1]) + "/" + std::string(req.matches[2]),
                              std::stoi(std::string(req.matches[3])));
  };
  http.Get(comments, [&state, &c, key_of](const httplib::Request& req, httplib::Response& res) {
    if (!CloudAllowed(c, req, res, "read:pullrequest:bitbucket")) return;
    const std::string key = key_of(req, res);
    if (key.empty()) return;
    const int pagelen = IntParam(req, "pagelen", 10);
    const int page = IntParam(req, "page", 1);
    if (pagelen < 1 || pagelen > 100 || page < 1) return CloudError(res, 400, "Invalid pagelen");
    const std::vector<BoardComment> all = state.feedback.Comments(key);
    const std::string location = std::string(req.matches[1]) + "/" + std::string(req.matches[2]);
    json values = json::array();
    const auto total = static_cast<int>(all.size());
    for (int i = (page - 1) * pagelen; i < std::min(page * pagelen, total); ++i) {
      values.push_back(CloudComment(state, location, req.matches[3], all[std::size_t(i)]));
    }
    json body = {{"pagelen", pagelen}, {"page", page}, {"size", total}, {"values", values}};
    if (page * pagelen < total) {
      body["next"] = state.base_url() + req.path + "?pagelen=" + std::to_string(pagelen) +
                     "&page=" + std::to_string(page + 1);
    }
    SendJson(res, 200, body);
  });
  http.Post(comments, [&state, &c, key_of](const httplib::Request& req, httplib::Response& res) {
    if (!CloudAllowed(c, req, res, "write:pullrequest:bitbucket")) return;
    const std::string key = key_of(req, res);
    if (key.empty() || WriteFails(state, res)) return;
    const std::string text = BodyText(req, res, true);
    if (text.empty()) return;
    const BoardComment added = state.feedback.Add(key, text, Now());
    state.feedback.CountWrite();
    SendJson(res, 201,
             CloudComment(state, std::string(req.matches[1]) + "/" + std::string(req.matches[2]),
                          req.matches[3], added));
  });
  http.Put(comments + R"(/(\d+))", [&state, &c, key_of](const httplib::Request& req,
                                                        httplib::Response& res) {
    if (!CloudAllowed(c, req, res, "write:pullrequest:bitbucket")) return;
    const std::string key = key_of(req, res);
    if (key.empty() || WriteFails(state, res)) return;
    const std::string text = BodyText(req, res, true);
    if (text.empty()) return;
    BoardComment edited;
    if (state.feedback.Edit(key, std::stoll(std::string(req.matches[4])), text, -1, Now(),
                            &edited) != 200) {
      return CloudError(res, 404, "No such comment");
    }
    state.feedback.CountWrite();
    SendJson(res, 200,
             CloudComment(state, std::string(req.matches[1]) + "/" + std::string(req.matches[2]),
                          req.matches[3], edited));
  });
  // A commit by its hash or a prefix of it: Cloud's pull requests name theirs by 12 digits.
  http.Get(repo + R"(/commit/([0-9a-f]{7,40}))", [&state, &c](const httplib::Request& req,
                                                              httplib::Response& res) {
    if (!CloudAllowed(c, req, res, "read:repository:bitbucket")) return;
    if (req.matches[1] != c.workspace || !KnownRepository(state, req.matches[2])) {
      return CloudError(res, 404, "Repository not found");
    }
    const GitHistory& history = state.history(RepoNumber(req.matches[2]));
    const std::string prefix = req.matches[3];
    for (int change = 1; change <= history.size(); ++change) {
      for (const std::string& sha : {history.SourceCommit(change), history.MergeCommit(change),
                                     history.DestinationCommit(change)}) {
        if (!sha.starts_with(prefix)) continue;
        return SendJson(
            res, 200,
            {{"type", "commit"},
             {"hash", sha},
             {"links",
              {{"self",
                {{"href", state.base_url() + "/2.0/repositories/" + std::string(req.matches[1]) +
                              "/" + std::string(req.matches[2]) + "/commit/" + sha}}}}}});
      }
    }
    CloudError(res, 404, "Commit not found");
  });
  // Reports go on a commit named in full.
  const std::string reports = repo + R"(/commit/([0-9a-f]{40})/reports/([A-Za-z0-9_.-]+))";
  http.Put(reports, [&state, &c](const httplib::Request& req, httplib::Response& res) {
    if (!CloudAllowed(c, req, res, "read:repository:bitbucket")) return;
    if (req.matches[1] != c.workspace || !KnownRepository(state, req.matches[2])) {
      return CloudError(res, 404, "Repository not found");
    }
    if (WriteFails(state, res)) return;
    json body = json::parse(req.body, nullptr, false);
    if (const std::string bad = BadReport(body, true); !bad.empty()) {
      return CloudError(res, 400, bad);
    }
    body["type"] = "report";
    body["external_id"] = std::string(req.matches[4]);
    body["uuid"] = "{" + std::string(req.matches[4]) + "}";
    body["updated_on"] = common::FormatRfc3339(Now());
    state.feedback.PutReport(std::string(req.matches[1]) + "/" + std::string(req.matches[2]) + "@" +
                                 std::string(req.matches[3]) + "/" + std::string(req.matches[4]),
                             body);
    state.feedback.CountWrite();
    SendJson(res, 200, body);
  });
}

// Data Center refuses a write without the permission with 401, not 403; true when refused.
bool DcWriteRefused(const BitbucketDoubleConfig& c, const std::string& slug,
                    httplib::Response& res) {
  if (c.dc_writable_repositories < 0 || RepoNumber(slug) <= c.dc_writable_repositories) {
    return false;
  }
  DcError(res, 401, "You are not permitted to access this resource",
          "com.atlassian.bitbucket.AuthorisationException");
  return true;
}

void RegisterDataCenter(httplib::Server& http, DoubleState& state) {
  const BitbucketDoubleConfig& c = state.config();
  const std::string repo =
      c.dc_context_path + "/rest/api/1.0/projects/([^/]+)/repos/([^/]+)/pull-requests/(\\d+)";
  const auto key_of = [&state](const httplib::Request& req, httplib::Response& res) {
    if (req.matches[1] != "PROJ" || !KnownPullRequest(state, req.matches[2], req.matches[3])) {
      DcError(res, 404, "Pull request " + std::string(req.matches[3]) + " does not exist.",
              "com.atlassian.bitbucket.pull.NoSuchPullRequestException");
      return std::string();
    }
    return FeedbackBoard::Key(std::string(req.matches[1]) + "/" + std::string(req.matches[2]),
                              std::stoi(std::string(req.matches[3])));
  };
  http.Post(repo + "/comments",
            [&state, &c, key_of](const httplib::Request& req, httplib::Response& res) {
              if (!DcAuthorized(c, req, res)) return;
              const std::string key = key_of(req, res);
              if (key.empty() || DcWriteRefused(c, req.matches[2], res) || WriteFails(state, res)) {
                return;
              }
              const std::string text = BodyText(req, res, false);
              if (text.empty()) return;
              state.feedback.CountWrite();
              SendJson(res, 201, DcComment(state.feedback.Add(key, text, Now())));
            });
  http.Get(repo + R"(/comments/(\d+))",
           [&state, &c, key_of](const httplib::Request& req, httplib::Response& res) {
             if (!DcAuthorized(c, req, res)) return;
             const std::string key = key_of(req, res);
             if (key.empty()) return;
             const auto found = state.feedback.Find(key, std::stoll(std::string(req.matches[4])));
             if (!found) {
               return DcError(res, 404, "Comment does not exist.",
                              "com.atlassian.bitbucket.comment.NoSuchCommentException");
             }
             SendJson(res, 200, DcComment(*found));
           });
  http.Put(repo + R"(/comments/(\d+))", [&state, &c, key_of](const httplib::Request& req,
                                                             httplib::Response& res) {
    if (!DcAuthorized(c, req, res)) return;
    const std::string key = key_of(req, res);
    if (key.empty() || DcWriteRefused(c, req.matches[2], res) || WriteFails(state, res)) return;
    json body;
    const std::string text = BodyText(req, res, false, &body);
    if (text.empty()) return;
    if (!body.contains("version") || !body["version"].is_number_integer()) {
      return DcError(res, 400, "The comment version must be provided.",
                     "com.atlassian.bitbucket.validation.ArgumentValidationException");
    }
    BoardComment edited;
    const int status = state.feedback.Edit(key, std::stoll(std::string(req.matches[4])), text,
                                           body["version"].get<std::int64_t>(), Now(), &edited);
    if (status == 404) {
      return DcError(res, 404, "Comment does not exist.",
                     "com.atlassian.bitbucket.comment.NoSuchCommentException");
    }
    if (status == 409) {
      return DcError(res, 409,
                     "You are attempting to modify a comment based on out-of-date information.",
                     "com.atlassian.bitbucket.comment.CommentOutOfDateException");
    }
    state.feedback.CountWrite();
    SendJson(res, 200, DcComment(edited));
  });
  const std::string reports = c.dc_context_path +
                              "/rest/insights/latest/projects/([^/]+)/repos/([^/]+)/commits/"
                              "([0-9a-f]{40})/reports/([A-Za-z0-9_.-]+)";
  http.Put(reports, [&state, &c](const httplib::Request& req, httplib::Response& res) {
    if (!DcAuthorized(c, req, res)) return;
    if (req.matches[1] != "PROJ" || !KnownRepository(state, req.matches[2])) {
      return DcError(res, 404, "Repository does not exist.",
                     "com.atlassian.bitbucket.repository.NoSuchRepositoryException");
    }
    if (DcWriteRefused(c, req.matches[2], res) || WriteFails(state, res)) return;
    json body = json::parse(req.body, nullptr, false);
    if (const std::string bad = BadReport(body, false); !bad.empty()) {
      return DcError(res, 400, bad,
                     "com.atlassian.bitbucket.validation.ArgumentValidationException");
    }
    body["key"] = std::string(req.matches[4]);
    body["createdDate"] = Now() * 1000;
    state.feedback.PutReport(std::string(req.matches[1]) + "/" + std::string(req.matches[2]) + "@" +
                                 std::string(req.matches[3]) + "/" + std::string(req.matches[4]),
                             body);
    state.feedback.CountWrite();
    SendJson(res, 200, body);
  });
}

}  // namespace

void RegisterFeedbackRoutes(httplib::Server& http, DoubleState& state) {
  RegisterCloud(http, state);
  RegisterDataCenter(http, state);
}

json DcCommentActivities(const DoubleState& state, const std::string& location, int number) {
  json activities = json::array();
  const std::vector<BoardComment> comments =
      state.feedback.Comments(FeedbackBoard::Key(location, number));
  for (auto it = comments.rbegin(); it != comments.rend(); ++it) {  // newest first
    activities.push_back({{"id", 900000 + it->id},
                          {"createdDate", it->created * 1000},
                          {"user", {{"name", "dc-user"}, {"slug", "dc-user"}}},
                          {"action", "COMMENTED"},
                          {"commentAction", "ADDED"},
                          {"comment", DcComment(*it)}});
  }
  return activities;
}

}  // namespace leadline::testing
