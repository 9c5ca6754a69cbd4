#include "ingest/pushed_deployments.h"

#include <map>

#include "ingest/feedback_triggers.h"

namespace leadline::ingest {

using common::Result;
using common::Status;

Result<DeploymentImport> StorePushedDeployments(
    store::Store& store, const std::vector<sources::PushedDeployment>& deployments,
    const WriteScope& scope) {
  LEADLINE_ASSIGN_OR_RETURN(store::Transaction transaction, store.Begin());
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repositories,
                            store.repositories().LoadConnectedRepositories());
  // Two connections may each have a repository at one location: a deployment goes to the first
  // the writer may write, never to one it may not.
  std::map<std::string, std::int64_t> ids;
  for (const model::Repository& repo : repositories) {
    if (scope.MayWrite(repo.id)) ids.emplace(repo.location, repo.id);
  }
  std::map<std::int64_t, std::vector<model::PlatformDeployment>> by_repository;
  for (const sources::PushedDeployment& pushed : deployments) {
    const auto found = ids.find(pushed.repository);
    // The same answer whether the repository is missing or outside the scope.
    if (found == ids.end()) return Status::NotFound("no repository '" + pushed.repository + "'");
    by_repository[found->second].push_back(pushed.deployment);
  }
  DeploymentImport out;
  out.read = deployments.size();
  for (const auto& [repo_id, records] : by_repository) {
    LEADLINE_ASSIGN_OR_RETURN(const std::int64_t changed,
                              store.pipelines().UpsertPlatformDeployments(repo_id, records));
    out.changed += static_cast<std::size_t>(changed);
    if (changed == 0) continue;
    // The pull requests they released get their feedback updated (when it is on).
    std::vector<std::string> commits;
    for (const model::PlatformDeployment& record : records) commits.push_back(record.commit_sha);
    LEADLINE_RETURN_IF_ERROR(
        QueueDeployedPullRequests(store, repo_id, commits, common::NowUnixSeconds()).status());
  }
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  return out;
}

}  // namespace leadline::ingest
