// Backfill and repeat-sync figures for Bitbucket Cloud, against the local double on loopback
// with no added latency:
//  - pull requests stored per second (each with its activity and the repository's commits, from
//    the git mirror), SQLite in WAL mode;
//  - requests per 100 pull requests (the pull request list, the activity stream and the git
//    fetch), next to the per-pull-request pattern other tools use (a list, then each pull
//    request's activity and commits);
//  - requests per repository for a repeat sync of the unchanged workspace, REST and git apart;
//  - requests per repository after one new pipeline with its deployment;
//  - the same workspace as Data Center serves it: backfill, repeat sync, and the repeat sync's
//    git mirror step alone.
// With --manual-production, production deployments are manual steps most pipelines pause at.
// With --store URL, into that store (an empty one, e.g. a PostgreSQL database that `leadline
// migrate` made) instead of a new SQLite file in the run's folder. --jobs N repositories are
// synced at once, each on a store connection of its own (default: as `leadline sync` does on
// that store: 4 on PostgreSQL, 1 on SQLite).
//
//   leadline_sync_bench [--repos 20] [--pull-requests 1000] [--pipelines 100]
//                       [--deployments 50] [--manual-production 0|1]
//                       [--dir /tmp/leadline-sync-bench] [--store URL] [--jobs N]
//
// See docs/benchmarks.md.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

#include "app/sync.h"
#include "bitbucket_double/bitbucket_double.h"
#include "bitbucket_double/cloud_workspace.h"
#include "http/curl_http_client.h"
#include "ingest/repository_sync.h"
#include "sources/bitbucket/bitbucket_connector.h"
#include "store/store.h"
#include "sync_bench_support.h"

namespace {

using namespace leadline;
using bench::Seconds;

// Counts requests by the collection they ask for. Thread-safe, as sync may send from several
// threads.
class CountingClient final : public http::HttpClient {
 public:
  explicit CountingClient(http::HttpClient& inner) : inner_(inner) {}
  common::Result<http::HttpResponse> Send(const http::HttpRequest& request) override {
    Count(request.url);
    return inner_.Send(request);
  }
  void Reset() {
    total = 0;
    by_collection.clear();
  }
  int total = 0;
  std::map<std::string, int> by_collection;

 private:
  void Count(const std::string& url) {
    std::lock_guard lock(mutex_);
    ++total;
    for (const char* collection :
         {"/pullrequests/activity", "/commits?", "/pullrequests", "/pipelines", "/deployments",
          "/environments", "/activities", "/pull-requests", "/commits/stats", "/build-status"}) {
      if (url.find(collection) != std::string::npos) {
        ++by_collection[collection];
        break;
      }
    }
  }

  std::mutex mutex_;
  http::HttpClient& inner_;
};

struct Options {
  int repos = 20;
  int pull_requests = 1000;
  int pipelines = 100;
  int deployments = 50;
  bool manual_production = false;
  std::string dir = "/tmp/leadline-sync-bench";
  std::string store;  // empty: DIR/run-XXXXXX/leadline.db
  int jobs = 0;       // 0: as `leadline sync` on the store (app::DefaultSyncJobs)
};

bool ParseOptions(int argc, char** argv, Options& options) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--repos") {
      options.repos = std::stoi(value);
    } else if (flag == "--pull-requests") {
      options.pull_requests = std::stoi(value);
    } else if (flag == "--pipelines") {
      options.pipelines = std::stoi(value);
    } else if (flag == "--deployments") {
      options.deployments = std::stoi(value);
    } else if (flag == "--manual-production") {
      options.manual_production = value == "1";
    } else if (flag == "--dir") {
      options.dir = value;
    } else if (flag == "--store") {
      options.store = value;
    } else if (flag == "--jobs") {
      options.jobs = std::stoi(value);
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return false;
    }
  }
  return argc % 2 == 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: leadline_sync_bench [--repos N] [--pull-requests N] "
                 "[--pipelines N] [--deployments N] [--manual-production 0|1] [--dir DIR] "
                 "[--store URL] [--jobs N]\n");
    return 2;
  }
  testing::BitbucketDoubleConfig config;
  config.repositories = options.repos;
  config.pull_requests_per_repo = options.pull_requests;
  config.pipelines_per_repo = options.pipelines;
  config.deployments_per_repo = options.deployments;
  config.manual_production = options.manual_production;
  testing::BitbucketDouble bitbucket(config);

  const bench::RunDirectory run_dir(options.dir);
  options.dir = run_dir.path();
  const std::string store_url =
      options.store.empty() ? options.dir + "/leadline.db" : options.store;
  if (options.jobs == 0) options.jobs = app::DefaultSyncJobs(store_url);
  auto opened = store::OpenStore(store_url);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.status().message().c_str());
    return 1;
  }
  store::Store& store = **opened;
  http::CurlHttpClient curl;
  CountingClient client(curl);
  bench::CloudWorkspaceSync cloud(store, store_url, options.jobs, client, bitbucket, config,
                                  options.dir + "/mirrors");
  const std::vector<model::Repository>& repos = cloud.repositories();
  const auto sync_all = [&] { return cloud.SyncAll(); };

  const auto start = std::chrono::steady_clock::now();
  if (!sync_all()) return 1;
  const double backfill_s = Seconds(std::chrono::steady_clock::now() - start);
  const double backfill_git_s = cloud.git_seconds();
  const long pull_requests = static_cast<long>(options.repos) * options.pull_requests;
  const long activity = static_cast<long>(bitbucket.activity_entries()) * options.repos;
  const int pr_requests = client.by_collection["/pullrequests"];
  const int activity_requests = client.by_collection["/pullrequests/activity"];
  const auto git_requests = [&] {
    return bitbucket.requests_to(".git/info/refs") + bitbucket.requests_to(".git/git-upload-pack");
  };
  const int backfill_git_requests = git_requests();
  const auto commits = store.history().CountCommits(repos.front().id);
  // Squashed pull requests whose branch no sync saw: their commits, one list each.
  const int squashed_requests = client.by_collection["/commits?"];
  const double per_100 =
      100.0 * (pr_requests + activity_requests + squashed_requests + backfill_git_requests) /
      pull_requests;
  // The per-pull-request pattern: the same list pages, then one activity and one commits
  // request per pull request (each fits one page here).
  const double peer_per_100 = 100.0 * (pr_requests + 2.0 * pull_requests) / pull_requests;

  std::printf(
      "workspace: %d repositories x (%lld commits, %d pull requests, %ld activity entries, %d "
      "pipelines, %d deployments)\n",
      options.repos, static_cast<long long>(commits.ok() ? *commits : -1), options.pull_requests,
      activity / options.repos, options.pipelines, options.deployments);
  std::printf(
      "backfill: %.2f s, %d API requests (%d pull request pages, %d activity pages, %d "
      "squashed pull requests' commits, %d pipeline pages, %d deployment pages, %d environment "
      "pages), %d git requests; %d repositories at once, git mirrors and sizes %.2f s summed "
      "over them\n",
      backfill_s, client.total, pr_requests, activity_requests, squashed_requests,
      client.by_collection["/pipelines"], client.by_collection["/deployments"],
      client.by_collection["/environments"], backfill_git_requests,
      std::min(options.jobs, options.repos), backfill_git_s);
  std::printf("pull requests stored per second (with their activity and commits): %.0f\n",
              static_cast<double>(pull_requests) / backfill_s);
  std::printf("requests per 100 pull requests: %.2f (per-pull-request pattern: %.2f, %.0fx more)\n",
              per_100, peer_per_100, peer_per_100 / per_100);

  client.Reset();
  const auto again = std::chrono::steady_clock::now();
  if (!sync_all()) return 1;
  const int repeat_git_requests = git_requests() - backfill_git_requests;
  std::printf(
      "repeat sync of the unchanged workspace: %d API requests for %d repositories (%.2f per "
      "repository) and %d git ref listings (%.2f per repository), %.3f s\n",
      client.total, options.repos, static_cast<double>(client.total) / options.repos,
      repeat_git_requests, static_cast<double>(repeat_git_requests) / options.repos,
      Seconds(std::chrono::steady_clock::now() - again));

  // Each repository runs one more pipeline, which deploys.
  bitbucket.AddPipelines(1);
  client.Reset();
  const auto grown = std::chrono::steady_clock::now();
  if (!sync_all()) return 1;
  std::printf(
      "after one new pipeline with its deployment: %d API requests for %d repositories (%.2f per "
      "repository: %d activity, %d pipeline, %d deployment pages), %.3f s\n",
      client.total, options.repos, static_cast<double>(client.total) / options.repos,
      client.by_collection["/pullrequests/activity"], client.by_collection["/pipelines"],
      client.by_collection["/deployments"], Seconds(std::chrono::steady_clock::now() - grown));

  // The same workspace as Data Center serves it.
  std::vector<model::Repository> dc_repos;
  for (int i = 1; i <= options.repos; ++i) {
    const std::string slug = "repo-" + std::to_string(i);
    model::Repository repo{0,
                           "bitbucket-dc",
                           "PROJ/" + slug,
                           slug,
                           "main",
                           0,
                           false,
                           bitbucket.dc_url() + "/scm/proj/" + slug + ".git"};
    repo.id = *store.repositories().UpsertRepository(repo);
    dc_repos.push_back(repo);
  }
  const sources::ConnectionSettings dc_settings{model::Provider::kBitbucketDataCenter,
                                                bitbucket.dc_url(),
                                                "",
                                                model::AuthMethod::kHttpAccessToken,
                                                "",
                                                config.dc_token};
  const sources::bitbucket::BitbucketConnector dc_connector(model::Provider::kBitbucketDataCenter);
  const auto sync_dc = [&]() -> bool {
    return bench::SyncEach(dc_repos, options.jobs, store, store_url,
                           [&](store::Store& mine, const model::Repository& repo) {
                             return ingest::SyncRepository(
                                        {mine,
                                         client,
                                         dc_settings,
                                         repo,
                                         0,
                                         {},
                                         options.dir + "/mirrors/" + repo.location,
                                         {}},
                                        dc_connector)
                                 .status();
                           });
  };
  client.Reset();
  const auto dc_start = std::chrono::steady_clock::now();
  if (!sync_dc()) return 1;
  const double dc_s = Seconds(std::chrono::steady_clock::now() - dc_start);
  const int dc_pr_requests = client.by_collection["/pull-requests"];
  const int dc_activity_requests = client.by_collection["/activities"];
  std::printf(
      "Data Center backfill: %.2f s, %d API requests (%d pull request pages, %d activity lists, "
      "%d build statistics, %d build status lists); pull requests stored per second: %.0f; "
      "requests per 100 pull requests: %.2f\n",
      dc_s, client.total, dc_pr_requests, dc_activity_requests,
      client.by_collection["/commits/stats"], client.by_collection["/build-status"],
      static_cast<double>(pull_requests) / dc_s,
      100.0 * (dc_pr_requests + dc_activity_requests + 2.0 * options.repos) / pull_requests);
  client.Reset();
  const auto dc_again = std::chrono::steady_clock::now();
  if (!sync_dc()) return 1;
  std::printf(
      "Data Center repeat sync of the unchanged workspace: %d API requests (%.2f per "
      "repository), %.3f s\n",
      client.total, static_cast<double>(client.total) / options.repos,
      Seconds(std::chrono::steady_clock::now() - dc_again));
  // The git part of that repeat sync alone (the fetch of unchanged refs, among them every pull
  // request's refs/pull-requests/<n>/from, and the store's check), best of 5 passes.
  double best_mirror_s = 1e9;
  for (int pass = 0; pass < 5; ++pass) {
    const auto mirror_start = std::chrono::steady_clock::now();
    for (const model::Repository& repo : dc_repos) {
      auto synced = ingest::SyncTargetMirror(
          {store, client, dc_settings, repo, 0, {}, options.dir + "/mirrors/" + repo.location, {}},
          dc_connector.MirrorRefs());
      if (!synced.ok() || synced->new_commits != 0) {
        std::fprintf(stderr, "repeat mirror sync: %s\n", synced.status().message().c_str());
        return 1;
      }
    }
    best_mirror_s =
        std::min(best_mirror_s, Seconds(std::chrono::steady_clock::now() - mirror_start));
  }
  std::printf(
      "Data Center repeat git mirror sync of the unchanged workspace: %.3f s (%.1f ms per "
      "repository), best of 5\n",
      best_mirror_s, 1000.0 * best_mirror_s / options.repos);
  return 0;
}
