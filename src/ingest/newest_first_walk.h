// Runs a newest-first walk (sources/contract/newest_first.h) with its own requests, for the
// Data Center pull requests, which are not on the connector contract's feeds yet: each page's rows
// are committed together with the walk's cursor (stored under `entity`). Single-threaded.
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
#include "sources/contract/newest_first.h"
#include "store/store.h"

namespace leadline::ingest {

using sources::PageRows;

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
