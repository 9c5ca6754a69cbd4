#include "sync_bench_support.h"

#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "ingest/bitbucket_cloud.h"
#include "ingest/branch_commits.h"
#include "ingest/pull_request_sizes.h"

namespace leadline::bench {

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

RunDirectory::RunDirectory(const std::string& parent) : path_(parent + "/run-XXXXXX") {
  std::filesystem::create_directories(parent);
  if (mkdtemp(path_.data()) == nullptr) {
    throw std::runtime_error("cannot make a folder in " + parent);
  }
}

RunDirectory::~RunDirectory() { std::filesystem::remove_all(path_); }

CloudWorkspaceSync::CloudWorkspaceSync(store::Store& store, http::HttpClient& client,
                                       const testing::BitbucketDouble& bitbucket,
                                       const testing::BitbucketDoubleConfig& config,
                                       std::string mirrors_dir)
    : store_(store),
      client_(client),
      settings_{model::Provider::kBitbucketCloud,
                bitbucket.cloud_api_url(),
                "acme",
                model::AuthMethod::kApiToken,
                config.email,
                config.api_token},
      mirrors_dir_(std::move(mirrors_dir)) {
  for (int i = 1; i <= config.repositories; ++i) {
    const std::string slug = "repo-" + std::to_string(i);
    model::Repository repo{
        0,
        "bitbucket-cloud",
        "acme/" + slug,
        slug,
        "main",
        0,
        false,
        "http://127.0.0.1:" + std::to_string(bitbucket.port()) + "/acme/" + slug + ".git"};
    repo.id = *store_.UpsertRepository(repo);
    repos_.push_back(repo);
  }
}

bool CloudWorkspaceSync::SyncAll() {
  for (const model::Repository& repo : repos_) {
    const ingest::SyncTarget target{
        store_, client_, settings_, repo, 0, {}, mirrors_dir_ + "/" + repo.location, {}};
    const auto git_start = std::chrono::steady_clock::now();
    auto mirrored = ingest::SyncTargetMirror(target);
    git_seconds_ += Seconds(std::chrono::steady_clock::now() - git_start);
    ingest::SyncTarget api_only = target;
    api_only.mirror_path.clear();
    auto synced = mirrored.ok() ? ingest::SyncCloudRepository(api_only)
                                : common::Result<ingest::RepositorySyncCounts>(mirrored.status());
    if (!synced.ok()) {
      std::fprintf(stderr, "%s\n", synced.status().message().c_str());
      return false;
    }
    // Squashed pull requests' commits the mirror lacks, from the API (the mirror says which).
    auto squashed = ingest::ReadSquashedBranchCommits(target);
    if (!squashed.ok()) {
      std::fprintf(stderr, "%s\n", squashed.status().message().c_str());
      return false;
    }
    // Merged pull requests' sizes, read from the mirror as `leadline sync` does.
    const auto sizes_start = std::chrono::steady_clock::now();
    auto sized = ingest::SizeMergedPullRequests(store_, repo.id, target.mirror_path);
    git_seconds_ += Seconds(std::chrono::steady_clock::now() - sizes_start);
    if (!sized.ok()) {
      std::fprintf(stderr, "%s\n", sized.status().message().c_str());
      return false;
    }
  }
  return true;
}

}  // namespace leadline::bench
