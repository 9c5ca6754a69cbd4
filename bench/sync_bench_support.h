// What the sync benchmarks (sync_bench.cpp, gitlab_sync_bench.cpp) share: a run folder removed at
// the end, and the Bitbucket Cloud double's workspace synced as `leadline sync` syncs it (each
// repository's git mirror, its API sync, then its merged pull requests' sizes from the mirror),
// the git part timed apart. Single-threaded; not part of the product.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "bitbucket_double/bitbucket_double.h"
#include "http/http_client.h"
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

// The double's Cloud workspace ("acme/repo-1" ...) in `store`, synced through `client`.
class CloudWorkspaceSync {
 public:
  CloudWorkspaceSync(store::Store& store, http::HttpClient& client,
                     const testing::BitbucketDouble& bitbucket,
                     const testing::BitbucketDoubleConfig& config, std::string mirrors_dir);

  // Syncs every repository once; false (with the error on stderr) if one fails.
  bool SyncAll();
  // The time spent in git (mirrors and sizes) by every SyncAll so far.
  double git_seconds() const { return git_seconds_; }
  const std::vector<model::Repository>& repositories() const { return repos_; }

 private:
  store::Store& store_;
  http::HttpClient& client_;
  sources::ConnectionSettings settings_;
  std::string mirrors_dir_;
  std::vector<model::Repository> repos_;
  double git_seconds_ = 0;
};

}  // namespace leadline::bench
