// Backfills one Bitbucket Cloud repository into the store, entity by entity, each resumable and
// incremental:
//  - commits with their parents, branches and tags, through the repository's local mirror
//    (mirror_sync.h): the whole history, whatever `since` says, since attribution and the first
//    deployment need what came before the window;
//  - activity: the repository-wide activity stream (`/pullrequests/activity`, newest first, 50 a
//    page), walked down to where the last sync stopped (see newest_first_walk.h). Every change to
//    a pull request (opened, pushed, commented, approved, merged, declined) adds an entry, so the
//    stream's first page also says whether pull requests need asking for at all;
//  - pull requests: every state, oldest update first (`sort=updated_on`,
//    `q=updated_on>=<cursor>`, 50 a page), each page asked for from the newest update stored so
//    far (not by page number, which skips rows when one is updated mid-walk) and committed with
//    its cursor;
//  - pipelines: newest first (`sort=-created_on`, 100 a page) down to the last sync's mark or the
//    oldest pipeline that was still running then (one paused at a manual step does not count: it
//    may wait for good);
//  - deployments: newest start first (`sort=-state.started_on`, 100 a page) down to the last
//    walk's mark or the oldest deployment in progress then, joined with the environments, which
//    are fetched when a deployment names one the store does not know, and each given the branch
//    its pipeline (`release.pipeline`) ran on, where that pipeline is stored and ran on a branch.
//    Deployments are steps of pipelines, so they are fetched only when the pipeline walk stored
//    something new or changed;
//  - the own commits of squashed pull requests whose branch no sync saw (branch_commits.h).
// A page that does not parse writes nothing and names the repository, the URL and the field.
// Single-threaded.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/status.h"
#include "http/http_client.h"
#include "ingest/sync_target.h"

namespace leadline::ingest {

common::Result<SyncCounts> SyncCloudActivity(const SyncTarget& target);
common::Result<SyncCounts> SyncCloudPullRequests(const SyncTarget& target);
common::Result<SyncCounts> SyncCloudPipelines(const SyncTarget& target);
common::Result<SyncCounts> SyncCloudDeployments(const SyncTarget& target);

// Every entity of one repository, in the order above. `on_page` is told the repository's
// running total of rows received.
common::Result<RepositorySyncCounts> SyncCloudRepository(const SyncTarget& target);

// A GET of `path_and_query` under the repository ("/pipelines?pagelen=100").
http::HttpRequest CloudRepositoryRequest(const SyncTarget& target,
                                         const std::string& path_and_query);
// The same, for a listing, asking for the partial response `fields` (cloud_fields.h);
// `path_and_query` already has a query.
http::HttpRequest CloudListRequest(const SyncTarget& target, const std::string& path_and_query,
                                   const char* fields);

}  // namespace leadline::ingest
