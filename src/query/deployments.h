// Lists of deployments as every API gives them: newest first, ties by repository full name and
// then in the order they were recorded, so that pages are stable. Pure functions over the
// metrics view; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "query/metrics_view.h"

namespace leadline::query {

struct DeploymentRef {
  const RepositoryView* repo = nullptr;
  const engine::DeploymentRow* row = nullptr;

  const model::Deployment& deployment() const { return repo->deployments[row->index]; }
};

// Whether `a` comes before `b` in a list: the order above.
bool NewerFirst(const DeploymentRef& a, const DeploymentRef& b);

// The repositories' deployments finished in `window` (all of them without one), only the failed
// ones when `failed_only`, in the order above.
std::vector<DeploymentRef> DeploymentsNewestFirst(
    std::span<const RepositoryView* const> repositories,
    const std::optional<engine::ReportWindow>& window, bool failed_only);

}  // namespace leadline::query
