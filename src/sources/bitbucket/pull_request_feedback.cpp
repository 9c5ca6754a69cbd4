#include "sources/bitbucket/pull_request_feedback.h"

#include <nlohmann/json.hpp>

#include "http/pager.h"

namespace leadline::sources::bitbucket {
namespace {

using common::Result;
using common::Status;
using nlohmann::json;

bool IsCloud(const ConnectionSettings& settings) {
  return settings.provider == model::Provider::kBitbucketCloud;
}

// Data Center's location "KEY/slug" as its URL path.
std::string DcRepositoryPath(const std::string& location) {
  const std::size_t slash = location.find('/');
  return "/projects/" + location.substr(0, slash) + "/repos/" + location.substr(slash + 1);
}

std::string CommentsUrl(const ConnectionSettings& settings, const FeedbackTarget& target) {
  if (IsCloud(settings)) {
    return settings.url + "/repositories/" + target.location + "/pullrequests/" +
           std::to_string(target.number) + "/comments";
  }
  return settings.url + "/rest/api/1.0" + DcRepositoryPath(target.location) + "/pull-requests/" +
         std::to_string(target.number) + "/comments";
}

http::HttpRequest Request(const ConnectionSettings& settings, std::string method, std::string url,
                          const json& body = nullptr) {
  http::HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.credentials = settings.Credentials();
  request.headers.emplace_back("Accept", "application/json");
  if (!body.is_null()) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = body.dump();
  }
  return request;
}

// A non-2xx answer, and for a 403 what the credentials need to post.
Status PostError(const ConnectionSettings& settings, const http::HttpResponse& response,
                 const std::string& url) {
  Status error = http::HttpError(response, url);
  if (response.status != 403) return error;
  return Status::PermissionDenied(error.message() + ". Posting feedback needs " +
                                  (IsCloud(settings)
                                       ? std::string("the write:pullrequest:bitbucket scope")
                                       : std::string("write permission on the repository")));
}

// A write's failure. Data Center answers 401 both for credentials it does not accept and for a
// user without the permission (AuthorisationException, "You are not permitted to access this
// resource"). The error body is not relied on (a proxy in front of the server may answer 401 with
// its own); one authenticated read tells them apart: when the credentials still list
// repositories, they work, and the 401 was a refusal of the post (PermissionDenied, like a 403);
// when that read is refused too, the credentials are bad (Unauthenticated, saying so), which is
// tried again later, as fixing them needs no `feedback enable`.
Status WriteError(http::HttpClient& client, const ConnectionSettings& settings,
                  const http::HttpResponse& response, const std::string& url) {
  if (IsCloud(settings) || response.status != 401) return PostError(settings, response, url);
  const std::string message = http::HttpError(response, url).message();
  const std::string probe_url = settings.url + "/rest/api/1.0/repos?limit=1";
  const auto probe = client.Send(Request(settings, "GET", probe_url));
  if (probe.ok() && probe->ok()) {
    return Status::PermissionDenied(message +
                                    ". Posting feedback needs write permission on the repository "
                                    "(the connection's credentials work, but may not post here)");
  }
  if (probe.ok() && probe->status == 401) {
    return Status::Unauthenticated(message +
                                   ". Bitbucket Data Center no longer accepts the connection's "
                                   "credentials: connect it again with a valid HTTP access token");
  }
  return Status::Unauthenticated(message);  // the read did not tell: tried again later
}

json InsightsData(const engine::Feedback& feedback) {
  json data = json::array();
  for (const engine::FeedbackField& field : feedback.fields) {
    switch (field.type) {
      case engine::FeedbackField::Type::kText:
        data.push_back({{"title", field.title}, {"type", "TEXT"}, {"value", field.text}});
        break;
      case engine::FeedbackField::Type::kDuration:  // milliseconds, on both editions
        data.push_back(
            {{"title", field.title}, {"type", "DURATION"}, {"value", field.number * 1000}});
        break;
      case engine::FeedbackField::Type::kNumber:
        data.push_back({{"title", field.title}, {"type", "NUMBER"}, {"value", field.number}});
        break;
    }
  }
  return data;
}

std::optional<CommentRef> MarkedComment(const json& comment, bool cloud) {
  if (!comment.is_object()) return std::nullopt;
  const std::string marker = engine::kFeedbackMarker;
  if (cloud) {
    if (comment.value("deleted", false)) return std::nullopt;
    const json* content = comment.contains("content") ? &comment["content"] : nullptr;
    if (content == nullptr || !content->is_object() ||
        !content->value("raw", "").starts_with(marker)) {
      return std::nullopt;
    }
    if (!comment.contains("id") || !comment["id"].is_number_integer()) return std::nullopt;
    return CommentRef{comment["id"].get<std::int64_t>(), 0};
  }
  if (!comment.value("text", "").starts_with(marker) || !comment.contains("id") ||
      !comment["id"].is_number_integer()) {
    return std::nullopt;
  }
  return CommentRef{comment["id"].get<std::int64_t>(), comment.value("version", std::int64_t{0})};
}

// The comment carrying the marker: Cloud lists comments; Data Center lists them among the pull
// request's activities.
Result<std::optional<CommentRef>> FindComment(http::HttpClient& client,
                                              const ConnectionSettings& settings,
                                              const FeedbackTarget& target) {
  const bool cloud = IsCloud(settings);
  std::string url = cloud ? CommentsUrl(settings, target) + "?pagelen=100"
                          : settings.url + "/rest/api/1.0" + DcRepositoryPath(target.location) +
                                "/pull-requests/" + std::to_string(target.number) +
                                "/activities?limit=100";
  std::optional<CommentRef> found;
  int pages = 0;
  LEADLINE_RETURN_IF_ERROR(http::ForEachPageUntil(
      client, cloud ? http::PageStyle::kBitbucketCloud : http::PageStyle::kBitbucketDataCenter,
      Request(settings, "GET", url), [&](const http::Page& page) -> Result<http::Paging> {
        for (const json& item : page.values) {
          const json* comment = &item;
          if (!cloud) {
            if (!item.is_object() || item.value("action", "") != "COMMENTED" ||
                !item.contains("comment")) {
              continue;
            }
            comment = &item["comment"];
          }
          if ((found = MarkedComment(*comment, cloud))) return http::Paging::kStop;
        }
        return ++pages >= kMostCommentPages ? http::Paging::kStop : http::Paging::kContinue;
      }));
  return found;
}

Result<CommentRef> ReadComment(const json& answer, bool cloud) {
  std::optional<CommentRef> ref;
  if (answer.is_object() && answer.contains("id") && answer["id"].is_number_integer()) {
    ref = CommentRef{answer["id"].get<std::int64_t>(),
                     cloud ? 0 : answer.value("version", std::int64_t{0})};
  }
  if (!ref) return Status::FailedPrecondition("the host's answer names no comment id");
  return *ref;
}

// PUTs the new text over `comment`: nullopt when the comment is gone (404).
Result<std::optional<CommentRef>> EditComment(http::HttpClient& client,
                                              const ConnectionSettings& settings,
                                              const FeedbackTarget& target,
                                              const std::string& markdown, CommentRef comment) {
  const bool cloud = IsCloud(settings);
  const std::string url = CommentsUrl(settings, target) + "/" + std::to_string(comment.id);
  for (int attempt = 0; attempt < 2; ++attempt) {
    const json body = cloud ? json{{"content", {{"raw", markdown}}}}
                            : json{{"text", markdown}, {"version", comment.version}};
    LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response,
                              client.Send(Request(settings, "PUT", url, body)));
    if (response.status == 404) return std::optional<CommentRef>();
    if (response.ok()) {
      LEADLINE_ASSIGN_OR_RETURN(CommentRef edited,
                                ReadComment(json::parse(response.body, nullptr, false), cloud));
      return std::optional<CommentRef>(edited);
    }
    if (cloud || response.status != 409 || attempt > 0) {
      return WriteError(client, settings, response, url);
    }
    // Data Center: someone edited it since; take its current version and try once more.
    LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse current,
                              client.Send(Request(settings, "GET", url)));
    if (current.status == 404) return std::optional<CommentRef>();
    if (!current.ok()) return PostError(settings, current, url);
    LEADLINE_ASSIGN_OR_RETURN(comment,
                              ReadComment(json::parse(current.body, nullptr, false), cloud));
  }
  return Status::Internal("unreachable");
}

// Cloud names a pull request's head by 12 digits; its reports go on the commit named in full.
Result<std::string> FullCommit(http::HttpClient& client, const ConnectionSettings& settings,
                               const FeedbackTarget& target) {
  if (!IsCloud(settings) || target.head_commit.size() >= 40) return target.head_commit;
  const std::string url =
      settings.url + "/repositories/" + target.location + "/commit/" + target.head_commit;
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response,
                            client.Send(Request(settings, "GET", url)));
  if (!response.ok()) return PostError(settings, response, url);
  const json commit = json::parse(response.body, nullptr, false);
  const std::string hash = commit.is_object() ? commit.value("hash", "") : "";
  if (hash.size() != 40 || !hash.starts_with(target.head_commit)) {
    return Status::FailedPrecondition("the host's answer at " + http::RedactUrl(url) +
                                      " names no full commit hash");
  }
  return hash;
}

}  // namespace

Status PutInsightsReport(http::HttpClient& client, const ConnectionSettings& settings,
                         const FeedbackTarget& target, const engine::Feedback& feedback,
                         const std::string& link) {
  const bool cloud = IsCloud(settings);
  json body = {{"title", "Leadline: delivery"},
               {"details", feedback.status},
               {"reporter", "Leadline"},
               {"data", InsightsData(feedback)}};
  if (cloud) {
    body["report_type"] = "TEST";
    body["result"] = "PASSED";
  } else {
    body["result"] = "PASS";
  }
  if (!link.empty()) body["link"] = link;
  LEADLINE_ASSIGN_OR_RETURN(const std::string commit, FullCommit(client, settings, target));
  const std::string url = cloud ? settings.url + "/repositories/" + target.location + "/commit/" +
                                      commit + "/reports/" + kInsightsReportId
                                : settings.url + "/rest/insights/latest" +
                                      DcRepositoryPath(target.location) + "/commits/" + commit +
                                      "/reports/" + kInsightsReportId;
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response,
                            client.Send(Request(settings, "PUT", url, body)));
  if (!response.ok()) return WriteError(client, settings, response, url);
  return Status::Ok();
}

Result<CommentRef> UpsertComment(http::HttpClient& client, const ConnectionSettings& settings,
                                 const FeedbackTarget& target, const std::string& markdown,
                                 std::optional<CommentRef> known) {
  if (!markdown.starts_with(engine::kFeedbackMarker)) {
    return Status::InvalidArgument("feedback comments carry the marker first");
  }
  if (!known) {
    LEADLINE_ASSIGN_OR_RETURN(known, FindComment(client, settings, target));
  }
  if (known) {
    LEADLINE_ASSIGN_OR_RETURN(const std::optional<CommentRef> edited,
                              EditComment(client, settings, target, markdown, *known));
    if (edited) return *edited;
    // Deleted on the host since: find another carrying the marker, or post anew.
    LEADLINE_ASSIGN_OR_RETURN(known, FindComment(client, settings, target));
    if (known) {
      LEADLINE_ASSIGN_OR_RETURN(const std::optional<CommentRef> again,
                                EditComment(client, settings, target, markdown, *known));
      if (again) return *again;
    }
  }
  const bool cloud = IsCloud(settings);
  const std::string url = CommentsUrl(settings, target);
  const json body = cloud ? json{{"content", {{"raw", markdown}}}} : json{{"text", markdown}};
  LEADLINE_ASSIGN_OR_RETURN(const http::HttpResponse response,
                            client.Send(Request(settings, "POST", url, body)));
  if (!response.ok()) return WriteError(client, settings, response, url);
  return ReadComment(json::parse(response.body, nullptr, false), cloud);
}

}  // namespace leadline::sources::bitbucket
