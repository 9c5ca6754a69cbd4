#include "ingest/pushed_deployments.h"

#include <map>
#include <set>

namespace leadline::ingest {

using common::Result;
using common::Status;

Result<DeploymentImport> StorePushedDeployments(
    store::Store& store, const std::vector<sources::PushedDeployment>& deployments) {
  LEADLINE_ASSIGN_OR_RETURN(const std::vector<model::Repository> repositories,
                            store.LoadConnectedRepositories());
  std::map<std::string, std::int64_t> ids;
  for (const model::Repository& repo : repositories) ids.emplace(repo.location, repo.id);
  std::map<std::int64_t, std::vector<model::PlatformDeployment>> by_repository;
  std::set<std::string> unknown;
  for (const sources::PushedDeployment& pushed : deployments) {
    const auto found = ids.find(pushed.repository);
    if (found == ids.end()) {
      unknown.insert(pushed.repository);
    } else {
      by_repository[found->second].push_back(pushed.deployment);
    }
  }
  if (!unknown.empty()) {
    std::string names;
    for (const std::string& name : unknown) names += (names.empty() ? "'" : ", '") + name + "'";
    return Status::InvalidArgument("no connected repository " + names +
                                   "; nothing was stored (`leadline repos list` shows them)");
  }
  store::Transaction transaction(store);
  LEADLINE_RETURN_IF_ERROR(transaction.Begin());
  DeploymentImport out;
  out.read = deployments.size();
  for (const auto& [repo_id, records] : by_repository) {
    LEADLINE_ASSIGN_OR_RETURN(const std::int64_t changed,
                              store.UpsertPlatformDeployments(repo_id, records));
    out.changed += static_cast<std::size_t>(changed);
  }
  LEADLINE_RETURN_IF_ERROR(transaction.Commit());
  return out;
}

}  // namespace leadline::ingest
