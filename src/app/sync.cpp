#include "app/sync.h"

#include <fnmatch.h>

#include <algorithm>

#include "app/connections.h"
#include "common/progress.h"

namespace leadline::app {
namespace {

// "<db>.mirrors/<connection id>/<workspace or project>/<slug>.git"
// (a location that would climb out of the folder has its dots replaced).
std::string MirrorPath(const std::string& db_path, const model::Repository& repo) {
  std::string location = repo.location;
  for (std::size_t at; (at = location.find("..")) != std::string::npos;)
    location.replace(at, 2, "__");
  return db_path + ".mirrors/" + std::to_string(repo.connection_id) + "/" + location + ".git";
}

common::Result<ingest::CloudRepositorySync> SyncRepository(OpenedConnections& opened,
                                                           http::HttpClient& client,
                                                           const model::Repository& repo,
                                                           const SyncRequest& request,
                                                           common::ProgressBar& progress) {
  const auto connection =
      std::find_if(opened.connections.begin(), opened.connections.end(),
                   [&](const model::Connection& c) { return c.id == repo.connection_id; });
  if (connection == opened.connections.end()) {
    return common::Status::Internal("the connection of " + repo.location +
                                    " is missing from the store");
  }
  if (connection->edition != model::Edition::kBitbucketCloud) {
    return common::Status::FailedPrecondition(
        repo.location + ": syncing Bitbucket Data Center repositories is not available yet");
  }
  auto secret = opened.box.Open(connection->sealed_secret);
  if (!secret.ok()) return secret.status().WithContext(connection->name);
  const sources::bitbucket::ConnectionSettings settings = SettingsFor(*connection, *secret);
  return ingest::SyncCloudRepository({*opened.store, client, settings, repo, request.since,
                                      [&](const ingest::SyncCounts& so_far) {
                                        progress.SetLabel("Syncing " + repo.location + ": " +
                                                          std::to_string(so_far.received) +
                                                          " rows");
                                      },
                                      MirrorPath(request.db_path, repo), request.on_wait});
}

}  // namespace

common::Result<std::vector<RepositorySync>> SyncSelected(const SyncRequest& request,
                                                         http::HttpClient& client) {
  const std::string& pattern = request.pattern;
  LEADLINE_ASSIGN_OR_RETURN(OpenedConnections opened, OpenConnections(request.db_path));
  LEADLINE_ASSIGN_OR_RETURN(std::vector<model::Repository> repos,
                            opened.store->LoadConnectedRepositories());
  std::erase_if(repos, [&](const model::Repository& repo) {
    return !repo.selected ||
           (!pattern.empty() && fnmatch(pattern.c_str(), repo.location.c_str(), 0) != 0);
  });
  if (repos.empty()) {
    return common::Status::NotFound(
        pattern.empty() ? "no repository is selected: run `leadline repos list`, then "
                          "`leadline repos select PATTERN`"
                        : "no selected repository matches '" + pattern + "'");
  }
  std::vector<RepositorySync> out;
  common::ProgressBar progress("Syncing", repos.size());
  for (const model::Repository& repo : repos) {
    progress.SetLabel("Syncing " + repo.location);
    auto result = SyncRepository(opened, client, repo, request, progress);
    progress.Add(1);
    out.push_back({repo.location, result.ok() ? common::Status::Ok() : result.status(),
                   result.ok() ? *result : ingest::CloudRepositorySync{}});
  }
  return out;
}

}  // namespace leadline::app
