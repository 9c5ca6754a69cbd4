#include "cli/sync_command.h"

#include <cstdio>
#include <memory>

#include "app/sync.h"
#include "cli/errors.h"
#include "cli/store_options.h"
#include "http/curl_http_client.h"

namespace leadline::cli {
namespace {

struct SyncFlags {
  StoreOptions store;
  std::string repo;
  std::string since = "90d";
  int jobs = 0;  // 0: app::DefaultSyncJobs
};

// "acme/api: 812 commits (40 new), 120 pull requests, 480 activity entries, 30 pipelines,
// 12 deployments (95 new or changed)"; Data Center repositories have build statuses instead of
// pipelines and deployments; ", commits of 3 squashed pull requests read (2 listed)" when the
// host was asked for any (ingest/branch_commits.h).
void PrintRepository(const app::RepositorySync& repo) {
  const ingest::RepositorySyncCounts& s = repo.synced;
  std::string line = repo.location + ": " + std::to_string(s.commits.total_commits) + " commits (" +
                     std::to_string(s.commits.new_commits) + " new), " +
                     std::to_string(s.pull_requests.received) + " pull requests" +
                     (s.pull_requests_skipped ? " (unchanged)" : "") + ", " +
                     std::to_string(s.activity.received) + " activity entries, ";
  if (repo.provider == model::Provider::kBitbucketDataCenter) {
    line += std::to_string(s.pipelines.received) + " build statuses";
  } else {
    line += std::to_string(s.pipelines.received) + " pipelines, " +
            std::to_string(s.deployments.received) + " deployments";
  }
  if (s.squashed_commits.received > 0) {
    line += ", commits of " + std::to_string(s.squashed_commits.received) +
            " squashed pull requests read (" + std::to_string(s.squashed_commits.changed) +
            " listed)";
  }
  std::printf("%s (%lld new or changed)\n", line.c_str(),
              static_cast<long long>(s.Total().changed));
}

// "812 KB", "3.4 MB".
std::string Bytes(std::uint64_t bytes) {
  char text[32];
  if (bytes < 1'000'000) {
    std::snprintf(text, sizeof(text), "%llu KB", static_cast<unsigned long long>(bytes / 1000));
  } else {
    std::snprintf(text, sizeof(text), "%.1f MB", static_cast<double>(bytes) / 1e6);
  }
  return text;
}

int RunSync(const SyncFlags& flags) {
  auto window = common::ParseDurationFlag(flags.since);
  if (!window.ok()) return ReportError(window.status().WithContext("--since"));
  http::CurlHttpClient curl;
  const auto say_wait = [](const std::string& why) {
    std::fprintf(stderr, "leadline: waiting: %s\n", why.c_str());
  };
  // The connections' request budgets are shared with the servers and syncs on the same store.
  auto clients = app::ConnectionClients::SharedThroughStore(curl, flags.store.paths, {},
                                                            common::SystemClock(), say_wait);
  if (!clients.ok()) return ReportError(clients.status());
  app::SyncRequest request{flags.store.paths, flags.repo, common::NowUnixSeconds() - *window,
                           say_wait};
  request.jobs = flags.jobs;
  auto synced = app::SyncSelected(request, **clients);
  if (!synced.ok()) return ReportError(synced.status());
  int failed = 0;
  std::int64_t changed = 0;
  std::uint64_t fetched_bytes = 0;
  for (const app::RepositorySync& repo : *synced) {
    if (!repo.status.ok()) {
      ++failed;
      std::fprintf(stderr, "leadline: error: %s\n", repo.status.message().c_str());
      continue;
    }
    changed += repo.synced.Total().changed;
    fetched_bytes += repo.synced.commits.received_bytes;
    PrintRepository(repo);
  }
  const http::RequestCounts counts = (*clients)->Counts();
  std::printf(
      "Synced %zu of %zu repositories: %llu API requests (%llu retried), %s of git objects, "
      "%lld rows new or changed.\n",
      synced->size() - static_cast<std::size_t>(failed), synced->size(),
      static_cast<unsigned long long>(counts.requests),
      static_cast<unsigned long long>(counts.retries), Bytes(fetched_bytes).c_str(),
      static_cast<long long>(changed));
  return failed == 0 ? 0 : 1;
}

}  // namespace

std::function<int()> AddSyncCommand(CLI::App& app) {
  auto flags = std::make_shared<SyncFlags>();
  CLI::App* sync = app.add_subcommand(
      "sync",
      "Backfill the selected repositories (Bitbucket, GitLab): commits, branches and tags "
      "(through a git mirror in the data directory), pull requests with their review activity, "
      "pipelines, deployments and environments (Data Center: build statuses). Resumable; a "
      "repeat sync fetches only changes");
  sync->add_option("--repo", flags->repo, "Only the selected repositories matching this pattern");
  sync->add_option("--since", flags->since,
                   "How far back a repository's first sync goes (s, m, h, d or w)")
      ->capture_default_str();
  sync->add_option("--jobs", flags->jobs,
                   "How many repositories are synced at once (1 to " +
                       std::to_string(app::kMaxSyncJobs) + "; default " +
                       std::to_string(app::kDefaultSyncJobs) + " on PostgreSQL, 1 on SQLite)")
      ->check(CLI::Range(1, app::kMaxSyncJobs));
  AddStoreOptions(sync, &flags->store);
  return [sync, flags]() { return sync->parsed() ? RunSync(*flags) : -1; };
}

}  // namespace leadline::cli
