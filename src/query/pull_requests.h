// Lists of pull requests as every API gives them: newest first by the time asked for, ties by
// repository full name and then in the order the view holds them, so that pages are stable. Pure
// functions over the metrics view; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "query/metrics_view.h"

namespace leadline::query {

struct PullRequestRef {
  const RepositoryView* repo = nullptr;
  const engine::PullRequestStages* row = nullptr;
  std::size_t index = 0;  // its position in repo->pull_requests
};

// Which time a list of pull requests is ordered (and windowed) by.
enum class PullRequestTime {
  kCreated,  // every pull request, by when it was opened
  kMerged,   // the merged ones only, by when they were merged
};

// When `row` was created or merged (nullopt: not merged).
std::optional<common::UnixSeconds> PullRequestTimeOf(const engine::PullRequestStages& row,
                                                     PullRequestTime by);

// The repositories' pull requests whose `by` time falls in `window` (all of them without one),
// in the order above.
std::vector<PullRequestRef> PullRequestsNewestFirst(
    std::span<const RepositoryView* const> repositories, PullRequestTime by,
    const std::optional<engine::ReportWindow>& window);

}  // namespace leadline::query
