// The composition behind `leadline sync`: backfills the selected repositories of every stored
// connection, each resumable and incremental, through ingest/repository_sync.h (its connector's
// feeds, or Data Center's own walks). Each connection's requests
// go through its own client and budget (connection_clients.h). Git mirrors are kept in the data
// directory's mirrors folder. A failure in one repository is reported and the others still sync.
// A repository is synced under its lock (store::Coordination::LockRepository), so two syncs of
// one repository, in this process or another on the store, never overlap. On PostgreSQL several
// repositories are synced at once by default (SyncRequest::jobs), each worker on a store
// connection of its own: a repository's sync waits in turn on the upstream, git and the store, so
// one at a time leaves cores idle. SQLite syncs one at a time unless told otherwise: its single
// writer would make a worker wait behind another's first sync of a long history (stored in one
// transaction) longer than a write waits for the lock. Call from one thread; owns what it opens
// and joins its workers before returning.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "app/connection_clients.h"
#include "common/time.h"
#include "config/paths.h"
#include "ingest/sync_target.h"
#include "store/store_url.h"

namespace leadline::app {

// Repositories synced at once on PostgreSQL unless told otherwise, and the most `--jobs`
// accepts.
inline constexpr int kDefaultSyncJobs = 4;
inline constexpr int kMaxSyncJobs = 16;

// The repositories synced at once by default on the store at `url`: kDefaultSyncJobs on
// PostgreSQL, 1 on SQLite.
inline int DefaultSyncJobs(const std::string& url) {
  const auto parsed = store::ParseStoreUrl(url);
  return parsed.ok() && parsed->engine == store::sql::Engine::kPostgres ? kDefaultSyncJobs : 1;
}

struct RepositorySync {
  std::string location;  // "acme/api" (Cloud), "PROJ/api" (Data Center), "acme/platform/api"
  model::Provider provider = model::Provider::kBitbucketCloud;
  common::Status status;
  ingest::RepositorySyncCounts synced;  // empty when the sync failed
};

struct SyncRequest {
  config::Paths paths;
  std::string pattern;            // fnmatch over "workspace/slug"; empty: every selected one
  common::UnixSeconds since = 0;  // how far back a repository's first sync goes
  // Told why a git fetch waits before trying again; may be empty.
  std::function<void(const std::string&)> on_wait;
  std::int64_t connection_id = 0;  // only that connection's repositories; 0: every connection's
  // Told after each repository (from one worker at a time); may be empty.
  std::function<void()> after_each = nullptr;
  int jobs = 0;  // repositories synced at once, 1 to kMaxSyncJobs; 0: DefaultSyncJobs
};

// Syncs the selected repositories whose location matches the pattern (of the connection, when
// named). Fails before syncing anything when no selected repository matches.
common::Result<std::vector<RepositorySync>> SyncSelected(const SyncRequest& request,
                                                         ConnectionClients& clients);

}  // namespace leadline::app
