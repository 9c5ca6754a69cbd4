// What every repository sync shares, whatever the code host: where it reads and writes
// (SyncTarget) and the counts it reports (RepositorySyncCounts).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/time.h"
#include "http/http_client.h"
#include "ingest/mirror_sync.h"
#include "ingest/sync_counts.h"
#include "model/repository.h"
#include "sources/contract/connection_settings.h"
#include "store/store.h"

namespace leadline::ingest {

// Where an entity sync reads and writes, and what it is told along the way.
struct SyncTarget {
  store::Store& store;
  http::HttpClient& client;
  const sources::ConnectionSettings& settings;
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

struct RepositorySyncCounts {
  MirrorSync commits;
  SyncCounts activity;
  SyncCounts pull_requests;
  SyncCounts pipelines;  // Bitbucket Data Center: build statuses
  SyncCounts deployments;
  std::size_t sized_pull_requests = 0;  // merged ones whose size was read from the mirror
  SyncCounts squashed_commits;          // squashed pull requests' commits read (branch_commits.h)
  bool pull_requests_skipped = false;   // not read: what they follow (the activity) is unchanged
  bool deployments_skipped = false;     // not read: no pipeline changed

  SyncCounts Total() const {
    SyncCounts total = activity;
    total.received += commits.new_commits;
    total.changed += commits.new_commits;
    total += pull_requests;
    total += pipelines;
    total += deployments;
    total += squashed_commits;
    return total;
  }
};

// The repository's git history through its mirror, when the target names one (else nothing),
// keeping `extra_refs` too (sources::Connector::MirrorRefs: Data Center's pull request refs, so
// that squashed pull requests of deleted branches keep their own commits), whose commits are
// stored (not as branches).
common::Result<MirrorSync> SyncTargetMirror(const SyncTarget& target,
                                            std::vector<std::string> extra_refs = {});

}  // namespace leadline::ingest
