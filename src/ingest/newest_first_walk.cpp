#include "ingest/newest_first_walk.h"

#include <nlohmann/json.hpp>

#include "http/pager.h"

namespace leadline::ingest {

using common::Result;
using common::Status;
using common::UnixSeconds;

Result<SyncCounts> WalkNewestFirst(store::Store& store, http::HttpClient& client,
                                   const WalkRequest& request, const StorePage& store_page,
                                   const std::function<void(const SyncCounts&)>& on_page) {
  LEADLINE_ASSIGN_OR_RETURN(const std::string stored,
                            store.LoadCursor(request.repo_id, request.entity));
  sources::NewestFirstWalk walk(request.entity, request.since, request.check_order);
  LEADLINE_ASSIGN_OR_RETURN(const std::string resume_url, walk.Start(stored));
  http::HttpRequest first = request.first;
  if (!resume_url.empty()) first.url = resume_url;

  SyncCounts result;
  const auto on_each = [&](const http::Page& page) -> Result<http::Paging> {
    store::Transaction transaction(store);
    LEADLINE_RETURN_IF_ERROR(transaction.Begin());
    LEADLINE_ASSIGN_OR_RETURN(const PageRows rows, store_page(page.values, page.url));
    const sources::NewestFirstWalk::Step step = walk.Next(rows, page.next_url);
    LEADLINE_RETURN_IF_ERROR(store.SaveCursor(request.repo_id, request.entity, step.cursor));
    LEADLINE_RETURN_IF_ERROR(transaction.Commit());
    ++result.pages;
    result.received += rows.received;
    result.changed += rows.changed;
    if (on_page) on_page(result);
    return step.done ? http::Paging::kStop : http::Paging::kContinue;
  };
  Status walked = http::ForEachPageUntil(client, request.style, first, on_each);
  // A saved cursor URL the host no longer knows (an expired `ctx`) restarts the walk from the
  // newest page, keeping what it had reached.
  const bool stale_resume = walk.resuming() && result.pages == 0 &&
                            (walked.code() == common::StatusCode::kNotFound ||
                             walked.code() == common::StatusCode::kFailedPrecondition);
  if (stale_resume) {
    walk.Restart();
    walked = http::ForEachPageUntil(client, request.style, request.first, on_each);
  }
  LEADLINE_RETURN_IF_ERROR(walked);
  return result;
}

Result<UnixSeconds> WalkMark(store::Store& store, std::int64_t repo_id, const std::string& entity) {
  LEADLINE_ASSIGN_OR_RETURN(const std::string stored, store.LoadCursor(repo_id, entity));
  return sources::NewestFirstWalk::Mark(stored, entity);
}

}  // namespace leadline::ingest
