#include "sources/bitbucket/newest_first_feed.h"

#include <nlohmann/json.hpp>
#include <utility>

namespace leadline::sources::bitbucket {

using common::Result;
using common::Status;

http::HttpRequest WithUrl(http::HttpRequest request, std::string url) {
  request.url = std::move(url);
  return request;
}

NewestFirstFeed::NewestFirstFeed(std::string name, std::string title, FeedKind kind,
                                 http::PageStyle style, http::HttpRequest newest, bool from_since,
                                 bool check_order)
    : name_(std::move(name)),
      title_(std::move(title)),
      kind_(kind),
      style_(style),
      newest_(std::move(newest)),
      from_since_(from_since),
      check_order_(check_order) {}

Result<std::optional<http::HttpRequest>> NewestFirstFeed::First(const RepositoryView&,
                                                                const std::string& cursor,
                                                                common::UnixSeconds since) {
  walk_.emplace(name_, from_since_ ? since : 0, check_order_);
  LEADLINE_ASSIGN_OR_RETURN(const std::string resume_url, walk_->Start(cursor));
  fetched_.clear();
  return std::optional(resume_url.empty() ? newest_ : WithUrl(newest_, resume_url));
}

std::optional<http::HttpRequest> NewestFirstFeed::Restart(const Status& failed) {
  if (!walk_ || !walk_->resuming()) return std::nullopt;
  if (failed.code() != common::StatusCode::kNotFound &&
      failed.code() != common::StatusCode::kFailedPrecondition) {
    return std::nullopt;
  }
  walk_->Restart();
  return newest_;
}

Result<FeedPage> NewestFirstFeed::Read(const http::HttpResponse& response,
                                       const http::HttpRequest& request, const std::string&) {
  FeedPage out;
  const auto read_page = [&](const nlohmann::json& values, const std::string& next_url) -> Status {
    fetched_.insert(request.url);
    LEADLINE_ASSIGN_OR_RETURN(const PageRows rows, ReadRows(values, request.url, out));
    const std::string next = fetched_.contains(next_url) ? std::string() : next_url;
    const NewestFirstWalk::Step step = walk_->Next(rows, next);
    out.cursor = step.cursor;
    if (!step.done) out.next = WithUrl(newest_, next);
    return Status::Ok();
  };
  LEADLINE_RETURN_IF_ERROR(
      http::ReadListPage(style_, response, request.url, newest_.url, read_page));
  return out;
}

}  // namespace leadline::sources::bitbucket
