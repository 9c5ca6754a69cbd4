#include "query/incidents.h"

#include <algorithm>
#include <tuple>

namespace leadline::query {

std::vector<IncidentRef> IncidentsNewestFirst(std::span<const RepositoryView* const> repositories,
                                              const std::optional<engine::ReportWindow>& window) {
  std::vector<IncidentRef> rows;
  for (const RepositoryView* repo : repositories) {
    const auto& incidents = repo->report.incidents;
    for (std::size_t i = 0; i < incidents.size(); ++i) {
      const common::UnixSeconds at = incidents[i].started_at;
      if (window && (at < window->since || at >= window->until)) continue;
      rows.push_back({repo, &incidents[i], i});
    }
  }
  std::sort(rows.begin(), rows.end(), [](const IncidentRef& a, const IncidentRef& b) {
    if (a.row->started_at != b.row->started_at) return a.row->started_at > b.row->started_at;
    return std::tie(a.repo->repository.location, a.index) <
           std::tie(b.repo->repository.location, b.index);
  });
  return rows;
}

}  // namespace leadline::query
