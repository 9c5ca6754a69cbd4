// The feeds of one Bitbucket Cloud repository (sources/contract/connector.h), in the order they
// run, each resumable and incremental:
//  - activity: the repository-wide activity stream (`/pullrequests/activity`, newest first, 50 a
//    page), walked down to where the last walk stopped (newest_first.h). Every change to a pull
//    request (opened, pushed, commented, approved, merged, declined) adds an entry;
//  - pull requests: every state, oldest update first (`sort=updated_on`,
//    `q=updated_on>=<cursor>`, 50 a page), each page asked for from the newest update stored so
//    far (not by page number, which skips rows when one is updated mid-walk). They follow the
//    activity: read only when its walk stored something new (or on a first sync);
//  - pipelines: newest first (`sort=-created_on`, 100 a page) down to the last walk's mark or the
//    oldest pipeline that was still running then (one paused at a manual step does not count: it
//    may wait for good);
//  - deployments: newest start first (`sort=-state.started_on`, 100 a page) down to the last
//    walk's mark or the oldest deployment in progress then, each given the branch its pipeline
//    (`release.pipeline`) ran on where that pipeline is stored and ran on a branch, with the
//    environments fetched (and stored with the page) when a deployment names one the store does
//    not know. Deployments are steps of pipelines: they follow the pipelines.
// The repository's commits come through its git mirror (ingest/mirror_sync.h), and the commits of
// squashed pull requests the mirror lacks after the feeds (ingest/branch_commits.h).
// Feeds are made per sync and run on one thread.
#pragma once

#include <string>

#include "http/http_client.h"
#include "sources/contract/connector.h"

namespace leadline::sources::bitbucket {

Feeds CloudRepositoryFeeds(const ConnectionSettings& settings, const model::Repository& repository);

// Pull request `number`'s own commits (`/pullrequests/{id}/commits`, 100 a page).
CommitListing CloudPullRequestCommits(const ConnectionSettings& settings,
                                      const std::string& location, std::int64_t number);

// A GET of `path_and_query` under the repository ("/pipelines?pagelen=100&sort=-created_on"),
// asking for the partial response `fields` (cloud_fields.h), with the connection's credentials.
http::HttpRequest CloudListRequest(const ConnectionSettings& settings, const std::string& location,
                                   const std::string& path_and_query, const char* fields);

}  // namespace leadline::sources::bitbucket
