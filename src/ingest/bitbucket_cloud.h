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
//    `q=updated_on>=<cursor>`, 50 a page), each page committed with its cursor;
//  - pipelines: newest first (`sort=-created_on`, 100 a page) down to the last sync's mark or the
//    oldest pipeline that was still running then;
//  - deployments (100 a page, the whole list: Cloud cannot filter or sort it), joined with the
//    environments, which are fetched when a deployment names one the store does not know.
//    Deployments are steps of pipelines, and a pipeline waiting on a manual deployment step is
//    unfinished (so the pipeline walk looks at it again), so deployments are fetched only when
//    the pipeline walk stored something new or changed.
// A page that does not parse writes nothing and names the repository, the URL and the field.
// Single-threaded.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/status.h"
#include "common/time.h"
#include "http/http_client.h"
#include "ingest/mirror_sync.h"
#include "ingest/sync_counts.h"
#include "model/repository.h"
#include "sources/bitbucket/connection_check.h"
#include "store/store.h"

namespace leadline::ingest {

inline constexpr const char* kActivityCursor = "pull_request_activity";
inline constexpr const char* kPullRequestsCursor = "pull_requests";
inline constexpr const char* kPipelinesCursor = "pipelines";
inline constexpr const char* kDeploymentsCursor = "deployments";
inline constexpr const char* kDeploymentsDue = "due";          // a pipeline changed since
inline constexpr const char* kDeploymentsCurrent = "current";  // fetched after the last change

// Where an entity sync reads and writes, and what it is told along the way.
struct CloudSyncTarget {
  store::Store& store;
  http::HttpClient& client;
  const sources::bitbucket::ConnectionSettings& settings;
  const model::Repository& repository;
  common::UnixSeconds since = 0;  // the first sync goes back to here; later ones to their cursor
  // Told the entity's running totals after each committed page; may be empty.
  std::function<void(const SyncCounts&)> on_page;
  // The repository's git mirror; empty: commits, branches and tags are not synced.
  std::string mirror_path;
  // Told why the git fetch waits before trying again; may be empty. (API requests say so
  // through the HTTP client.)
  std::function<void(const std::string&)> on_wait;
};

common::Result<SyncCounts> SyncCloudActivity(const CloudSyncTarget& target);
common::Result<SyncCounts> SyncCloudPullRequests(const CloudSyncTarget& target);
common::Result<SyncCounts> SyncCloudPipelines(const CloudSyncTarget& target);
common::Result<SyncCounts> SyncCloudDeployments(const CloudSyncTarget& target);

struct CloudRepositorySync {
  MirrorSync commits;
  SyncCounts activity;
  SyncCounts pull_requests;
  SyncCounts pipelines;
  SyncCounts deployments;
  bool pull_requests_skipped = false;  // the activity stream showed nothing new
  bool deployments_skipped = false;    // no pipeline changed

  SyncCounts Total() const {
    SyncCounts total = activity;
    total.received += commits.new_commits;
    total.changed += commits.new_commits;
    total += pull_requests;
    total += pipelines;
    total += deployments;
    return total;
  }
};

// Every entity of one repository, in the order above. `on_page` is told the repository's
// running total of rows received.
common::Result<CloudRepositorySync> SyncCloudRepository(const CloudSyncTarget& target);

// A GET of `path_and_query` under the repository ("/pipelines?pagelen=100").
http::HttpRequest CloudRepositoryRequest(const CloudSyncTarget& target,
                                         const std::string& path_and_query);

}  // namespace leadline::ingest
