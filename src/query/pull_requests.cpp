#include "query/pull_requests.h"

#include <algorithm>
#include <tuple>

namespace leadline::query {

std::optional<common::UnixSeconds> PullRequestTimeOf(const engine::PullRequestStages& row,
                                                     PullRequestTime by) {
  if (by == PullRequestTime::kCreated) return row.created_at;
  return row.merged_at;
}

std::vector<PullRequestRef> PullRequestsNewestFirst(
    std::span<const RepositoryView* const> repositories, PullRequestTime by,
    const std::optional<engine::ReportWindow>& window) {
  struct Timed {
    common::UnixSeconds at;
    PullRequestRef ref;
  };
  std::vector<Timed> rows;
  for (const RepositoryView* repo : repositories) {
    for (std::size_t i = 0; i < repo->pull_requests.size(); ++i) {
      const auto at = PullRequestTimeOf(repo->pull_requests[i], by);
      if (!at || (window && (*at < window->since || *at >= window->until))) continue;
      rows.push_back({*at, {repo, &repo->pull_requests[i], i}});
    }
  }
  std::sort(rows.begin(), rows.end(), [](const Timed& a, const Timed& b) {
    if (a.at != b.at) return a.at > b.at;
    return std::tie(a.ref.repo->repository.location, a.ref.index) <
           std::tie(b.ref.repo->repository.location, b.ref.index);
  });
  std::vector<PullRequestRef> out;
  out.reserve(rows.size());
  for (const Timed& row : rows) out.push_back(row.ref);
  return out;
}

}  // namespace leadline::query
