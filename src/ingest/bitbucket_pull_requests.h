// Backfills the pull requests of a Bitbucket Cloud repository into the store, resumably: pages
// are asked oldest update first (`sort=updated_on`, `q=updated_on>=<cursor>`), and each page's
// rows are committed together with the cursor (the page's newest updated_on). An interrupted sync
// continues from its last committed page; a repeat sync asks only for what changed since; every
// pull request is stored once (upsert by number). A page that does not parse writes nothing.
// Single-threaded.
#pragma once

#include <cstdint>
#include <functional>

#include "common/status.h"
#include "http/http_client.h"
#include "model/repository.h"
#include "sources/bitbucket/connection_check.h"
#include "store/store.h"

namespace leadline::ingest {

struct PullRequestSyncResult {
  std::int64_t pages = 0;
  std::int64_t received = 0;  // pull requests in the answers
  std::int64_t changed = 0;   // rows new or different in the store
};

inline constexpr const char* kPullRequestsCursor = "pull_requests";

// `on_page` (may be empty) is told the running totals after each committed page.
common::Result<PullRequestSyncResult> SyncCloudPullRequests(
    store::Store& store, http::HttpClient& client,
    const sources::bitbucket::ConnectionSettings& settings, const model::Repository& repository,
    const std::function<void(const PullRequestSyncResult&)>& on_page = {});

}  // namespace leadline::ingest
