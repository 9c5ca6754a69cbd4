#include "ingest/newest_first_walk.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "http/pager.h"

namespace leadline::ingest {
namespace {

using common::Result;
using common::Status;
using common::UnixSeconds;
using nlohmann::json;

// The stored cursor. Between walks only `mark` is set; during one, the rest says where it is.
struct Cursor {
  UnixSeconds mark = 0;
  UnixSeconds floor = 0;
  UnixSeconds newest = 0;
  std::optional<UnixSeconds> oldest_unfinished;
  std::string resume_url;

  // The mark a finished walk leaves for the next one.
  UnixSeconds NextMark() const {
    const UnixSeconds reached = std::max(mark, newest);
    return oldest_unfinished ? std::min(*oldest_unfinished, reached) : reached;
  }
};

std::string Serialize(const Cursor& cursor) {
  json out = {{"mark", cursor.mark}};
  if (!cursor.resume_url.empty()) {
    out["floor"] = cursor.floor;
    out["newest"] = cursor.newest;
    out["resume_url"] = cursor.resume_url;
    if (cursor.oldest_unfinished) out["oldest_unfinished"] = *cursor.oldest_unfinished;
  }
  return out.dump();
}

Result<Cursor> Parse(const std::string& text, const std::string& entity) {
  Cursor cursor;
  if (text.empty()) return cursor;
  const json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
  const auto integer = [&](const char* key) {
    return parsed.contains(key) && parsed[key].is_number_integer();
  };
  if (!parsed.is_object() || !integer("mark")) {
    return Status::DatabaseError("the stored sync cursor of " + entity +
                                 " is not readable: " + text);
  }
  cursor.mark = parsed["mark"];
  if (parsed.contains("resume_url") && parsed["resume_url"].is_string() && integer("floor") &&
      integer("newest")) {
    cursor.resume_url = parsed["resume_url"];
    cursor.floor = parsed["floor"];
    cursor.newest = parsed["newest"];
    if (integer("oldest_unfinished")) cursor.oldest_unfinished = parsed["oldest_unfinished"];
  }
  return cursor;
}

}  // namespace

Result<SyncCounts> WalkNewestFirst(store::Store& store, http::HttpClient& client,
                                   const WalkRequest& request, const StorePage& store_page,
                                   const std::function<void(const SyncCounts&)>& on_page) {
  LEADLINE_ASSIGN_OR_RETURN(const std::string stored,
                            store.LoadCursor(request.repo_id, request.entity));
  LEADLINE_ASSIGN_OR_RETURN(Cursor cursor, Parse(stored, request.entity));
  http::HttpRequest first = request.first;
  if (cursor.resume_url.empty()) {
    cursor.floor = std::max(cursor.mark, request.since);
    cursor.newest = 0;
    cursor.oldest_unfinished.reset();
  } else {
    first.url = cursor.resume_url;
  }

  SyncCounts result;
  bool unordered = false;
  std::optional<UnixSeconds> previous_oldest;
  const auto on_each = [&](const http::Page& page) -> Result<http::Paging> {
    store::Transaction transaction(store);
    LEADLINE_RETURN_IF_ERROR(transaction.Begin());
    LEADLINE_ASSIGN_OR_RETURN(const PageRows rows, store_page(page.values, page.url));
    cursor.newest = std::max(cursor.newest, rows.newest);
    if (rows.oldest_unfinished) {
      cursor.oldest_unfinished = std::min(
          cursor.oldest_unfinished.value_or(*rows.oldest_unfinished), *rows.oldest_unfinished);
    }
    if (request.check_order && rows.timed > 0) {
      unordered =
          unordered || rows.out_of_order || (previous_oldest && rows.newest > *previous_oldest);
      previous_oldest = rows.oldest;
    }
    // Entries at the floor itself are fetched again: several may share its second.
    const bool reached_floor = !unordered && rows.timed > 0 && rows.oldest < cursor.floor;
    const bool done = reached_floor || page.next_url.empty();
    Cursor saved = cursor;
    if (done) {
      saved = Cursor();
      saved.mark = cursor.NextMark();
    } else {
      saved.resume_url = page.next_url;
    }
    LEADLINE_RETURN_IF_ERROR(store.SaveCursor(request.repo_id, request.entity, Serialize(saved)));
    LEADLINE_RETURN_IF_ERROR(transaction.Commit());
    ++result.pages;
    result.received += rows.received;
    result.changed += rows.changed;
    if (on_page) on_page(result);
    return done ? http::Paging::kStop : http::Paging::kContinue;
  };
  Status walked = http::ForEachPageUntil(client, request.style, first, on_each);
  // A saved cursor URL the host no longer knows (an expired `ctx`) restarts the walk from the
  // newest page, keeping what it had reached.
  const bool stale_resume = !cursor.resume_url.empty() && result.pages == 0 &&
                            (walked.code() == common::StatusCode::kNotFound ||
                             walked.code() == common::StatusCode::kFailedPrecondition);
  if (stale_resume) {
    cursor.resume_url.clear();
    walked = http::ForEachPageUntil(client, request.style, request.first, on_each);
  }
  LEADLINE_RETURN_IF_ERROR(walked);
  return result;
}

Result<UnixSeconds> WalkMark(store::Store& store, std::int64_t repo_id, const std::string& entity) {
  LEADLINE_ASSIGN_OR_RETURN(const std::string stored, store.LoadCursor(repo_id, entity));
  LEADLINE_ASSIGN_OR_RETURN(const Cursor cursor, Parse(stored, entity));
  return cursor.mark;
}

}  // namespace leadline::ingest
