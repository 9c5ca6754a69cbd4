// What the sync benchmarks (sync_bench.cpp, gitlab_sync_bench.cpp) share: a run folder removed at
// the end, and the Bitbucket Cloud double's workspace synced as `leadline sync` syncs it (each
// repository's git mirror, its API sync, then its merged pull requests' sizes from the mirror,
// several repositories at once), the git part timed apart. Call from one thread; not part of the
// product.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "bitbucket_double/bitbucket_double.h"
#include "http/http_client.h"
#include "ingest/sync_target.h"
#include "model/repository.h"
#include "sources/contract/connection_settings.h"
#include "store/store.h"

namespace leadline::bench {

double Seconds(std::chrono::steady_clock::duration d);

// A new folder "<parent>/run-XXXXXX", removed with its contents when this goes away: creating
// thousands of ref files right where a previous run deleted as many is slower on ext4 than any
// user's first sync would be. Throws std::runtime_error when the folder cannot be made.
class RunDirectory {
 public:
  explicit RunDirectory(const std::string& parent);
  ~RunDirectory();
  RunDirectory(const RunDirectory&) = delete;
  RunDirectory& operator=(const RunDirectory&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Runs `sync_one` for each repository, `jobs` at once as `leadline sync` does (app/sync.h): the
// first worker on `store`, each other on a connection of its own to `store_url`. False (with the
// error on stderr) when one failed or a store could not be opened.
using SyncOne = std::function<common::Status(store::Store&, const model::Repository&)>;
bool SyncEach(const std::vector<model::Repository>& repos, int jobs, store::Store& store,
              const std::string& store_url, const SyncOne& sync_one);

// Sums the seconds of timed steps from several workers.
class SecondsSum {
 public:
  void Add(std::chrono::steady_clock::duration d) {
    std::lock_guard lock(mutex_);
    seconds_ += Seconds(d);
  }
  double seconds() const {
    std::lock_guard lock(mutex_);
    return seconds_;
  }

 private:
  mutable std::mutex mutex_;
  double seconds_ = 0;
};

// Syncs `target`'s repository as `leadline sync` does: its git mirror, then `api` (the upstream's
// part, given the target without the mirror), then its merged pull requests' sizes from the
// mirror. The git parts' time is added to `git_seconds`.
using ApiPart = std::function<common::Status(const ingest::SyncTarget& api_only)>;
common::Status SyncAsLeadlineDoes(const ingest::SyncTarget& target, SecondsSum& git_seconds,
                                  const ApiPart& api);

// The double's Cloud workspace ("acme/repo-1" ...) in `store` (at `store_url`), synced through
// `client`, `jobs` repositories at once.
class CloudWorkspaceSync {
 public:
  CloudWorkspaceSync(store::Store& store, std::string store_url, int jobs, http::HttpClient& client,
                     const testing::BitbucketDouble& bitbucket,
                     const testing::BitbucketDoubleConfig& config, std::string mirrors_dir);

  // Syncs every repository once; false (with the error on stderr) if one fails.
  bool SyncAll();
  // The time spent in git (mirrors and sizes) by every SyncAll so far, summed over the workers.
  double git_seconds() const { return git_seconds_.seconds(); }
  const std::vector<model::Repository>& repositories() const { return repos_; }

 private:
  common::Status SyncRepository(store::Store& store, const model::Repository& repo);

  store::Store& store_;
  std::string store_url_;
  int jobs_;
  http::HttpClient& client_;
  sources::ConnectionSettings settings_;
  std::string mirrors_dir_;
  std::vector<model::Repository> repos_;
  SecondsSum git_seconds_;
};

}  // namespace leadline::bench
