// The feeds of one Bitbucket Data Center repository (sources/contract/connector.h), in the order
// they run, each resumable and incremental:
//  - pull requests in every state, most recently updated first (`state=ALL&order=NEWEST`, 100 a
//    page), walked down to where the last walk stopped (newest_first_feed.h); each one new or
//    changed since it was stored comes with its activities (approvals, comments, "needs work",
//    merge, decline) as a detail of its page: one request per such pull request, since Data Center
//    has no repository-wide activity list. They are stored with the page, so an interrupted sync
//    never leaves a pull request without its activities;
//  - build statuses, Data Center's CI results, stored as pipelines: the commits stored since the
//    last walk (or, the first time, committed since `since`) are asked about 100 at a time, oldest
//    first (`POST /rest/build-status/1.0/commits/stats`), then the builds of those that have some
//    are read, one request each; the cursor (the newest commit time asked about and the commits of
//    that second) is stored with the last builds of each hundred. Then the commits whose builds
//    were still running are read again.
// Data Center has no deployments to list (its deployments API is write-only); deployments come
// from CI through Leadline's push API. The repository's commits come through its git mirror,
// which keeps the pull requests' `from` refs (ingest/mirror_sync.h). Feeds are made per sync and
// run on one thread.
#pragma once

#include <string>

#include "http/http_client.h"
#include "sources/contract/connector.h"

namespace leadline::sources::bitbucket {

Feeds DcRepositoryFeeds(const ConnectionSettings& settings, const model::Repository& repository);

// A GET of `path_and_query` under the repository's REST path
// ("/pull-requests?state=ALL" under /rest/api/1.0/projects/KEY/repos/slug).
http::HttpRequest DcRepositoryRequest(const ConnectionSettings& settings,
                                      const std::string& location,
                                      const std::string& path_and_query);

}  // namespace leadline::sources::bitbucket
