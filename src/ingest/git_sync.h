// Brings a local git repository into the store, incrementally: the first run reads the whole
// history, later runs read only commits that are not stored yet (the walk hides the refs stored
// last time). Refs and deployments are replaced by what the repository and the deployment
// source say now. Runs inside the caller's transaction, so bad input leaves the store as it was.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "git/git_repository.h"
#include "model/deployment.h"
#include "model/repository.h"
#include "store/store.h"

namespace leadline::ingest {

struct DeploymentSource {
  std::string tag_pattern;  // used when deploy_log_path is empty
  std::optional<std::string> deploy_log_path;
};

struct GitSyncResult {
  model::Repository repository;
  std::int64_t new_commits = 0;
  std::int64_t total_commits = 0;
  bool refs_changed = false;
  bool deployments_changed = false;
  bool changed() const { return new_commits > 0 || refs_changed || deployments_changed; }
};

// What the repository says now: its refs and its deployments. Read before the store is opened,
// so that a bad pattern or deploy log fails without touching (or creating) the store.
struct GitState {
  std::vector<model::Ref> refs;
  std::vector<model::Deployment> deployments;
};
common::Result<GitState> ReadGitState(const git::GitRepository& repo,
                                      const DeploymentSource& source);

struct HistorySync {
  std::int64_t new_commits = 0;
  std::int64_t total_commits = 0;
  bool refs_changed = false;
};

// Stores the commits reachable from `refs` and `tips` that are not stored yet (the walk stops at
// stored ones: everything behind a stored ref or deployment is stored), then makes the stored
// refs equal to `refs`. `on_batch` (may be empty) hears the running count of new commits. Writes
// in `transaction`, open on `store`. With `commits_per_transaction` above 0, that transaction
// is committed and begun again after each so many new commits: a first sync of a long history
// then holds the store's write lock for a part at a time. Commits stored so are kept if a later
// part fails, and the next call, told so by a mark stored with them, completes the history.
common::Result<HistorySync> StoreGitHistory(store::Store& store, store::Transaction& transaction,
                                            std::int64_t repo_id, const git::GitRepository& repo,
                                            const std::vector<model::Ref>& refs,
                                            const std::vector<std::string>& tips,
                                            const std::function<void(std::int64_t)>& on_batch,
                                            std::int64_t commits_per_transaction = 0);

// Stores the new commits, the refs and the deployments of `state`, in `transaction`, open on
// `store`.
common::Result<GitSyncResult> SyncGitRepository(store::Store& store,
                                                store::Transaction& transaction,
                                                const git::GitRepository& repo,
                                                const GitState& state);

}  // namespace leadline::ingest
