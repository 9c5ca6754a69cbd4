// GitLab sync figures (issue 17), against the local GitLab double on loopback (with no added
// latency unless --latency-ms says how long each request to either double waits, as on a
// network), and the Bitbucket Cloud sync of the same workload in the same run as the peer:
//  - merge requests stored per second (each with its notes and the project's commits, branches
//    and tags, pipelines and deployments), SQLite in WAL mode, next to Bitbucket Cloud's pull
//    requests stored per second, and their ratio;
//  - API requests per 100 merge requests on a first sync, by endpoint (the merge request list,
//    each merge request's notes, pipelines, deployments, environments), and git requests apart;
//  - what the notes requests read: the merge requests without a user note (GitLab's
//    user_notes_count 0), and the review activity only their system notes hold;
//  - requests per project for a repeat sync of the unchanged projects, and after one more merge
//    request, pipeline and deployment each.
// Both sides sync as `leadline sync` does: the git mirror, the API, the merged pull requests'
// sizes from the mirror, --jobs repositories at once (default: as `leadline sync` does on SQLite,
// one at a time). Both
// doubles run in this process, on the same cores: their work (building payloads, `git
// pack-objects`) is inside the figures.
//
//   leadline_gitlab_sync_bench [--projects 10] [--merge-requests 1000] [--pipelines 100]
//                              [--deployments 50] [--latency-ms 0] [--jobs N]
//                              [--dir /tmp/leadline-gitlab-sync-bench]
//
// Bitbucket Cloud gets as many repositories as there are projects, and as many pull requests,
// pipelines and deployments each. See docs/benchmarks.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "app/sync.h"
#include "bitbucket_double/bitbucket_double.h"
#include "gitlab_double/gitlab_double.h"
#include "http/curl_http_client.h"
#include "ingest/feed_runner.h"
#include "sources/registry/registry.h"
#include "store/store.h"
#include "sync_bench_support.h"

namespace {

using namespace leadline;
using bench::Seconds;

struct Options {
  int projects = 10;
  int merge_requests = 1000;
  int pipelines = 100;
  int deployments = 50;
  int latency_ms = 0;
  int jobs = 0;  // 0: as `leadline sync` on the store (app::DefaultSyncJobs)
  std::string dir = "/tmp/leadline-gitlab-sync-bench";
};

bool ParseOptions(int argc, char** argv, Options& options) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--projects") {
      options.projects = std::stoi(value);
    } else if (flag == "--merge-requests") {
      options.merge_requests = std::stoi(value);
    } else if (flag == "--pipelines") {
      options.pipelines = std::stoi(value);
    } else if (flag == "--deployments") {
      options.deployments = std::stoi(value);
    } else if (flag == "--latency-ms") {
      options.latency_ms = std::stoi(value);
    } else if (flag == "--jobs") {
      options.jobs = std::stoi(value);
    } else if (flag == "--dir") {
      options.dir = value;
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return false;
    }
  }
  return argc % 2 == 1 && options.projects > 0 && options.merge_requests > 0 &&
         options.latency_ms >= 0 && options.jobs >= 0;
}

// Requests by the double's endpoint since the last Take.
class EndpointCounts {
 public:
  explicit EndpointCounts(const testing::GitLabDouble& gitlab) : gitlab_(gitlab) {}

  std::map<std::string, int> Take() {
    std::map<std::string, int> now = gitlab_.requests_by_endpoint();
    std::map<std::string, int> since = now;
    for (auto& [endpoint, count] : since) count -= before_[endpoint];
    before_ = std::move(now);
    return since;
  }

 private:
  const testing::GitLabDouble& gitlab_;
  std::map<std::string, int> before_;
};

constexpr const char* kMergeRequestList = "GET /projects/:id/merge_requests";
constexpr const char* kNotes = "GET /projects/:id/merge_requests/:iid/notes";
constexpr const char* kPipelines = "GET /projects/:id/pipelines";
constexpr const char* kDeployments = "GET /projects/:id/deployments";
constexpr const char* kEnvironments = "GET /projects/:id/environments";

int GitRequests(const std::map<std::string, int>& counts) {
  int git = 0;
  for (const auto& [endpoint, count] : counts) {
    if (endpoint.find(" /:project.git/") != std::string::npos) git += count;
  }
  return git;
}

int ApiRequests(const std::map<std::string, int>& counts) {
  int api = 0;
  for (const auto& [endpoint, count] : counts) api += count;
  return api - GitRequests(counts);
}

int At(const std::map<std::string, int>& counts, const char* endpoint) {
  const auto found = counts.find(endpoint);
  return found == counts.end() ? 0 : found->second;
}

// The GitLab projects in the store (at `store_url`), synced as `leadline sync` syncs them,
// `jobs` at once.
class GitLabSync {
 public:
  GitLabSync(store::Store& store, std::string store_url, int jobs, http::HttpClient& client,
             const testing::GitLabDouble& gitlab, const std::vector<std::string>& projects,
             std::string mirrors_dir)
      : store_(store),
        store_url_(std::move(store_url)),
        jobs_(jobs),
        client_(client),
        settings_{model::Provider::kGitLab,        gitlab.url(), "",
                  model::AuthMethod::kGitLabToken, "",           "glpat-personal-token"},
        mirrors_dir_(std::move(mirrors_dir)) {
    for (const std::string& path : projects) {
      model::Repository repo{0,      "gitlab", path,  path.substr(path.rfind('/') + 1),
                             "main", 0,        false, gitlab.clone_url(path)};
      repo.id = *store_.repositories().UpsertRepository(repo);
      repos_.push_back(repo);
    }
  }

  bool SyncAll() {
    return bench::SyncEach(repos_, jobs_, store_, store_url_,
                           [this](store::Store& store, const model::Repository& repo) {
                             return SyncProject(store, repo);
                           });
  }

  double git_seconds() const { return git_seconds_.seconds(); }
  const std::vector<model::Repository>& repositories() const { return repos_; }

 private:
  common::Status SyncProject(store::Store& store, const model::Repository& repo) {
    LEADLINE_ASSIGN_OR_RETURN(const sources::Connector* connector,
                              sources::ConnectorFor(model::Provider::kGitLab));
    const ingest::SyncTarget target{
        store, client_, settings_, repo, 0, {}, mirrors_dir_ + "/" + repo.location, {}};
    return bench::SyncAsLeadlineDoes(target, git_seconds_, [&](const ingest::SyncTarget& api_only) {
      return ingest::RunRepositoryFeeds(api_only, connector->RepositoryFeeds(settings_, repo))
          .status();
    });
  }

  store::Store& store_;
  std::string store_url_;
  int jobs_;
  http::HttpClient& client_;
  sources::ConnectionSettings settings_;
  std::string mirrors_dir_;
  std::vector<model::Repository> repos_;
  bench::SecondsSum git_seconds_;
};

// What the stored review activity says about the notes requests: the merge requests with no
// comment (GitLab's user_notes_count 0) and the entries of theirs that came from system notes.
struct NotesReach {
  long merge_requests = 0;
  long without_comment = 0;
  std::map<model::PullRequestActivityKind, long> their_entries;
  std::map<model::PullRequestActivityKind, long> entries_by_kind;
  long entries = 0;
};

bool CountNotesReach(store::Store& store, const std::vector<model::Repository>& repos,
                     NotesReach& reach) {
  for (const model::Repository& repo : repos) {
    auto pull_requests = store.pull_requests().LoadPullRequests(repo.id);
    auto activity = store.pull_requests().LoadPullRequestActivity(repo.id);
    if (!pull_requests.ok() || !activity.ok()) {
      std::fprintf(stderr, "cannot read back %s\n", repo.location.c_str());
      return false;
    }
    std::set<std::int64_t> commented;
    for (const model::PullRequestActivity& entry : *activity) {
      if (entry.kind == model::PullRequestActivityKind::kComment) commented.insert(entry.pr_number);
    }
    reach.merge_requests += static_cast<long>(pull_requests->size());
    reach.without_comment += static_cast<long>(pull_requests->size() - commented.size());
    reach.entries += static_cast<long>(activity->size());
    for (const model::PullRequestActivity& entry : *activity) {
      ++reach.entries_by_kind[entry.kind];
      if (!commented.contains(entry.pr_number)) ++reach.their_entries[entry.kind];
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseOptions(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: leadline_gitlab_sync_bench [--projects N] [--merge-requests N] "
                 "[--pipelines N] [--deployments N] [--latency-ms N] [--jobs N] [--dir DIR]\n");
    return 2;
  }
  const bench::RunDirectory run_dir(options.dir);
  if (options.jobs == 0) options.jobs = app::DefaultSyncJobs(run_dir.path() + "/gitlab.db");
  http::CurlHttpClient client;
  const long merge_requests = static_cast<long>(options.projects) * options.merge_requests;

  // The peer first: Bitbucket Cloud, the same counts, its own store.
  double cloud_s = 0;
  {
    testing::BitbucketDoubleConfig config;
    config.repositories = options.projects;
    config.pull_requests_per_repo = options.merge_requests;
    config.pipelines_per_repo = options.pipelines;
    config.deployments_per_repo = options.deployments;
    testing::BitbucketDouble bitbucket(config);
    bitbucket.SetLatency(std::chrono::milliseconds(options.latency_ms));
    const std::string store_url = run_dir.path() + "/bitbucket.db";
    auto opened = store::OpenStore(store_url);
    if (!opened.ok()) {
      std::fprintf(stderr, "%s\n", opened.status().message().c_str());
      return 1;
    }
    bench::CloudWorkspaceSync cloud(**opened, store_url, options.jobs, client, bitbucket, config,
                                    run_dir.path() + "/bitbucket-mirrors");
    const auto start = std::chrono::steady_clock::now();
    if (!cloud.SyncAll()) return 1;
    cloud_s = Seconds(std::chrono::steady_clock::now() - start);
    const int git =
        bitbucket.requests_to(".git/info/refs") + bitbucket.requests_to(".git/git-upload-pack");
    std::printf(
        "Bitbucket Cloud: %d repositories x %d pull requests: %.2f s (git %.2f s summed over the "
        "workers), %d API and %d "
        "git requests (%.2f per 100 pull requests); pull requests stored per second: %.0f\n",
        options.projects, options.merge_requests, cloud_s, cloud.git_seconds(),
        bitbucket.requests() - git, git, 100.0 * bitbucket.requests() / merge_requests,
        static_cast<double>(merge_requests) / cloud_s);
  }

  testing::GitLabDoubleConfig config;
  config.projects.clear();
  for (int i = 1; i <= options.projects; ++i) {
    config.projects.push_back("acme/project-" + std::to_string(i));
  }
  config.merge_requests_per_project = options.merge_requests;
  config.pipelines_per_project = options.pipelines;
  config.deployments_per_project = options.deployments;
  testing::GitLabDouble gitlab(config);
  gitlab.SetLatency(std::chrono::milliseconds(options.latency_ms));
  EndpointCounts counts(gitlab);
  const std::string store_url = run_dir.path() + "/gitlab.db";
  auto opened = store::OpenStore(store_url);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.status().message().c_str());
    return 1;
  }
  store::Store& store = **opened;
  GitLabSync sync(store, store_url, options.jobs, client, gitlab, config.projects,
                  run_dir.path() + "/gitlab-mirrors");

  const auto start = std::chrono::steady_clock::now();
  if (!sync.SyncAll()) return 1;
  const double first_s = Seconds(std::chrono::steady_clock::now() - start);
  const std::map<std::string, int> first = counts.Take();
  NotesReach reach;
  if (!CountNotesReach(store, sync.repositories(), reach)) return 1;
  if (reach.merge_requests != merge_requests) {
    std::fprintf(stderr, "stored %ld merge requests, expected %ld\n", reach.merge_requests,
                 merge_requests);
    return 1;
  }
  const auto commits = store.history().CountCommits(sync.repositories().front().id);
  const double per_100 = 100.0 / static_cast<double>(merge_requests);
  const int api = ApiRequests(first);
  const int notes = At(first, kNotes);
  std::printf(
      "GitLab: %d projects x (%lld commits, %d merge requests, %ld review entries from their "
      "notes, %d pipelines, %d deployments)\n",
      options.projects, static_cast<long long>(commits.ok() ? *commits : -1),
      options.merge_requests, reach.entries / options.projects, options.pipelines,
      options.deployments);
  std::printf("GitLab first sync: %.2f s, %d projects at once (git %.2f s summed over them)\n",
              first_s, std::min(options.jobs, options.projects), sync.git_seconds());
  std::printf(
      "merge requests stored per second (with their notes and commits): %.0f; Bitbucket Cloud "
      "pull requests in the same run: %.0f; GitLab / Bitbucket Cloud: %.2f\n",
      static_cast<double>(merge_requests) / first_s, static_cast<double>(merge_requests) / cloud_s,
      cloud_s / first_s);
  std::printf(
      "requests per 100 merge requests: %.2f API + %.2f git (merge request pages %.2f, notes "
      "%.2f, pipeline pages %.2f, deployment pages %.2f, environment pages %.2f); notes are "
      "%.0f%% of the API requests\n",
      per_100 * api, per_100 * GitRequests(first), per_100 * At(first, kMergeRequestList),
      per_100 * notes, per_100 * At(first, kPipelines), per_100 * At(first, kDeployments),
      per_100 * At(first, kEnvironments), 100.0 * notes / api);
  using Kind = model::PullRequestActivityKind;
  std::printf(
      "merge requests without a comment (user_notes_count 0): %ld of %ld (%.2f notes requests per "
      "100 merge requests); review entries only their system notes hold: %ld of %ld approvals, "
      "%ld of %ld merges, closes and reopens, %ld of %ld requests for changes\n",
      reach.without_comment, reach.merge_requests, per_100 * reach.without_comment,
      reach.their_entries[Kind::kApproval], reach.entries_by_kind[Kind::kApproval],
      reach.their_entries[Kind::kUpdate], reach.entries_by_kind[Kind::kUpdate],
      reach.their_entries[Kind::kChangesRequested], reach.entries_by_kind[Kind::kChangesRequested]);

  const auto again = std::chrono::steady_clock::now();
  if (!sync.SyncAll()) return 1;
  const double again_s = Seconds(std::chrono::steady_clock::now() - again);
  const std::map<std::string, int> repeat = counts.Take();
  std::printf(
      "repeat sync of the unchanged projects: %d API requests for %d projects (%.2f per project: "
      "%d merge request, %d notes, %d pipeline, %d deployment, %d environment), %d git requests "
      "(%.2f per project), %.3f s\n",
      ApiRequests(repeat), options.projects,
      static_cast<double>(ApiRequests(repeat)) / options.projects, At(repeat, kMergeRequestList),
      At(repeat, kNotes), At(repeat, kPipelines), At(repeat, kDeployments),
      At(repeat, kEnvironments), GitRequests(repeat),
      static_cast<double>(GitRequests(repeat)) / options.projects, again_s);

  gitlab.Advance(1);
  const auto grown = std::chrono::steady_clock::now();
  if (!sync.SyncAll()) return 1;
  const double grown_s = Seconds(std::chrono::steady_clock::now() - grown);
  const std::map<std::string, int> advanced = counts.Take();
  std::printf(
      "after one more merge request, pipeline and deployment per project: %.2f API requests per "
      "project (%d merge request, %d notes, %d pipeline, %d deployment, %d environment for %d), "
      "%.3f s\n",
      static_cast<double>(ApiRequests(advanced)) / options.projects,
      At(advanced, kMergeRequestList), At(advanced, kNotes), At(advanced, kPipelines),
      At(advanced, kDeployments), At(advanced, kEnvironments), options.projects, grown_s);
  return 0;
}
