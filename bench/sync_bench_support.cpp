#include "sync_bench_support.h"

#include <stdlib.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "common/parallel_for.h"
#include "ingest/branch_commits.h"
#include "ingest/feed_runner.h"
#include "ingest/pull_request_sizes.h"
#include "sources/bitbucket/bitbucket_connector.h"

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

CloudWorkspaceSync::CloudWorkspaceSync(store::Store& store, std::string store_url, int jobs,
                                       http::HttpClient& client,
                                       const testing::BitbucketDouble& bitbucket,
                                       const testing::BitbucketDoubleConfig& config,
                                       std::string mirrors_dir)
    : store_(store),
      store_url_(std::move(store_url)),
      jobs_(jobs),
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
    repo.id = *store_.repositories().UpsertRepository(repo);
    repos_.push_back(repo);
  }
}

bool SyncEach(const std::vector<model::Repository>& repos, int jobs, store::Store& store,
              const std::string& store_url, const SyncOne& sync_one) {
  std::vector<std::unique_ptr<store::Store>> opened;
  std::vector<store::Store*> workers = {&store};
  while (workers.size() < std::min(static_cast<std::size_t>(jobs), repos.size())) {
    auto more = store::OpenStore(store_url);
    if (!more.ok()) {
      std::fprintf(stderr, "%s\n", more.status().message().c_str());
      return false;
    }
    workers.push_back(opened.emplace_back(std::move(more).value()).get());
  }
  std::atomic<bool> failed = false;
  common::ParallelForOnThreads(
      repos.size(), workers.size(), [&](std::size_t worker, std::size_t i) {
        const common::Status synced = sync_one(*workers[worker], repos[i]);
        if (!synced.ok()) {
          std::fprintf(stderr, "%s: %s\n", repos[i].location.c_str(), synced.message().c_str());
          failed = true;
        }
        return synced.ok();
      });
  return !failed;
}

bool CloudWorkspaceSync::SyncAll() {
  return SyncEach(repos_, jobs_, store_, store_url_,
                  [this](store::Store& store, const model::Repository& repo) {
                    return SyncRepository(store, repo);
                  });
}

common::Status SyncAsLeadlineDoes(const ingest::SyncTarget& target, SecondsSum& git_seconds,
                                  const ApiPart& api) {
  const auto git_start = std::chrono::steady_clock::now();
  LEADLINE_RETURN_IF_ERROR(ingest::SyncTargetMirror(target).status());
  git_seconds.Add(std::chrono::steady_clock::now() - git_start);
  ingest::SyncTarget api_only = target;
  api_only.mirror_path.clear();
  LEADLINE_RETURN_IF_ERROR(api(api_only));
  const auto sizes_start = std::chrono::steady_clock::now();
  LEADLINE_RETURN_IF_ERROR(
      ingest::SizeMergedPullRequests(target.store, target.repository.id, target.mirror_path)
          .status());
  git_seconds.Add(std::chrono::steady_clock::now() - sizes_start);
  return common::Status::Ok();
}

common::Status CloudWorkspaceSync::SyncRepository(store::Store& store,
                                                  const model::Repository& repo) {
  const ingest::SyncTarget target{
      store, client_, settings_, repo, 0, {}, mirrors_dir_ + "/" + repo.location, {}};
  return SyncAsLeadlineDoes(target, git_seconds_, [&](const ingest::SyncTarget& api_only) {
    const sources::bitbucket::BitbucketConnector cloud(model::Provider::kBitbucketCloud);
    LEADLINE_RETURN_IF_ERROR(
        ingest::RunRepositoryFeeds(api_only, cloud.RepositoryFeeds(api_only.settings, repo))
            .status());
    // Squashed pull requests' commits the mirror lacks, from the API (the mirror says which).
    return ingest::ReadSquashedBranchCommits(target, cloud).status();
  });
}

}  // namespace leadline::bench
