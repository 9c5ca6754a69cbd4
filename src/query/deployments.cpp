#include "query/deployments.h"

#include <algorithm>
#include <tuple>

namespace leadline::query {

bool NewerFirst(const DeploymentRef& a, const DeploymentRef& b) {
  const common::UnixSeconds ta = a.deployment().finished_at;
  const common::UnixSeconds tb = b.deployment().finished_at;
  if (ta != tb) return ta > tb;
  return std::tie(a.repo->repository.location, a.row->index) <
         std::tie(b.repo->repository.location, b.row->index);
}

std::vector<DeploymentRef> DeploymentsNewestFirst(
    std::span<const RepositoryView* const> repositories,
    const std::optional<engine::ReportWindow>& window, bool failed_only) {
  std::vector<DeploymentRef> rows;
  for (const RepositoryView* repo : repositories) {
    for (const engine::DeploymentRow& row : repo->report.deployments) {
      const common::UnixSeconds at = repo->deployments[row.index].finished_at;
      if (window && (at < window->since || at >= window->until)) continue;
      if (failed_only && !row.failed()) continue;
      rows.push_back({repo, &row});
    }
  }
  std::sort(rows.begin(), rows.end(), NewerFirst);
  return rows;
}

}  // namespace leadline::query
