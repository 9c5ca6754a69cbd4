// Backfills one Bitbucket Data Center repository into the store, entity by entity, each
// resumable and incremental:
//  - commits with their parents, branches and tags, through the repository's local mirror
//    (mirror_sync.h), as for Cloud;
//  - pull requests in every state, most recently updated first (`state=ALL&order=NEWEST`, 100 a
//    page), walked down to where the last sync stopped (newest_first_walk.h);
//  - the activities (approvals, comments, "needs work", merge, decline) of each pull request that
//    is new or changed since it was stored: one request per such pull request, since Data Center
//    has no repository-wide activity list, four at a time. They are stored with the page that
//    listed the pull request, so an interrupted sync never leaves a pull request without its
//    activities;
//  - build statuses, Data Center's CI results, stored as pipelines: the commits that arrived
//    since the last sync (or, the first time, were committed since `since`) are asked about 100
//    at a time (`POST /rest/build-status/1.0/commits/stats`), then the builds of those that have
//    some are read, and those of commits whose builds were still running are read again.
// Data Center has no deployments to list (its deployments API is write-only); deployments come
// from CI through Leadline's push API.
// A page that does not parse writes nothing and names the repository, the URL and the field.
// Single-threaded.
#pragma once

#include <string>

#include "common/status.h"
#include "http/http_client.h"
#include "ingest/sync_target.h"

namespace leadline::ingest {

struct DcPullRequestSync {
  SyncCounts pull_requests;
  SyncCounts activity;
};

common::Result<DcPullRequestSync> SyncDcPullRequests(const SyncTarget& target);
common::Result<SyncCounts> SyncDcBuildStatuses(const SyncTarget& target);

// Every entity of one repository, in the order above.
common::Result<RepositorySyncCounts> SyncDcRepository(const SyncTarget& target);

// A GET of `path_and_query` under the repository's REST path
// ("/pull-requests?state=ALL" under /rest/api/1.0/projects/KEY/repos/slug).
http::HttpRequest DcRepositoryRequest(const SyncTarget& target, const std::string& path_and_query);

}  // namespace leadline::ingest
