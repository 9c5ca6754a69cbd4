// Brings a connected repository's git history into the store through a local mirror: fetches the
// mirror (cloning it on first use; later only new objects), then stores the commits that are not
// stored yet and the branches and tags as they are now. Commits with their parents, branches and
// tags cost two git requests per repository this way, whatever the history's length, and none
// of the REST API's hourly allowance.
// A target may name further refs to mirror (Data Center's `refs/pull-requests/*/from`, kept after
// a pull request's branch is deleted): their commits are stored too, so a squashed pull request
// of a deleted branch still has its own commits, but the refs never become branches. The set of
// their commits is remembered (a digest, as a cursor), so a repeat sync that finds them unchanged
// costs no more than one without them.
// Safe to interrupt at any point: the fetch moves the mirror's refs only once a pack is complete,
// and the store step commits the history in parts of 20,000 commits, marked unfinished until the
// last part (which stores the refs): a sync that finds the mark completes the history. A fetch
// that fails on the way (a dropped connection, a 5xx or 429) is tried again after 1, 2 and 4
// seconds; refused credentials and unknown repositories are not.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "model/repository.h"
#include "store/store.h"

namespace leadline::ingest {

struct MirrorSyncTarget {
  store::Store& store;
  const model::Repository& repository;  // its clone_url is fetched
  std::string mirror_path;              // the bare repository kept for it
  std::string authorization;            // the Authorization header for git; may be empty
  // Told what is happening ("fetching 120/4000 objects", "storing 2000 commits"); may be empty.
  std::function<void(const std::string&)> on_progress;
  common::Clock& clock = common::SystemClock();
  // Told why the sync waits before fetching again; may be empty.
  std::function<void(const std::string&)> on_wait;
  // Further refs to mirror, as git::MirrorFetch::extra_refs; their commits are stored.
  std::vector<std::string> extra_refs;
};

struct MirrorSync {
  std::int64_t new_commits = 0;
  std::int64_t total_commits = 0;
  bool refs_changed = false;
  std::uint64_t received_bytes = 0;
};

common::Result<MirrorSync> SyncMirror(const MirrorSyncTarget& target);

}  // namespace leadline::ingest
