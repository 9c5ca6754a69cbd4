// Runs a connector's feeds (sources/contract/connector.h) for one repository: each feed from its
// saved cursor, page by page; a page's rows, the rows of its details and its cursor are committed
// in one transaction, so a sync cut anywhere (a crash, a kill, a 5xx) resumes at the page it was
// on, with nothing duplicated or lost. Non-2xx answers become errors naming the feed, the
// repository and the URL (redacted). Knows the contract, not any provider. Called from one thread;
// a page's details are fetched up to four at a time on threads of its own, through the target's
// client (every connection's client is thread-safe) and never the store.
#pragma once

#include "ingest/sync_target.h"
#include "sources/contract/connector.h"

namespace leadline::ingest {

// One feed, from its saved cursor to the end of its walk; `followers` are the feeds that follow
// it (Feed::follows), marked due when it stores changes. A feed that follows another runs only
// when marked due (or on its first walk), and clears the mark when its walk ends; a skipped feed
// returns counts with `skipped` set. Review activity read with another kind's rows (a pull
// request's comments, FeedDetail::activity) is counted in `activity` when given (requests,
// entries received, entries new), in the feed's counts otherwise.
common::Result<SyncCounts> RunFeed(const SyncTarget& target, sources::Feed& feed,
                                   const std::vector<std::string>& followers = {},
                                   SyncCounts* activity = nullptr);

// Every feed in order (the git mirror is synced before them: repository_sync.h). Counts go
// to the field of the rows' kind: pull requests, activity, pipelines, deployments (and their
// environments).
common::Result<RepositorySyncCounts> RunRepositoryFeeds(const SyncTarget& target,
                                                        const sources::Feeds& feeds);

}  // namespace leadline::ingest
