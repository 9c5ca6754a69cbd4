// Lists of incidents as every API gives them: newest begun first, ties by repository full name
// and then in the order of the repository's report, so that pages are stable. Pure functions over
// the metrics view; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "query/metrics_view.h"

namespace leadline::query {

struct IncidentRef {
  const RepositoryView* repo = nullptr;
  const engine::IncidentRow* row = nullptr;
  std::size_t index = 0;  // its position in repo->report.incidents
};

// The repositories' incidents begun in `window` (all of them without one), in the order above.
std::vector<IncidentRef> IncidentsNewestFirst(std::span<const RepositoryView* const> repositories,
                                              const std::optional<engine::ReportWindow>& window);

}  // namespace leadline::query
