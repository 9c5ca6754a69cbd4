#include "app/sync.h"

#include <algorithm>
#include <mutex>

#include "app/connections.h"
#include "app/repositories.h"
#include "common/parallel_for.h"
#include "common/progress.h"
#include "ingest/feedback_triggers.h"
#include "ingest/pull_request_sizes.h"
#include "ingest/repository_sync.h"
#include "sources/registry/registry.h"

namespace leadline::app {
namespace {

// "<mirrors>/<connection id>/<workspace or project>/<slug>.git"
// (a location that would climb out of the folder has its dots replaced).
std::string MirrorPath(const config::Paths& paths, const model::Repository& repo) {
  std::string location = repo.location;
  for (std::size_t at; (at = location.find("..")) != std::string::npos;)
    location.replace(at, 2, "__");
  return paths.mirrors_dir + "/" + std::to_string(repo.connection_id) + "/" + location + ".git";
}

// The progress bar, drawn by one worker at a time.
class SharedProgress {
 public:
  explicit SharedProgress(std::size_t total) : bar_("Syncing", total) {}
  void SetLabel(std::string label) {
    std::lock_guard lock(mutex_);
    bar_.SetLabel(std::move(label));
  }
  // One more repository done; `then` runs under the same lock.
  void RepositoryDone(const std::function<void()>& then) {
    std::lock_guard lock(mutex_);
    bar_.Add(1);
    if (then) then();
  }

 private:
  std::mutex mutex_;
  common::ProgressBar bar_;
};

common::Result<ingest::RepositorySyncCounts> SyncRepository(OpenedConnections& opened,
                                                            ConnectionClients& clients,
                                                            const model::Repository& repo,
                                                            const SyncRequest& request,
                                                            SharedProgress& progress) {
  const auto connection =
      std::find_if(opened.connections.begin(), opened.connections.end(),
                   [&](const model::Connection& c) { return c.id == repo.connection_id; });
  if (connection == opened.connections.end()) {
    return common::Status::Internal("the connection of " + repo.location +
                                    " is missing from the store");
  }
  auto secret = opened.box.Open(connection->sealed_secret);
  if (!secret.ok()) return secret.status().WithContext(connection->name);
  const sources::ConnectionSettings settings = SettingsFor(*connection, *secret);
  LEADLINE_ASSIGN_OR_RETURN(const sources::Connector* connector,
                            sources::ConnectorFor(connection->provider));
  http::HttpClient& client = clients.For(
      *connection, static_cast<std::uint32_t>(connector->DefaultRequestsPerHour(settings)));
  const ingest::SyncTarget target{*opened.store,
                                  client,
                                  settings,
                                  repo,
                                  request.since,
                                  [&](const ingest::SyncCounts& so_far) {
                                    progress.SetLabel("Syncing " + repo.location + ": " +
                                                      std::to_string(so_far.received) + " rows");
                                  },
                                  MirrorPath(request.paths, repo),
                                  request.on_wait};
  // What the sync changes queues feedback posts, for repositories with feedback on.
  LEADLINE_ASSIGN_OR_RETURN(const std::optional<ingest::FeedbackMarks> marks,
                            ingest::MarkForFeedback(*opened.store, repo.id));
  LEADLINE_ASSIGN_OR_RETURN(ingest::RepositorySyncCounts counts,
                            ingest::SyncRepository(target, *connector));
  LEADLINE_ASSIGN_OR_RETURN(
      counts.sized_pull_requests,
      ingest::SizeMergedPullRequests(*opened.store, repo.id, target.mirror_path));
  if (marks) {
    LEADLINE_RETURN_IF_ERROR(
        ingest::QueueFeedbackChanges(*opened.store, repo.id, *marks, common::NowUnixSeconds())
            .status());
  }
  return counts;
}

// Syncs `repo` under its lock and says how it went.
RepositorySync SyncUnderLock(OpenedConnections& opened, ConnectionClients& clients,
                             const model::Repository& repo, const SyncRequest& request,
                             SharedProgress& progress) {
  store::Coordination& coordination = opened.store->coordination();
  ingest::RepositorySyncCounts counts;
  common::Status status = coordination.LockRepository(repo.id);
  if (status.ok()) {
    auto result = SyncRepository(opened, clients, repo, request, progress);
    status = result.ok() ? common::Status::Ok() : result.status();
    if (result.ok()) counts = *result;
    if (status.ok())
      status = opened.store->repositories().SetSyncedAt(repo.id, common::NowUnixSeconds());
    if (const common::Status unlocked = coordination.UnlockRepository(repo.id);
        status.ok() && !unlocked.ok()) {
      status = unlocked;
    }
  }
  if (status.code() == common::StatusCode::kNotFound) {
    status = common::Status::NotFound(
        status.message() +
        ". The connection's credentials cannot see this repository: the account lost access, "
        "or it was deleted or renamed (`leadline repos list` shows what is visible)");
  }
  return {repo.location,
          model::ParseProvider(repo.source).value_or(model::Provider::kBitbucketCloud), status,
          status.ok() ? counts : ingest::RepositorySyncCounts{}};
}

}  // namespace

common::Result<std::vector<RepositorySync>> SyncSelected(const SyncRequest& request,
                                                         ConnectionClients& clients) {
  if (request.jobs < 0 || request.jobs > kMaxSyncJobs) {
    return common::Status::InvalidArgument("the repositories synced at once must be 1 to " +
                                           std::to_string(kMaxSyncJobs) + ", not " +
                                           std::to_string(request.jobs));
  }
  LEADLINE_ASSIGN_OR_RETURN(OpenedConnections opened, OpenConnections(request.paths));
  LEADLINE_ASSIGN_OR_RETURN(std::vector<model::Repository> repos,
                            SelectedRepositories(*opened.store, request.pattern));
  if (request.connection_id != 0) {
    std::erase_if(repos, [&](const model::Repository& repo) {
      return repo.connection_id != request.connection_id;
    });
    if (repos.empty()) {
      return common::Status::NotFound("no selected repository of connection " +
                                      std::to_string(request.connection_id) + " matches '" +
                                      request.pattern + "'");
    }
  }
  std::vector<RepositorySync> out(repos.size());
  SharedProgress progress(repos.size());
  // A store connection per worker; one that cannot be opened leaves its share to the others.
  const int asked = request.jobs == 0 ? DefaultSyncJobs(request.paths.store) : request.jobs;
  std::vector<OpenedConnections> workers;
  workers.push_back(std::move(opened));
  while (workers.size() < std::min(static_cast<std::size_t>(asked), repos.size())) {
    auto store = store::OpenStore(request.paths.store);
    if (!store.ok()) break;
    workers.push_back({std::move(*store), workers[0].connections, workers[0].box});
  }
  common::ParallelForOnThreads(
      repos.size(), workers.size(), [&](std::size_t worker, std::size_t i) {
        progress.SetLabel("Syncing " + repos[i].location);
        out[i] = SyncUnderLock(workers[worker], clients, repos[i], request, progress);
        progress.RepositoryDone(request.after_each);
        return true;
      });
  return out;
}

}  // namespace leadline::app
