// A resumable, incremental walk over a collection the host lists newest first (Bitbucket Cloud's
// repository-wide pull request activity, its pipelines; Data Center's pull requests, most
// recently updated first): the walk stops at the first page that
// reaches what an earlier walk stored, so a repeat sync of an unchanged repository costs one
// request.
//
// The cursor (stored as JSON under `entity`) holds the mark, the time the next walk may stop at.
// While a walk is under way, every page's rows are committed together with the next page's URL,
// so an interrupted walk (Ctrl-C, crash, kill -9) continues from the page after the last one it
// stored; rows are written by natural key, so a page fetched twice stores nothing twice.
//
// Rows still changing (a pipeline that is running) hold the mark back: the next walk goes down to
// the oldest of them again.
//
// The host pages by offset. A row added or moved to the head while the walk pages (Data Center's
// pull request updated mid-walk) shifts the rest down: a page repeats a row, none is skipped, and
// the moved row itself, newer than anything the walk saw, is read by the next walk. So the
// collection must gain rows only at its head, ordered by a time that never goes back.
// Single-threaded.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "common/status.h"
#include "common/time.h"
#include "http/http_client.h"
#include "http/pager.h"
#include "ingest/sync_counts.h"
#include "store/store.h"

namespace leadline::ingest {

// What a page held, as the walk needs it.
struct PageRows {
  std::int64_t received = 0;
  std::int64_t changed = 0;  // rows new or different in the store
  std::int64_t timed = 0;    // rows with a time (Saw); the others say nothing about the order
  common::UnixSeconds oldest = 0;
  common::UnixSeconds newest = 0;
  std::optional<common::UnixSeconds> oldest_unfinished;  // a row that will still change
  bool out_of_order = false;                             // a row newer than the one before it

  // Counts a row of time `at`; `unfinished` when the row will still change.
  void Saw(common::UnixSeconds at, bool unfinished = false) {
    out_of_order = out_of_order || (timed > 0 && at > last_);
    last_ = at;
    oldest = timed++ == 0 ? at : std::min(oldest, at);
    ++received;
    newest = std::max(newest, at);
    if (unfinished) oldest_unfinished = std::min(oldest_unfinished.value_or(at), at);
  }
  // Counts a row that has no time yet (a deployment not started).
  void SawUntimed() { ++received; }

 private:
  common::UnixSeconds last_ = 0;
};

// Parses a page and writes its rows; runs inside the page's transaction. A page that does not
// parse must return an error before writing anything.
using StorePage =
    std::function<common::Result<PageRows>(const nlohmann::json& values, const std::string& url)>;

struct WalkRequest {
  std::int64_t repo_id = 0;
  std::string entity;             // the cursor's name, e.g. "pull_request_activity"
  http::HttpRequest first;        // the newest page
  common::UnixSeconds since = 0;  // never walk below this, even on the first sync
  http::PageStyle style = http::PageStyle::kBitbucketCloud;
  // The order is the walk's request, not the host's documented promise: rows out of order (on a
  // page, or a page newer than the one before) mean the host ignored it, and the walk then reads
  // to the end rather than stop at its mark.
  bool check_order = false;
};

// `on_page` (may be empty) is told the running totals after each committed page.
common::Result<SyncCounts> WalkNewestFirst(
    store::Store& store, http::HttpClient& client, const WalkRequest& request,
    const StorePage& store_page, const std::function<void(const SyncCounts&)>& on_page = {});

// The mark the last finished walk of `entity` left: the newest row it stored, or the oldest that
// was still changing; 0 when none finished.
common::Result<common::UnixSeconds> WalkMark(store::Store& store, std::int64_t repo_id,
                                             const std::string& entity);

}  // namespace leadline::ingest
