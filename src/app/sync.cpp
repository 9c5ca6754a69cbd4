#include "app/sync.h"

#include <fnmatch.h>

#include <algorithm>

#include "app/connections.h"
#include "common/progress.h"

namespace leadline::app {

common::Result<std::vector<RepositorySync>> SyncSelected(const std::string& db_path,
                                                         http::HttpClient& client,
                                                         const std::string& pattern) {
  LEADLINE_ASSIGN_OR_RETURN(OpenedConnections opened, OpenConnections(db_path));
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
  for (const model::Repository& repo : repos) {
    RepositorySync sync{repo.location, common::Status::Ok(), {}};
    const auto connection =
        std::find_if(opened.connections.begin(), opened.connections.end(),
                     [&](const model::Connection& c) { return c.id == repo.connection_id; });
    auto secret = opened.box.Open(connection->sealed_secret);
    if (!secret.ok()) {
      sync.status = secret.status().WithContext(connection->name);
    } else if (connection->edition != model::Edition::kBitbucketCloud) {
      sync.status = common::Status::FailedPrecondition(
          "syncing Bitbucket Data Center repositories is not available yet");
    } else {
      common::ProgressBar progress("Syncing " + repo.location, 0);
      auto result =
          ingest::SyncCloudPullRequests(*opened.store, client, SettingsFor(*connection, *secret),
                                        repo, [&](const ingest::PullRequestSyncResult& so_far) {
                                          progress.Set(static_cast<std::uint64_t>(so_far.received));
                                        });
      if (result.ok()) {
        sync.pull_requests = *result;
      } else {
        sync.status = result.status();
      }
    }
    out.push_back(std::move(sync));
  }
  return out;
}

}  // namespace leadline::app
